"""The public API: the names a library user may rely on, guarded as griffe does."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

import factbase

PUBLIC = ["Checked", "Citation", "Config", "ConfigError", "Diagnostic", "Entity", "Fact",
          "FactBase", "FactbasePlugin", "PartialDate", "Property", "SiteOptions", "Source", "Span",
          "Status", "check", "load_config", "main", "render_site", "__version__"]


def test_the_public_api_is_the_documented_list():
    """Removing or renaming a public name is a breaking change: this test must be
    edited on purpose, with a note in the changelog."""
    assert factbase.__all__ == PUBLIC
    for name in PUBLIC:
        assert getattr(factbase, name) is not None


def test_the_api_is_imported_on_first_use():
    """`import factbase` stays cheap: `factbase check` must not pay for Jinja or MkDocs."""
    code = "import sys, factbase; print('jinja2' in sys.modules, 'mkdocs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("old", sorted(factbase.MOVED))
def test_the_names_of_0_1_still_import_with_a_warning(old):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"factbase.{old}")
    assert module is importlib.import_module(f"factbase.{factbase.MOVED[old]}")
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
