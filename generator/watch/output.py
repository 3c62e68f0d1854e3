"""`factbase watch`'s report in four formats; every feed string escaped (`escape`).

text: for people in a terminal (and a workflow's log); json: for programs;
markdown: a job summary or an issue body; github: workflow annotations.
"""

from __future__ import annotations

import json

from . import escape as esc
from .model import FeedResult, Lead, Report

FORMATS = ("text", "json", "markdown", "github")
HOW = ("To act on a lead: read it; if it changes a fact, cite it (factbase new source, then "
       "factbase new fact with supersedes:, or factbase cite) and mark the old fact "
       "superseded. Leads that change nothing: factbase watch --update-lock, then commit "
       "watch.lock.json.")


def render(report: Report, fmt: str) -> str:
    return {"text": text, "json": as_json, "markdown": markdown, "github": github}[fmt](report)


def summary(report: Report) -> str:
    """One line: what was read, what was found, what was left out, and what is unknown."""
    read = len(report.feeds) - len(report.problems)
    line = (f"{len(report.leads)} lead{'s' * (len(report.leads) != 1)} in {report.items} items "
            f"from {read} of {len(report.feeds)} feeds ({report.cited} already cited, "
            f"{report.seen} already listed in watch.lock.json).")
    if report.problems:
        names = ", ".join(esc.terminal(f.feed.name) for f in report.problems)
        many = len(report.problems) != 1
        line += (f" {len(report.problems)} feed{'s' * many} could not be read ({names}): "
                 f"{'their' if many else 'its'} news is unknown, not absent.")
    return line


def warnings(report: Report) -> list[str]:
    return [f"warning: feed '{esc.terminal(f.feed.name)}' ({esc.terminal(f.feed.url)}) "
            f"{esc.terminal(f.problem or f.note)}" for f in report.feeds if f.problem or f.note]


# --- text --------------------------------------------------------------------------

def text(report: Report) -> str:
    return "".join(_text_lead(lead) for lead in report.leads)


def _text_lead(lead: Lead) -> str:
    item = lead.item
    date = f" ({esc.terminal(item.published)})" if item.published else ""
    lines = [f"{esc.terminal(item.feed)}: {esc.terminal(item.title) or '(untitled)'}{date}",
             f"  {esc.terminal(item.link) or '(no http(s) link)'}"]
    for hit in lead.hits:
        named = ", ".join(f"'{esc.terminal(t)}'" for t in hit.terms)
        lines.append(f"  names {hit.entity} ({esc.terminal(hit.name)}) as {named}")
        lines += [f"    review {r.fact} ({r.where}): {esc.terminal(r.statement)}"
                  for r in hit.reviews]
    return "\n".join(lines) + "\n\n"


# --- json --------------------------------------------------------------------------

def as_json(report: Report) -> str:
    document = {
        "leads": [_json_lead(lead) for lead in report.leads],
        "feeds": [_json_feed(f) for f in report.feeds],
        "items": report.items, "cited": report.cited, "seen": report.seen,
    }
    # ASCII only: no control or bidirectional character reaches a terminal that shows it;
    # and "##[" written "##\u005b" (the same string once decoded), which a workflow's log
    # would otherwise take for a command.
    return json.dumps(document, indent=2, ensure_ascii=True).replace("##[", "##\\u005b") + "\n"


def _json_lead(lead: Lead) -> dict:
    item = lead.item
    return {"feed": item.feed, "title": item.title, "link": item.link, "key": item.key,
            "published": item.published or None,
            "entities": [{"id": h.entity, "name": h.name, "terms": list(h.terms),
                          "review": [{"fact": r.fact, "statement": r.statement,
                                      "where": r.where} for r in h.reviews]}
                         for h in lead.hits]}


def _json_feed(result: FeedResult) -> dict:
    return {"name": result.feed.name, "url": result.feed.url, "items": len(result.items),
            "problem": result.problem or None, "note": result.note or None}


# --- markdown ----------------------------------------------------------------------

def markdown(report: Report) -> str:
    # First, a line no reader sees (an HTML comment; nothing from a feed is in it,
    # and a feed's "<" is escaped) by which issue.py knows this output and its counts.
    marker = (f"<!-- factbase watch: {len(report.leads)} leads, "
              f"{len(report.problems)} feeds not read -->")
    parts = [marker, "## Leads from news feeds", "", esc.markdown(summary(report)), ""]
    parts += [f"- **Warning**: {esc.markdown(line.removeprefix('warning: '))}"
              for line in warnings(report)]
    parts += [""] if report.problems or any(f.note for f in report.feeds) else []
    parts += [_md_lead(lead) for lead in report.leads]
    parts += ["", esc.markdown(HOW), ""] if report.leads else []
    return "\n".join(parts) + "\n"


def _md_lead(lead: Lead) -> str:
    item = lead.item
    date = f", {esc.markdown(item.published)}" if item.published else ""
    lines = [f"- {esc.markdown_link(item.title, item.link)} ({esc.markdown(item.feed)}{date})"]
    for hit in lead.hits:
        named = ", ".join(esc.markdown(t) for t in hit.terms)
        lines.append(f"  - names **{esc.markdown(hit.name)}** (`{hit.entity}`) as {named}")
        lines += [f"    - review `{r.fact}` ({esc.markdown(r.where)}): {esc.markdown(r.statement)}"
                  for r in hit.reviews]
    return "\n".join(lines)


# --- github ------------------------------------------------------------------------

def github(report: Report) -> str:
    lines = [f"::warning title={esc.command_property('Feed not read: ' + f.feed.name)}::"
             f"{esc.command_data(f.problem)}" for f in report.problems]
    for lead in report.leads:
        names = ", ".join(h.name for h in lead.hits)
        facts = ", ".join(r.fact for h in lead.hits for r in h.reviews)
        message = f"{lead.item.title} ({lead.item.link or 'no link'}) names {names}" + (
            f"; review {facts}" if facts else "")
        lines.append(f"::notice title={esc.command_property('Lead from ' + lead.item.feed)}::"
                     f"{esc.command_data(message)}")
    return "".join(line + "\n" for line in lines)
