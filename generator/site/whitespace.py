"""Indentation out of the built pages.

The theme's templates indent every tag: about a tenth of an entity page's
HTML (13 KB of the Smile page's 137 KB) is runs of spaces that a browser
renders as one. Each run of two or more HTML whitespace characters becomes
one newline (or one space), the way minifiers do it, except inside elements
whose text is kept as written (pre, code, textarea) and inside scripts and
styles, which stay byte for byte (the Content Security Policy hashes them).
A no-break space is not whitespace here and is never touched.
"""

from __future__ import annotations

import re

_KEPT_OR_RUN = re.compile(r"<(pre|code|textarea|script|style)\b.*?</\1\s*>|[ \t\r\n\f]{2,}",
                          re.S | re.I)


def collapsed(html: str) -> str:
    """The page with each run of whitespace outside kept elements made one character."""
    return _KEPT_OR_RUN.sub(_one, html)


def _one(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(0)
    return "\n" if "\n" in match.group(0) else " "
