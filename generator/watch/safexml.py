"""Refusing feeds that declare XML entities, before feedparser reads them.

An entity declared in a feed's DTD is how an XML document reads local files or
other addresses (an external entity) or grows a few kilobytes into gigabytes
(entity expansion, "billion laughs"). No news feed needs one, so any is refused,
and so is a reference to an external DTD (never fetched, but never needed either):
defusedxml's expat reader raises on the first declaration or external
reference, and a byte search catches a declaration the reader never reached
(a document broken before it, which feedparser would still read leniently).
"""

from __future__ import annotations

import io
import re
import xml.sax
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException, ExternalReferenceForbidden
from defusedxml.expatreader import create_parser

_DECLARATIONS = tuple(re.compile(re.escape("<!ENTITY".encode(codec)).replace(
    re.escape("<!".encode(codec)), re.escape("<!".encode(codec)) + b"\\s*"))
    for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def refusal(body: bytes) -> str:
    """Why the document must not be parsed, or "" when it declares no entity."""
    if any(pattern.search(body) for pattern in _DECLARATIONS):
        return "declares XML entities (refused: external entities and entity expansion)"
    parser = create_parser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(ContentHandler())
    try:
        parser.parse(io.BytesIO(body))
    except ExternalReferenceForbidden as err:
        return (f"refers to an external DTD or entity ({err.system_id}); refused, as "
                "external entities are")
    except DefusedXmlException:
        return "declares XML entities (refused: external entities and entity expansion)"
    except (xml.sax.SAXException, ValueError, LookupError):
        return ""  # not well-formed: feedparser reads it leniently and says so
    return ""
