"""Rendering: the FactBase to Markdown pages, diagrams and data files, written atomically."""
