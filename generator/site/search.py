"""Tuning the search index Material's search plugin writes, so that the page
about a thing comes first and a fact id typed in full lands on its entry.

Material's lunr splits a query at hyphens whatever the index's separator, so
"smile-launch-date" is searched as smile, launch and date, and every fact
id that contains those words matches as well as the one typed. lunr's length
normalisation, which would prefer the shortest match, is off in Material;
a fact index entry's boost stands in for it (the fewer parts its id has, the
higher), so the id typed in full outranks longer ids containing it.

Entity pages carry their names and aliases as search tags (see
`Page.title`); Material weighs tags a thousand times above titles, which
would put an entity page first for any query naming it (every fact id
starts with its subject's), so tags weigh here as much as titles.
"""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"
ENTRY_BOOST = 10  # as an entity page's (markup.ABOUT_BOOST), before the length term


def tune(site_dir: Path) -> None:
    path = site_dir / INDEX
    if not path.is_file():  # no search plugin
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    fields = index.get("config", {}).get("fields", {})
    if "tags" in fields and "title" in fields:
        fields["tags"] = dict(fields["title"])
    for doc in index.get("docs", []):
        page, _, anchor = doc.get("location", "").partition("#")
        if page.startswith("fact-index/") and anchor and doc.get("title") == anchor:
            doc["boost"] = round(ENTRY_BOOST * (1 + 1 / len(anchor.split("-"))), 4)
    # As the search plugin writes it: compact, so builds stay byte-identical.
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
