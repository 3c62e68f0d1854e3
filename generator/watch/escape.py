"""Escaping feed text for each program that reads `factbase watch`'s output.

Everything a feed says is untrusted: titles, links, even error messages that
quote it. `terminal` makes it one line of visible characters (no escape
sequences, no bidirectional overrides) that cannot pass for a GitHub workflow
command (`::` at the start of a line, `##[` anywhere); `markdown` keeps it
from becoming markup, HTML, an image, a link, a mention (`@name`) or an issue
reference (`#12`); `link` gives the item's own address only if it is http(s);
`command_data` and `command_property` encode it inside a workflow command.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

_SPACE = re.compile(r"\s+")
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&^$:\"'=])")
_BREAK = "\u200b"  # zero-width space: splits a mention, a reference or an autolink
_AUTOLINK = re.compile(r"(@|#(?=\d)|://|www\.)", re.IGNORECASE)


def _visible(char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
        return f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"
    return char


def terminal(text: str) -> str:
    """One line, control and format characters shown as \\xNN / \\uNNNN."""
    flat = _SPACE.sub(" ", str(text)).strip()
    shown = "".join(map(_visible, flat))
    shown = shown.replace("##[", "##\\[")
    return ": :" + shown[2:] if shown.startswith("::") else shown


def markdown(text: str) -> str:
    """Plain text in Markdown: every markup character backslash-escaped, and
    mentions, issue references and bare addresses broken by a zero-width space."""
    broken = _AUTOLINK.sub(lambda m: _split(m.group(0)), terminal(text))
    return _MD_PUNCT.sub(r"\\\1", broken)


def _split(found: str) -> str:
    return found[0] + _BREAK + found[1:] if len(found) > 1 else found + _BREAK


def link(url: str) -> str:
    """The address in a form Markdown cannot misread, or "" if it is not http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~")


def markdown_link(text: str, url: str) -> str:
    shown, target = markdown(text) or "(untitled)", link(url)
    return f"[{shown}](<{target}>)" if target else shown


def command_data(text: str) -> str:
    """The message of a workflow command (`::warning::MESSAGE`)."""
    return terminal(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text: str) -> str:
    """A property of a workflow command (`title=…`)."""
    return command_data(text).replace(":", "%3A").replace(",", "%2C")
