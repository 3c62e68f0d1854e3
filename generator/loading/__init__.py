"""Loading: YAML text to position-carrying nodes, fields, and one typed FactBase."""
