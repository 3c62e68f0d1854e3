"""Factbase: a cited fact base and the static site made from it."""

__version__ = "0.1.0"
