"""The text of a fetched page, for quote checks and content hashes.

HTML loses its scripts, styles and tags; a PDF gives the text of its
uncompressed or Flate-compressed content streams (a minimal reader: simple
fonts only; PDFs with CID fonts read as "unverifiable"). Text is normalised
(Unicode NFKC, straight quotes, plain hyphens, one space, case-folded) so a
quote matches however the page lays it out.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import zlib

_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_INLINE = re.compile(r"</?(?:a|abbr|b|bdi|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|"
                     r"time|u|wbr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                              "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
                              "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00ad": ""})
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/json")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    return " ".join(text.casefold().split())


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def quote_key(quote: str) -> str:
    """A short stable key for a quote in the lock (the quote itself stays in the facts)."""
    return hashlib.sha256(normalise(quote).encode("utf-8")).hexdigest()[:16]


def contains(text: str, quote: str) -> bool:
    """Whether normalised `text` holds the quote, ignoring where spaces fall."""
    wanted = normalise(quote)
    return wanted in text or _compact(wanted) in _compact(text)


def _compact(text: str) -> str:
    return "".join(text.split())


def is_pdf(body: bytes, content_type: str) -> bool:
    return "application/pdf" in content_type.lower() or body[:1024].lstrip().startswith(b"%PDF")


def page_text(body: bytes, content_type: str) -> str | None:
    """The normalised text of a response body, or None if it cannot be read."""
    if is_pdf(body, content_type):
        found = pdf_text(body)
        return normalise(found) if found.strip() else None
    kind = content_type.split(";")[0].strip().lower()
    if kind and not kind.startswith(_TEXT_TYPES):
        return None
    text = body.decode(_charset(content_type), errors="replace")
    return normalise(html_text(text) if "<" in text else text)


def _charset(content_type: str) -> str:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
    name = match[1] if match else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def html_text(markup: str) -> str:
    markup = _INLINE.sub("", _DROP.sub(" ", markup))
    return html.unescape(_TAG.sub(" ", markup))


# --- PDF -----------------------------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_STRING = rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"
_TEXT_OP = re.compile(rb"\[(?P<array>(?:" + _STRING + rb"|[^\]\(])*)\]\s*TJ"
                      rb"|(?P<string>" + _STRING + rb")\s*(?:Tj|'|\")"
                      rb"|(?P<gap>T\*|(?:Td|TD|Tm|ET)\b)", re.S)
_ARRAY_ITEM = re.compile(rb"(?P<string>" + _STRING + rb")|(?P<number>-?\d+(?:\.\d+)?)")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(data: bytes) -> str:
    """The text drawn by a PDF's content streams, for simple (non-CID) fonts."""
    parts = []
    for match in _STREAM.finditer(data):
        content = _inflate(match[1])
        if b"BT" in content:
            parts.append(_shown_text(content))
    return " ".join(parts)


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(raw)
    except zlib.error:
        return raw


def _shown_text(content: bytes) -> str:
    out = []
    for op in _TEXT_OP.finditer(content):
        if op["string"]:
            out.append(_literal(op["string"]))
        elif op["array"] is not None:
            out.append(_array_text(op["array"]))
        else:
            out.append(" ")
    return "".join(out)


def _array_text(array: bytes) -> str:
    out = []
    for item in _ARRAY_ITEM.finditer(array):
        if item["string"]:
            out.append(_literal(item["string"]))
        elif float(item["number"]) < -200:   # a wide negative kern is a word space
            out.append(" ")
    return "".join(out)


def _literal(token: bytes) -> str:
    body, out, i = token[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i:i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
        if octal:
            out.append(int(octal[0], 8) & 0xFF)
            i += 1 + len(octal[0])
        else:
            nxt = body[i + 1:i + 2]
            out += _ESCAPES.get(nxt, b"" if nxt in (b"\n", b"\r") else nxt)
            i += 2
    return out.decode("cp1252", errors="replace")
