"""Render the fact base into Markdown pages and data files: a pure function.

`render_site()` returns {docs-relative path: function rendering its text};
running them (on every core) and writing is the writer's job. Jinja runs
only here (StrictUndefined: a missing name is an error, not an empty
string), never inside the pages MkDocs later reads.

E601: template error
    A template (in templates/, the overrides folder, or a `*.md.j2` page)
    failed: an undefined name, a syntax error, a fact id that does not
    exist, or an expression that raised (a division by zero, a macro that
    calls itself for ever). The position is the template's file and line.

    Fails:

        {{ page.statement(fact('smile-launch-dat')) }}

    Passes:

        {{ page.statement(fact('smile-launch-date')) }}

    Fix: correct the template at the line given.

E602: featured entity not found
    mkdocs.yml lists an entity under `featured:` that the base does not define.

    Fails:

        featured: [smile, wolf-amendmnet]

    Passes:

        featured: [smile, wolf-amendment]

    Fix: correct the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

import jinja2

from . import diagrams, exports
from ..tools import explain
from ..diagnostics import Diagnostic
from .markup import Page, escape, format_date, source_url
from ..model import Fact, FactBase, Span
from .pages import Index, page_urls


class RenderError(Exception):
    """A template failed; carries a diagnostic at the template's line."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic)  # the argument, not the text: survives pickling
        self.diagnostic = diagnostic

    def __str__(self) -> str:
        return self.diagnostic.message


@dataclass(frozen=True)
class SiteOptions:
    templates: tuple[Path, ...]        # searched in order: overrides first
    root: Path                         # for template paths in diagnostics
    repo_edit_url: str | None = None   # e.g. https://github.com/org/repo/blob/main/
    site_name: str = "Factbase"
    site_description: str = ""
    featured: tuple[str, ...] = ()     # entity ids for the home page's key facts


def environment(templates: tuple[Path, ...]) -> jinja2.Environment:
    # finalize turns every printed value into Markdown-escaped Markup; autoescape
    # then leaves it alone, and makes macros return Markup too (not re-escaped).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in templates]),
        undefined=jinja2.StrictUndefined, finalize=escape, autoescape=True,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date=format_date, md=escape)
    return env


def render_site(base: FactBase, options: SiteOptions,
                page_templates: tuple[str, ...] = ()) -> dict[str, Callable[[], str]]:
    """Every generated file's path and the function that renders it (the
    writer calls them, spread over the cores); `page_templates` are extra
    `*.md.j2` pages to render."""
    env = environment(options.templates)
    index, urls = Index.of(base), page_urls(base)
    common = {"base": base, "index": index, "sections": index.sections(), "diagrams": diagrams,
              "source_url": source_url, "edit_url": _edit_url(options.repo_edit_url),
              "site": {"name": options.site_name, "description": options.site_description},
              "single_properties": [p.id for p in base.properties.values() if p.single],
              "featured": _featured(base, index, options.featured)}
    jobs: list[tuple[str, Callable[[], str]]] = []
    shared: dict = {}

    def page(path: str, template: str, **context: Any) -> None:
        def job() -> str:
            helper = Page(base, path, urls, shared, index)
            full = common | {"page": helper, "fact": _fact_lookup(base)} | context
            return _render(env, template, full, options.root)
        jobs.append((path, job))

    page("index.md", "home.md.j2")
    for section in index.sections():
        page(f"{section.folder}/index.md", "section.md.j2", section=section,
             entities=index.entities_in(section))
    for entity in base.entities.values():
        page(urls[entity.id], "entity.md.j2", view=index.entity_view(entity))
    page("sources/index.md", "bibliography.md.j2",
         sources=sorted(base.sources.values(), key=lambda s: s.title.casefold()))
    for source in base.sources.values():
        page(urls[source.id], "source.md.j2", view=index.source_view(source))
    page("data.md", "data.md.j2")
    page("reference/checks.md", "checks.md.j2", entries=list(explain.entries().values()))
    groups = fact_index_groups(base)
    page("fact-index/index.md", "fact_index.md.j2", groups=groups, facts=[], letter=None)
    for letter, facts in groups.items():
        page(f"fact-index/{letter}.md", "fact_index.md.j2", groups=groups, facts=facts,
             letter=letter)
    for template in page_templates:
        page(template.removesuffix(".j2"), template)
    jobs.extend(exports.files(base).items())
    return dict(sorted(jobs))


# Shipped with every site so diagrams never load a script from a CDN.
ASSETS = Path(__file__).parent.parent / "data" / "assets"
MERMAID = "assets/factbase/mermaid-11.17.2.min.js"


def asset_files() -> dict[str, bytes]:
    return {f"assets/factbase/{p.name}": p.read_bytes() for p in sorted(ASSETS.iterdir())}


FEATURED_DEFAULT = 6  # the home page stays small however large the base grows


def _featured(base: FactBase, index: Index, chosen: tuple[str, ...]) -> list:
    """Entities for the home page: those configured, else the first of the
    sections with home-page timelines (the base's declaration says which)."""
    if chosen:
        missing = [i for i in chosen if i not in base.entities]
        if missing:
            raise RenderError(Diagnostic.at(Span("mkdocs.yml", 1, 1), "E602",
                                            f"featured entity not found: {', '.join(missing)}"))
        return [base.entities[i] for i in chosen]
    return [e for section in index.sections() if section.timelines != "none"
            for e in index.entities_in(section)][:FEATURED_DEFAULT]


def fact_index_groups(base: FactBase) -> dict[str, list]:
    """Facts by the first character of their id: one page each, so no page of
    the index grows with the whole base."""
    groups: dict[str, list] = {}
    for fact in sorted(base.facts.values(), key=lambda f: f.id):
        groups.setdefault(fact.id[0], []).append(fact)
    return groups


def _fact_lookup(base: FactBase):
    def fact(ident: str) -> Fact:
        if ident not in base.facts:
            raise jinja2.TemplateRuntimeError(f"the template names fact '{ident}', "
                                              "which is not in the fact base")
        return base.facts[ident]
    return fact


def _edit_url(repo: str | None):
    def edit_url(span: Span) -> str | None:
        return f"{repo.rstrip('/')}/{span.path}#L{span.line}" if repo else None
    return edit_url


def _render(env: jinja2.Environment, name: str, context: dict, root: Path) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(_template_problem(err, err.filename, err.lineno, root)) from None
    except jinja2.TemplateError as err:
        frame = _template_frame(err)
        raise RenderError(_template_problem(err, *frame, root)) from None
    except Exception as err:  # `{{ 1 / 0 }}`, a macro calling itself: still the template's fault
        problem = _template_problem(f"{type(err).__name__}: {err}", *_template_frame(err), root)
        raise RenderError(problem) from None


def _template_frame(err: Exception) -> tuple[str | None, int]:
    """The innermost template file and line in a Jinja traceback."""
    tb, found = err.__traceback__, (None, 1)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            # Jinja rewrites these frames so that the line is the template's own.
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_problem(err: Exception | str, filename: str | None, line: int | None,
                      root: Path) -> Diagnostic:
    path = Path(filename) if filename else Path("templates")
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return Diagnostic.at(Span(shown, line or 1, 1), "E601", f"template error: {err}")
