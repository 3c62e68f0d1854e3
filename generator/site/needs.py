"""What the rendered pages need from MkDocs' configuration, added when missing.

The rendered Markdown uses footnotes, admonitions (collapsible ones: "Cite
this page"), attribute lists, tables, abbreviations and Mermaid fences, and its pages use the stylesheet and the
Mermaid script shipped with the package. So a hand-written mkdocs.yml with
nothing but `plugins: [factbase]` builds the site: what it leaves out is
added here, and what it sets is kept (its own options win).
"""

from __future__ import annotations

from pymdownx.superfences import fence_code_format

from ..rendering.render import MERMAID, STYLESHEET

EXTENSIONS = ("abbr", "admonition", "attr_list", "footnotes", "tables", "pymdownx.details")
SUPERFENCES = "pymdownx.superfences"
MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}


def add_what_pages_need(config) -> None:
    for name in EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    _mermaid_fence(config)
    _append_once(config.extra_javascript, MERMAID)  # Material then uses it, not a CDN copy
    _append_once(config.extra_css, STYLESHEET)


def _mermaid_fence(config) -> None:
    if SUPERFENCES not in config.markdown_extensions:
        config.markdown_extensions.append(SUPERFENCES)
    options = config.mdx_configs.setdefault(SUPERFENCES, {})
    fences = options.setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        fences.append(dict(MERMAID_FENCE))


def _append_once(entries: list, path: str) -> None:
    if path not in [str(entry) for entry in entries]:
        entries.append(path)
