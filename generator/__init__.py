"""Factbase: a cited fact base and the static site made from it.

The package is laid out as the pipeline runs (its source lives in the
repository's `generator/` folder; it installs and imports as `factbase`):

    loading/    YAML text → position-carrying nodes → fields → one FactBase
    checks/     one module per consistency check, each yielding Diagnostics
    rendering/  FactBase → Markdown pages, diagrams and data files, written atomically
    site/       the engine (MkDocs) on the rendered tree, the MkDocs plugin, the theme
                templates, `postprocess` (CSP, search index, internal link check)
    links/      `factbase links`: fetch, run, store and report source checks
    tools/      contributor commands: init, new, fmt, explain, the editor schema

and at the top the core: model, diagnostics, config, cache, parallel, lock,
report, project (the pipeline on a configured project) and cli.

The names in `__all__` are the public API, imported on first use so that
`factbase check` starts fast. The flat module names of 0.1 (`factbase.loader`,
`factbase.mkdocs_plugin`, …) still import, with a DeprecationWarning, until 0.3.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

__version__ = "0.3.0"

# public name -> the module (relative to this package) that defines it
_API = {
    "main": "cli",
    "Config": "config", "ConfigError": "config", "load_config": "config",
    "Diagnostic": "diagnostics",
    "FactBase": "model", "Fact": "model", "Entity": "model", "Source": "model",
    "Property": "model", "Citation": "model", "PartialDate": "model", "Span": "model",
    "Status": "model",
    "Checked": "project", "check": "project",
    "render_site": "rendering.render", "SiteOptions": "rendering.render",
    "FactbasePlugin": "site.plugin",
}
__all__ = sorted(_API) + ["__version__"]

# the 0.1 module name -> where the module lives now
MOVED = {
    "yamlsource": "loading.yamlsource", "schema": "loading.schema", "loader": "loading.loader",
    "files": "loading.files",
    "markup": "rendering.markup", "pages": "rendering.pages", "diagrams": "rendering.diagrams",
    "exports": "rendering.exports", "writer": "rendering.writer", "render": "rendering.render",
    "engine": "site.engine", "mkdocs_plugin": "site.plugin",
    "sitelinks": "site.sitelinks", "hardening": "site.hardening",
    "linkcheck_http": "links.http", "linkcheck_report": "links.report",
    "linkcheck_run": "links.run", "linkcheck_store": "links.store", "linkcheck_text": "links.text",
    "new": "tools.new", "fmt": "tools.fmt", "explain": "tools.explain",
    "editor_schema": "tools.editor_schema", "yamlwrite": "tools.yamlwrite",
}


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    if name in MOVED:
        return _moved(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _moved(name: str):
    warnings.warn(f"factbase.{name} is now factbase.{MOVED[name]}; the old name goes in 0.3",
                  DeprecationWarning, stacklevel=3)
    return importlib.import_module(f".{MOVED[name]}", __name__)


class _OldNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Lets `import factbase.loader` (a 0.1 name) give the moved module."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package == __name__ and name in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return _moved(spec.name.rpartition(".")[2])

    def exec_module(self, module):
        pass  # already executed under its new name


sys.meta_path.append(_OldNames())
