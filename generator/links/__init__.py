"""Links: `factbase links` checks every source address and quote (fetch, run, store, report)."""
