"""The text of a fetched page, for quote checks and content hashes.

HTML is read with the standard library's parser: scripts, styles, templates,
noscript and comments are not text; inline tags (<em>, <a>, ...) join the
words either side, other tags separate them; entities are decoded. Its
charset comes, as a browser finds it, from the byte-order mark, the
Content-Type header, the page's <meta charset> (or http-equiv) or XML
declaration, else UTF-8 when the bytes are valid UTF-8 and windows-1252 when
not. PDFs are read by pdf.py. Text is normalised (Unicode NFKC, straight
quotes, plain hyphens, one space, case-folded) so a quote matches however the
page lays it out.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from html.parser import HTMLParser

from .pdf import pdf_text

_HIDDEN = frozenset({"script", "style", "noscript", "template"})
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn",
                     "em", "font", "i", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp",
                     "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
                     "wbr"})
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                              "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
                              "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00ad": ""})
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/json")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
# <meta charset=...>, <meta http-equiv=Content-Type content="...; charset=...">, <?xml encoding=...?>
_DECLARED = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)"
                       rb"|<\?xml\s[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.I)
PRESCAN = 4096   # how far into a page its charset declaration is looked for


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
    return read_page(body, content_type)[0]


def read_page(body: bytes, content_type: str) -> tuple[str | None, str]:
    """The normalised text of a response body and "", or None and why not."""
    if is_pdf(body, content_type):
        found, reason = pdf_text(body)
        if found.strip():
            return normalise(found), ""
        return None, reason or "a PDF with no text this reader can extract"
    kind = content_type.split(";")[0].strip().lower()
    if kind and not kind.startswith(_TEXT_TYPES):
        return None, f"no text in a {content_type} response"
    text = decode(body, content_type)
    return normalise(html_text(text) if "<" in text else text), ""


def decode(body: bytes, content_type: str) -> str:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")
    declared = _codec(_HEADER_CHARSET.search(content_type)) or _codec(
        _DECLARED.search(body[:PRESCAN]), in_page=True)
    if declared:
        return body.decode(declared, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")   # the web's legacy default


def _codec(match: re.Match | None, in_page: bool = False) -> str | None:
    """Python's codec for a declared charset label, read as browsers read it."""
    label = next((g for g in match.groups() if g), None) if match else None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="replace")
    try:
        name = codecs.lookup(label).name if label else None
        b"".decode(name or "utf-8")     # refuses codecs that are not text (base64, rot13)
    except LookupError:
        return None
    if name in ("ascii", "latin-1", "iso8859-1"):
        return "cp1252"        # WHATWG: every one of these labels means windows-1252
    if in_page and name and name.startswith("utf-16"):
        return "utf-8"         # a declaration readable as ASCII is not in UTF-16
    return name


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0        # depth inside script/style/noscript/template

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:   # <br/>, <script/>: no content
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text a reader sees; a page cut off inside a script leaves none of it."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)
