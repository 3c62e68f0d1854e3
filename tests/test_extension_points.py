"""Factbase hooks into the engines only where they document it: no module of
the package imports a private name of MkDocs, ProperDocs, Material or Zensical,
reads or writes one of their private attributes, or replaces a method of
their objects (as the deleted convert.py did with `Page.render`)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from conftest import REPO

FOREIGN = ("mkdocs", "material", "properdocs", "zensical")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def foreign_methods() -> set[str]:
    """Every method name of a class MkDocs' structure, config, theme and plugin modules define."""
    names: set[str] = set()
    import mkdocs
    for info in pkgutil.walk_packages(mkdocs.__path__, "mkdocs."):
        if info.name.startswith(("mkdocs.tests", "mkdocs.__main__", "mkdocs.commands.gh_deploy")):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 (a module needing an optional extra)
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__.startswith("mkdocs."):
                names |= {n for n, v in vars(cls).items() if callable(v) and not n.startswith("__")}
    return names


def defined(tree: ast.AST) -> set[str]:
    """Every name a module defines: functions, classes, assigned names and its
    own objects' attributes (set on another object, a private name is not its own)."""
    names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            names.add(node.attr)
    return names


def _meets_an_engine(tree: ast.AST, where: str) -> bool:
    """A module that imports an engine, or is part of the site adapter (handed its objects)."""
    return "/site/" in where or any(
        (isinstance(n, ast.ImportFrom) and n.module and n.module.split(".")[0] in FOREIGN)
        or (isinstance(n, ast.Import) and any(a.name.split(".")[0] in FOREIGN for a in n.names))
        for n in ast.walk(tree))


def problems(source: str, where: str, methods: set[str], own: set[str] = frozenset()) -> list[str]:
    tree = ast.parse(source)
    own = set(own) | defined(tree)
    if not _meets_an_engine(tree, where):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] in FOREIGN:
            parts = node.module.split(".") + [a.name for a in node.names]
            found += [f"{where}:{node.lineno}: imports {node.module}.{p}" for p in parts if _private(p)]
        elif isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno}: imports {a.name}" for a in node.names
                      if a.name.split(".")[0] in FOREIGN and any(map(_private, a.name.split(".")))]
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            found.append(f"{where}:{node.lineno}: uses another package's private .{node.attr}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in methods \
                        and not (isinstance(target.value, ast.Name) and target.value.id == "self"):
                    found.append(f"{where}:{node.lineno}: replaces the method .{target.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "setattr":
            found.append(f"{where}:{node.lineno}: setattr on another object")
    return found


def test_the_scan_finds_what_convert_py_did():
    """The checker itself: the patching the old parallel conversion did is found."""
    old = ("from mkdocs.structure.pages import Page\n"
           "def use(page, done):\n    page.render = done\n"
           "def read(page):\n    return page._title_from_render\n"
           "from mkdocs.utils import _private_helper\n")
    found = problems(old, "generator/site/convert.py", foreign_methods())
    assert any("replaces the method .render" in p for p in found)
    assert any("private ._title_from_render" in p for p in found)
    assert any("imports mkdocs.utils._private_helper" in p for p in found)


def test_no_module_uses_a_private_name_of_an_engine_or_patches_its_classes():
    methods = foreign_methods()
    sources = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
               for path in sorted((REPO / "generator").rglob("*.py"))}
    own = set().union(*(defined(ast.parse(text)) for text in sources.values()))
    found = [problem for where, text in sources.items()
             for problem in problems(text, where, methods, own)]
    assert found == []
