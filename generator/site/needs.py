"""What the rendered pages need from MkDocs' configuration, added when missing.

The rendered Markdown uses footnotes, admonitions (collapsible ones: "Cite
this page", via pymdownx.details), attribute lists, tables, abbreviations and
fenced code, and its pages use the stylesheet shipped with the package
(diagrams are inline SVG drawn at build time: no script). So a hand-written
mkdocs.yml with nothing but `plugins: [factbase]` builds the site: what it
leaves out is added here, and what it sets is kept (its own options win).
"""

from __future__ import annotations

from ..rendering.render import STYLESHEET

EXTENSIONS = ("abbr", "admonition", "attr_list", "footnotes", "tables", "pymdownx.details",
              "pymdownx.superfences")


def add_what_pages_need(config) -> None:
    for name in EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    _append_once(config.extra_css, STYLESHEET)


def _append_once(entries: list, path: str) -> None:
    if path not in [str(entry) for entry in entries]:
        entries.append(path)
