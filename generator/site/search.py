"""Tuning the search index Material's search plugin writes, so that the page
about a thing comes first, a fact id typed in full lands on that fact, and
the index stays small enough not to outweigh the page a reader came for.

Ranking. Material's lunr splits a query at hyphens whatever the index's
separator, so "smile-launch-date" is searched as smile, launch and date.
Each fact's entry (a fact-index section titled with its id) is moved under
its subject's page, at the fact's own anchor there (`#fact-ID`): Material
groups results by page and Enter opens the best-scored result of the first
group, so a full id opens the fact on its subject's page, and a word in an
id ("bilateral") brings up the page about the thing the fact is about,
never a fact-index page. lunr's length normalisation is off in Material; an
entry's boost stands in for it (the fewer parts its id has, the higher), so
the id typed in full outranks longer ids containing it. For the same
reason a page about a thing gets a little more the shorter its title, so
"Double Star" finds the mission before "Launch of Double Star TC-1".

Entity pages carry their names and aliases as search tags (see
`Page.title`); Material weighs tags a thousand times above titles, which
would put an entity page first for any query naming it (every fact id
starts with its subject's), so tags weigh here as much as titles.

Editors' pages (sources, the fact index, the reference, the change log,
contributing, data) weigh a tenth of a reader's page, as their front matter's
`search: boost` would say, so they come after the pages they describe.

Size. What only repeats other pages or only editors need is left out of the
index: each source's list of the facts citing it, a page's references and
"Mentioned elsewhere" lists, the change log's commits, the text drawn in
diagrams (their figures carry Material's `data-search-exclude`), and
citation markers; the checks reference keeps each code's title and first
paragraph, and a source's page its first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from posixpath import normpath

INDEX = Path("search") / "search_index.json"
ENTRY_BOOST = 10     # as an entity page's (markup.ABOUT_BOOST), before the length term
EDITOR_BOOST = 0.1
TITLE_TIE = 0.1      # at most: it parts "Double Star" from "Launch of Double Star TC-1", no more
EDITORS = ("sources/", "fact-index/", "reference/", "changes/", "contributing/", "data/")
# Sections that only list what other pages say, or what only editors read.
LEFT_OUT = re.compile(r"#(references|facts-citing-this-source|mentioned-elsewhere|"
                      r"relationships|commit-[0-9a-f]+)$")
MARKER = re.compile(r"<sup[^>]*>\[\d+\]</sup>")
FIRST_PARAGRAPH = re.compile(r"^\s*(<p>.*?</p>)", re.S)
IN_CONTEXT = re.compile(r'href="([^"#]*)#fact-([a-z0-9-]+)"')
STATEMENT = re.compile(r"^(?:<p>)?(.*?)\s*(?:<strong>)?[A-Za-z]+(?:</strong>)? · about .*$", re.S)


def tune(site_dir: Path) -> None:
    path = site_dir / INDEX
    if not path.is_file():  # no search plugin
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    fields = index.get("config", {}).get("fields", {})
    if "tags" in fields and "title" in fields:
        fields["tags"] = dict(fields["title"])
    index["docs"] = _ranked(site_dir, [_trimmed(d) for d in index.get("docs", [])
                                       if not LEFT_OUT.search(d.get("location", ""))])
    # As the search plugin writes it: compact, so builds stay byte-identical.
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")


def _trimmed(doc: dict) -> dict:
    text = MARKER.sub("", doc.get("text", ""))
    location = doc.get("location", "")
    if location.startswith(("reference/checks/#", "sources/")):
        first = FIRST_PARAGRAPH.match(text)
        text = first.group(1) if first else text
    return doc | {"text": text}


def _ranked(site_dir: Path, docs: list[dict]) -> list[dict]:
    """Docs in their order, fact entries moved after the docs of their
    subject's page (Material makes a section of a doc that follows its page's)."""
    homes = _fact_homes(site_dir)
    moved: dict[str, list[dict]] = {}
    kept = []
    for doc in docs:
        page, _, anchor = doc.get("location", "").partition("#")
        entry = page.startswith("fact-index/") and anchor and doc.get("title") == anchor
        if entry:
            doc["boost"] = round(ENTRY_BOOST * (1 + 1 / len(anchor.split("-"))), 4)
        if entry and anchor in homes:
            home = homes[anchor]
            statement = STATEMENT.match(doc["text"])
            moved.setdefault(home, []).append(
                doc | {"location": f"{home}#fact-{anchor}",
                       "text": f"<p>{statement.group(1)}</p>" if statement else doc["text"]})
            continue
        if page.startswith(EDITORS) and not entry:
            doc["boost"] = EDITOR_BOOST
        elif not anchor and "boost" in doc:   # a page about a thing: the shorter title first
            doc["boost"] = round(doc["boost"] * (1 + TITLE_TIE / len(doc["title"].split())), 4)
        kept.append(doc)
    out, seen = [], set()
    for n, doc in enumerate(kept):
        out.append(doc)
        page = doc["location"].partition("#")[0]
        following = kept[n + 1]["location"].partition("#")[0] if n + 1 < len(kept) else None
        if following != page and page not in seen:   # the last doc of its page
            seen.add(page)
            out += moved.pop(page, [])
    return out + [d for docs_ in moved.values() for d in docs_]


def _fact_homes(site_dir: Path) -> dict[str, str]:
    """Each fact id's page on the site, where its anchor `fact-ID` is: read
    from the fact index's "in context" links, kept only if the anchor is there."""
    homes: dict[str, str] = {}
    pages: dict[str, str] = {}
    for html in sorted((site_dir / "fact-index").glob("*/index.html")):
        here = html.parent.relative_to(site_dir).as_posix() + "/"
        for target, fact in IN_CONTEXT.findall(html.read_text(encoding="utf-8")):
            page = normpath(here + target) if target else here.rstrip("/")
            if page.startswith(".."):
                continue
            page = "" if page == "." else page + "/"
            if page not in pages:
                built = site_dir / page / "index.html"
                pages[page] = built.read_text(encoding="utf-8") if built.is_file() else ""
            if f'id="fact-{fact}"' in pages[page]:
                homes.setdefault(fact, page)
    return homes
