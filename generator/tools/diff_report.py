"""`factbase diff` as text (terminals), JSON (programs) and Markdown (a job
summary or a pull-request comment).

Every word of the Markdown that comes from the facts is hostile: a pull
request from anyone writes it. So each such text is one line, cut to
VALUE_LIMIT characters, with HTML's three special characters as entities
(no tag, comment or image can start), every other Markdown punctuation
backslash-escaped (no link, emphasis, table cell or code fence can open),
and a zero-width space after `@` and `#` (no user or team is pinged and no
issue is referenced). The whole stays under GitHub's 65,536-character
limit for a comment: what does not fit is counted in a closing note.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from urllib.parse import quote

from ..report import shown
from .diff import Diff, RecordChange

FORMATS = ("text", "json", "markdown")
VALUE_LIMIT = 200             # characters of one value shown
MARKDOWN_LIMIT = 60_000       # GitHub's comment limit is 65,536; room for the comment's marker
JSON_VERSION = 1
HEADING = "What this changes in the fact base"


def render(d: Diff, fmt: str, preview_url: str = "") -> str:
    if fmt == "json":
        return as_json(d)
    return markdown(d, preview_url) if fmt == "markdown" else text(d)


def summary(d: Diff) -> str:
    """'2 facts added, 1 fact changed, 1 citation added' (or 'No record changed')."""
    counts = d.counts()
    if not counts:
        return "No record changed."
    order = ("added", "changed", "superseded", "disputed", "renamed", "removed")
    records = ("fact", "source", "entity", "property", "citation")
    keys = sorted(counts, key=lambda k: (records.index(k.split()[0]),
                                         order.index(k.split()[1])))
    return ", ".join(_plural(counts[k], k) for k in keys) + "."


def _plural(n: int, key: str) -> str:
    record, kind = key.split()
    return f"{n} {record if n == 1 else _many(record)} {kind}"


def _many(record: str) -> str:
    return {"entity": "entities", "property": "properties"}.get(record, record + "s")


def _cut(value: str) -> str:
    return value if len(value) <= VALUE_LIMIT else value[:VALUE_LIMIT - 1] + "…"


# Text ---------------------------------------------------------------------------

def text(d: Diff) -> str:
    lines = [f"From {d.base} to {d.head}: {summary(d)}"]
    for c in d.changes:
        lines.append(f"{c.record} {c.id}: {_what(c)}")
        lines.extend(f"  {line}" for line in _details(c))
    return "".join(shown(_cut_line(line)) + "\n" for line in lines)


def _cut_line(line: str) -> str:
    indent = line[:len(line) - len(line.lstrip(" "))]
    line = " ".join(line.split())
    return indent + (line if len(line) <= 4 * VALUE_LIMIT else line[:4 * VALUE_LIMIT - 1] + "…")


def _what(c: RecordChange) -> str:
    if c.kind == "renamed":
        return f"renamed from {c.old_id}"
    if c.kind == "superseded" and c.by:
        return "superseded by " + ", ".join(c.by)
    return c.kind + (f" (about {c.subject})" if c.subject and c.kind in ("added", "removed")
                     else "")


def _details(c: RecordChange) -> list[str]:
    lines = [f"{f.name}: {_cut(_shown_value(f.old))} → {_cut(_shown_value(f.new))}"
             for f in c.fields]
    lines += [f"“{_cut(_shown_value(c.text))}”"] if c.text is not None else []
    lines += [f"citation added: {_cut(x)}" for x in c.cites_added]
    lines += [f"citation removed: {_cut(x)}" for x in c.cites_removed]
    return lines


def _shown_value(value: str | None) -> str:
    return "(none)" if value is None else " ".join(value.split()) or '""'


# JSON ---------------------------------------------------------------------------

def as_json(d: Diff) -> str:
    document = {"version": JSON_VERSION, "base": d.base, "head": d.head,
                "summary": d.counts(), "changes": [_plain(c) for c in d.changes]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _plain(c: RecordChange) -> dict:
    found = asdict(c)
    found["fields"] = [asdict(f) for f in c.fields]
    for key in ("cites_added", "cites_removed", "by"):
        found[key] = list(found[key])
    return found


# Markdown -----------------------------------------------------------------------

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPED = re.compile(r"[\\`*_{}\[\]()!|~$]")
_TAG_LIKE = re.compile(r"[&<>]")


def inert(value: str) -> str:
    """Text from the facts as Markdown that shows it and does nothing else."""
    value = shown(" ".join(value.split()))   # newlines as spaces, other controls shown
    value = _TAG_LIKE.sub(lambda m: _ENTITIES[m[0]], _cut(value))
    value = _ESCAPED.sub(lambda m: "\\" + m[0], value)
    return value.replace("@", "@\u200b").replace("#", "#\u200b")


def markdown(d: Diff, preview_url: str = "") -> str:
    head = [f"### {HEADING}", "",
            f"From {inert(d.base)} to {inert(d.head)}: **{inert(summary(d))}**", ""]
    if not d.changes:
        return "\n".join(head) + "\n"
    items = [_item(c, preview_url) for c in d.changes]
    out, used = [], sum(len(line) + 1 for line in head)
    for n, item in enumerate(items):
        if used + len(item) + 1 > MARKDOWN_LIMIT - 400:  # room for the note below
            out.append("")
            out.append(f"… and {len(items) - n} more changes, not shown to keep this under "
                       "GitHub's size limit: run factbase diff for all of them.")
            break
        out.append(item)
        used += len(item) + 1
    return "\n".join(head + out) + "\n"


def _item(c: RecordChange, preview_url: str) -> str:
    name = inert(c.id)
    if c.page and preview_url:
        name = f"[{name}]({_url(preview_url, c.page)})"
    line = f"- **{c.kind.capitalize()}** {c.record} {name}"
    if c.kind == "renamed":
        line += f", was {inert(c.old_id or '')}"
    elif c.by:
        line += ", by " + ", ".join(inert(b) for b in c.by)
    elif c.subject and c.kind in ("added", "removed"):
        line += f" (about {inert(c.subject)})"
    parts = [f"  - {inert(f.name)}: {inert(_shown_value(f.old))} → {inert(_shown_value(f.new))}"
             for f in c.fields]
    parts += [f"  - “{inert(_shown_value(c.text))}”"] if c.text is not None else []
    parts += [f"  - citation added: {inert(x)}" for x in c.cites_added]
    parts += [f"  - citation removed: {inert(x)}" for x in c.cites_removed]
    return "\n".join([line, *parts])


def _url(base: str, page: str) -> str:
    path, _, anchor = page.partition("#")
    url = base.rstrip("/") + "/" + quote(path, safe="/")
    return url + (f"#{quote(anchor, safe='')}" if anchor else "")
