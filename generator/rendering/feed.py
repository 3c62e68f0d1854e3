"""The recent changes as an Atom feed (RFC 4287), for readers who follow the subject.

One entry per commit that changed a record, newest first. Every date is a
commit date, never the build clock (the feed's `updated` is the newest
commit's), so builds stay reproducible. Ids are URNs made from the commit,
so they never change when the site moves.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..model import FactBase

if TYPE_CHECKING:
    from .render import SiteOptions

PATH = "changes.xml"
ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
NO_DATE = "1970-01-01T00:00:00Z"  # no history: a fixed date rather than the build clock
# Characters XML 1.0 cannot hold at all, even escaped (a commit message may have them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
KINDS = ("added", "changed", "superseded", "disputed", "removed")


def atom(base: FactBase, options: SiteOptions) -> str:
    history, site = options.history, options.site_url
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", _urn(f"feed:{site or options.site_name}"))
    _add(feed, "title", f"{options.site_name}: recent changes")
    _add(feed, "subtitle", "Facts added, changed, superseded or disputed" if history.available
         else f"No history in this build: {history.reason}")
    _add(feed, "updated", history.commits[0].date if history.commits else NO_DATE)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=f"{site}changes/")
    if site:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                      href=f"{site}{PATH}")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", f"{options.site_name} contributors")
    for commit in history.commits[:ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", _urn(f"commit:{commit.sha}"))
        # What moved, not the commit message: that is written for maintainers.
        _add(entry, "title", title(commit))
        _add(entry, "updated", commit.date)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=f"{site}changes/#commit-{commit.sha[:12]}")
        _add(entry, "summary", summary(commit))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def title(commit) -> str:
    """"3 facts changed, 1 source added": the commit's changes by kind, counted."""
    return ", ".join(f"{len(changes)} {label.lower()}" for label, changes in groups(commit)) \
        or "No record changed"


def summary(commit) -> str:
    """"Facts added: a, b. Facts changed: c." — what moved, by kind."""
    return " ".join(f"{label}: {', '.join(c.id for c in changes)}."
                    for label, changes in groups(commit))


def groups(commit) -> list[tuple[str, list]]:
    """The commit's changes by kind and record: ("Facts added", [changes]), …"""
    found = []
    for kind in KINDS:
        for record in ("fact", "entity", "source", "property"):
            changes = [c for c in commit.changes if c.kind == kind and c.record == record]
            if changes:
                found.append((f"{_plural(record, len(changes))} {kind}", changes))
    return found


def _plural(record: str, count: int) -> str:
    word = {"entity": "entities", "property": "properties"}.get(record, record + "s")
    return (word if count > 1 else record).capitalize()


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _NOT_XML.sub("\ufffd", text)


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'factbase:' + name)}"
