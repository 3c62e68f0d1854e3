"""Contributor tools: `new`, `fmt`, `explain` and the editor schema."""
