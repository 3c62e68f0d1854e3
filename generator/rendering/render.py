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

E604: prose states a fact that is no longer current
    A hand-written page (`*.md.j2`) cites a fact with `fact('id')`, or
    mkdocs.yml lists it under `key_facts:`, and that fact is now superseded
    or disputed. The sentence around it was written for the old value and
    must not go live as if it were current.

    Fails:

        Smile is due to launch in late 2025.{{ page.cite(fact('smile-planned-launch-2025')) }}

    Passes:

        Smile lifted off on 19 May 2026.{{ page.cite(fact('smile-launch-date')) }}
        In 2024 the launch was planned for late 2025.
        {{- page.cite(fact('smile-planned-launch-2025', status='superseded')) }}

    Fix: rewrite the sentence for the fact that replaced it, or, where the
    page tells the history, pass the status the page expects.

E605: key fact not found
    mkdocs.yml lists a fact under `key_facts:` that the base does not define.

    Fails:

        key_facts: [smile-launch-dat]

    Passes:

        key_facts: [smile-launch-date]

    Fix: correct the id.

E606: see_also names an unknown entity
    mkdocs.yml's `see_also:` lists links for an entity, or links to an
    entity, that the base does not define.

    Fails:

        see_also: {smile: [wolf-amendmnet]}

    Passes:

        see_also: {smile: [wolf-amendment, {The story: story.md}]}

    Fix: correct the id.

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
from markupsafe import Markup

from . import article, changes, diagrams, exports, feed
from ..tools import explain
from ..diagnostics import Diagnostic
from .markup import Page, escape, format_date, sentence_case, source_url
from .markup import _safe_url as safe_url
from ..model import Fact, FactBase, PartialDate, Span
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
    templates: tuple[Path, ...]        # the project's folders, searched in order before the defaults
    root: Path                         # for template paths in diagnostics
    repo_edit_url: str | None = None   # e.g. https://github.com/org/repo/blob/main/
    site_name: str = "Factbase"
    site_description: str = ""
    featured: tuple[str, ...] = ()     # entity ids the home page's timelines and diagram are about
    key_facts: tuple[str, ...] = ()    # fact ids the home page lists, chosen by an editor
    site_url: str = ""                 # with its final slash; "" when not configured
    repo_url: str = ""
    licence: str | None = None         # the content's licence, e.g. CC BY 4.0
    licence_url: str | None = None
    history: changes.History = changes.NO_HISTORY
    see_also: tuple[tuple[str, tuple], ...] = ()  # an editor's links, by entity (config.Options)


# The templates shipped with the package: a project's own folders are searched
# first, so a template of the same name there replaces the default.
DEFAULT_TEMPLATES = Path(__file__).parent.parent / "data" / "templates"


def environment(templates: tuple[Path, ...]) -> jinja2.Environment:
    # finalize turns every printed value into Markdown-escaped Markup; autoescape
    # then leaves it alone, and makes macros return Markup too (not re-escaped).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in (*templates, DEFAULT_TEMPLATES)]),
        undefined=jinja2.StrictUndefined, finalize=escape, autoescape=True,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date=format_date, md=escape, sentence=sentence_case)
    return env


def render_site(base: FactBase, options: SiteOptions,
                page_templates: tuple[str, ...] = ()) -> dict[str, Callable[[], str]]:
    """Every generated file's path and the function that renders it (the
    writer calls them, spread over the cores); `page_templates` are extra
    `*.md.j2` pages to render."""
    env = environment(options.templates)
    index, urls = Index.of(base), page_urls(base)
    common = {"base": base, "index": index, "sections": index.sections(), "diagrams": diagrams,
              "article": article,
              "source_url": source_url, "edit_url": _edit_url(options.repo_edit_url),
              "site": _site(options), "history": options.history, "dates": Dates(base, options.history),
              "url_link": url_link, "cited": _cited(base), "change_groups": feed.groups,
              "parse_day": lambda day: PartialDate(*map(int, day.split("-"))),
              "single_properties": [p.id for p in base.properties.values() if p.single],
              "text_properties": [p.id for p in base.properties.values() if p.value_type == "text"],
              "featured": _featured(base, index, options.featured),
              "key_facts": _key_facts(base, index, options.key_facts),
              "see_also": _see_also(base, options.see_also)}
    jobs: list[tuple[str, Callable[[], str]]] = []
    shared: dict = {}

    def page(path: str, template: str, **context: Any) -> None:
        def job() -> str:
            helper = Page(base, path, urls, shared, index)
            full = common | {"page": helper, "fact": _fact_lookup(base, index),
                             "permalink": permalink(options.site_url, path),
                             "root": "../" * path.count("/")} | context
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
    page("data.md", "data.md.j2", downloads=exports.DOWNLOADS, tables=exports.TABLES)
    page("changes.md", "changes.md.j2", commits=options.history.commits[:CHANGES_SHOWN])
    page("reference/checks.md", "checks.md.j2", entries=list(explain.entries().values()))
    groups = fact_index_groups(base)
    page("fact-index/index.md", "fact_index.md.j2", groups=groups, facts=[], letter=None)
    for letter, facts in groups.items():
        page(f"fact-index/{letter}.md", "fact_index.md.j2", groups=groups, facts=facts,
             letter=letter)
    for template in page_templates:
        page(template.removesuffix(".j2"), template)
    jobs.extend(exports.files(base, options.licence, options.licence_url,
                              options.site_name).items())
    jobs.append((feed.PATH, lambda: feed.atom(base, options)))
    if options.site_url:  # a sitemap needs absolute addresses: without them, no robots.txt either
        jobs.append(("robots.txt", lambda: f"User-agent: *\nAllow: /\n\n"
                                           f"Sitemap: {options.site_url}sitemap.xml\n"))
    return dict(sorted(jobs))


CHANGES_SHOWN = 100  # commits on the recent-changes page (the feed has fewer)


def permalink(site_url: str, path: str) -> str:
    """The published address of a generated page (MkDocs' directory URLs):
    missions/smile.md -> <site_url>missions/smile/. Relative without a site_url."""
    url = path.removesuffix(".md").removesuffix("index")
    url = url if not url or url.endswith("/") else url + "/"
    return site_url + url


def url_link(text: str, url: str) -> Markup:
    """A Markdown link to an address from the configuration (escaped text, safe URL)."""
    return Markup(f"[{escape(text)}]({safe_url(url)})")


def _site(options: SiteOptions) -> dict:
    """What templates know about the site: names, addresses, licence."""
    history_url = None
    if options.repo_edit_url and "/blob/" in options.repo_edit_url:
        # GitHub and GitLab: …/blob/<branch>/ lists a folder's commits at …/commits/<branch>/
        history_url = options.repo_edit_url.replace("/blob/", "/commits/", 1).rstrip("/") + "/"
    return {"name": options.site_name, "description": options.site_description,
            "url": options.site_url, "repo_url": options.repo_url, "history_url": history_url,
            "licence": options.licence, "licence_url": options.licence_url}


def _cited(base: FactBase):
    def cited(facts) -> list[dict[str, str]]:
        """The sources these facts cite, once each: a page's `citation` metadata."""
        ids = sorted({c.source for f in facts for c in f.citations})
        return [{"name": base.sources[i].title, "url": base.sources[i].url} for i in ids]
    return cited


class Dates:
    """Each page's "last changed" date: the newest commit that changed a
    record the page shows (None without history)."""

    def __init__(self, base: FactBase, history: changes.History):
        self.base, self.history = base, history

    def entity(self, view) -> PartialDate | None:
        facts = (*view.statements, *view.history, *view.incoming)
        return self._date([f"entity:{view.entity.id}", *(f"fact:{f.id}" for f in facts)])

    def source(self, view) -> PartialDate | None:
        return self._date([f"source:{view.source.id}", *(f"fact:{f.id}" for f, _ in view.citations)])

    def site(self) -> PartialDate | None:
        return self._date(self.history.last_changed)

    def _date(self, keys) -> PartialDate | None:
        day = self.history.updated(keys)
        return PartialDate(*map(int, day.split("-"))) if day else None


# Shipped with every site: the stylesheet (diagrams are inline SVG, no script).
ASSETS = Path(__file__).parent.parent / "data" / "assets"
STYLESHEET = "assets/factbase/factbase.css"


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


def _key_facts(base: FactBase, index: Index, chosen: tuple[str, ...]) -> list:
    """The editor's key facts, grouped by subject in the order chosen. A key
    fact that is no longer current fails the build: the home page must not
    lead with an old value."""
    missing = [i for i in chosen if i not in base.facts]
    if missing:
        raise RenderError(Diagnostic.at(Span("mkdocs.yml", 1, 1), "E605",
                                        f"key fact not found: {', '.join(missing)}",
                                        "correct the id under key_facts: in mkdocs.yml"))
    stale = [f"{i} ({index.status(base.facts[i]).lower()})" for i in chosen
             if index.status(base.facts[i]) != "Current"]
    if stale:
        raise RenderError(Diagnostic.at(Span("mkdocs.yml", 1, 1), "E604",
                                        f"key fact no longer current: {', '.join(stale)}",
                                        "choose the fact that replaced it under key_facts:"))
    groups: dict[str, list[Fact]] = {}
    for ident in chosen:
        groups.setdefault(base.facts[ident].subject, []).append(base.facts[ident])
    return [(base.entities[subject], facts) for subject, facts in groups.items()]


def _see_also(base: FactBase, chosen: tuple[tuple[str, tuple], ...]) -> dict[str, tuple]:
    """The editor's "See also" links by entity; every entity named must exist
    (a page path is checked by the site build, as every link is)."""
    named = [i for entity, links in chosen for i in (entity, *links)
             if isinstance(i, str) and not i.endswith(".md")]
    missing = sorted({i for i in named if i not in base.entities})
    if missing:
        raise RenderError(Diagnostic.at(Span("mkdocs.yml", 1, 1), "E606",
                                        f"see_also names unknown entities: {', '.join(missing)}",
                                        "correct the ids under see_also: in mkdocs.yml"))
    return dict(chosen)


def fact_index_groups(base: FactBase) -> dict[str, list]:
    """Facts by the first character of their id: one page each, so no page of
    the index grows with the whole base."""
    groups: dict[str, list] = {}
    for fact in sorted(base.facts.values(), key=lambda f: f.id):
        groups.setdefault(fact.id[0], []).append(fact)
    return groups


class StaleFact(jinja2.TemplateRuntimeError):
    """A page states a fact whose status is not the one the page expects."""

    code = "E604"
    hint = ("update the prose to the current fact; where the page tells the history, "
            "say so: fact('id', status='superseded')")


def _fact_lookup(base: FactBase, index: Index):
    def fact(ident: str, status: str = "current") -> Fact:
        if ident not in base.facts:
            raise jinja2.TemplateRuntimeError(f"the template names fact '{ident}', "
                                              "which is not in the fact base")
        found = base.facts[ident]
        now = index.status(found).lower()
        if now != status:
            newer = ", ".join(f.id for f in index.replacements(found))
            raise StaleFact(f"fact '{ident}' is {now}{' (by ' + newer + ')' if newer else ''}, "
                            f"but the page states it as {status}")
        return found
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
    """The innermost template file and line in a Jinja traceback, preferring
    the project's own templates: a page calling a shipped macro with a stale
    fact is fixed in the page, not in the macro."""
    tb, found, own = err.__traceback__, (None, 1), None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            # Jinja rewrites these frames so that the line is the template's own.
            found = (code.co_filename, tb.tb_lineno)
            if not Path(code.co_filename).is_relative_to(DEFAULT_TEMPLATES):
                own = found
        tb = tb.tb_next
    return own or found


def _template_problem(err: Exception | str, filename: str | None, line: int | None,
                      root: Path) -> Diagnostic:
    path = Path(filename) if filename else Path("templates")
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    if isinstance(err, StaleFact):
        return Diagnostic.at(Span(shown, line or 1, 1), err.code, str(err), err.hint)
    return Diagnostic.at(Span(shown, line or 1, 1), "E601", f"template error: {err}")
