"""The text of a PDF, read with pypdf within limits.

The fixtures are built here, byte by byte (`build`), so that each shows one
feature: an object stream holding the page tree and the font, a CID (Type0)
font whose codes map to Unicode through a ToUnicode CMap, a content stream
that inflates to hundreds of megabytes.
"""

from __future__ import annotations

import functools
import struct
import time
import tracemalloc
import zlib

from factbase.links.text import contains, page_text

from linkserver import Reply
import test_links
from test_links import FAST, codes, only, quote

loopback, run, server = test_links.loopback, test_links.run, test_links.server   # fixtures

MIB = 1024 * 1024
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " \
       b"/Resources << /Font << /F1 5 0 R >> >> >>"
CATALOG = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
           2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: PAGE}


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    data, extra = (zlib.compress(data), extra + b" /Filter /FlateDecode") if compress else (data, extra)
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build(plain: dict[int, bytes], packed: dict[int, bytes] | None = None) -> bytes:
    """A PDF 1.5 with a cross-reference stream; the `packed` objects (no streams)
    go into one compressed object stream."""
    packed, plain = packed or {}, dict(plain)
    last = max(plain | packed)
    if packed:
        heads, body = [], b""
        for number, obj in packed.items():
            heads.append(b"%d %d" % (number, len(body)))
            body += obj + b"\n"
        head = b" ".join(heads) + b"\n"
        last += 1
        plain[last] = stream(head + body, b" /Type /ObjStm /N %d /First %d" % (len(packed), len(head)))
    xref, out, where = last + 1, bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {}
    for number, obj in sorted(plain.items()):
        where[number] = len(out)
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    where[xref] = len(out)
    rows = b"".join(struct.pack(">BIH", 1, where[n], 0) if n in where
                    else struct.pack(">BIH", 2, last, list(packed).index(n)) if n in packed
                    else struct.pack(">BIH", 0, 0, 65535) for n in range(xref + 1))
    out += b"%d 0 obj\n" % xref + stream(rows, b" /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R"
                                        % (xref + 1), compress=False) + b"\nendobj\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % where[xref])


def cid_font_pdf(text: str) -> bytes:
    """`text` drawn with a Type0 font: two-byte codes 1, 2, ... (Identity-H), mapped
    back to the characters by the font's ToUnicode CMap."""
    chars = sorted(set(text))
    codes_ = b"".join(b"%04X" % (chars.index(c) + 1) for c in text)
    pairs = b"".join(b"<%04X> <%04X>\n" % (i + 1, ord(c)) for i, c in enumerate(chars))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"%d beginbfchar\n%sendbfchar\nendcmap CMapName currentdict /defineresource pop end end"
            % (len(chars), pairs))
    return build({**CATALOG,
                  4: stream(b"BT /F1 12 Tf 72 720 Td <" + codes_ + b"> Tj ET"),
                  5: b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJKsc /Encoding /Identity-H "
                     b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
                  6: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansCJKsc /DW 1000 "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
                  7: stream(cmap)})


def object_stream_pdf() -> bytes:
    """The page tree, the font and its encoding live in an object stream; the
    font draws the ligatures fi and fl at codes 1 and 2, as TeX output does."""
    return build({4: stream(rb"BT /F1 12 Tf 72 720 Td (The \001rst \002ight of Smile) Tj ET")},
                 {**CATALOG,
                  5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding 6 0 R >>",
                  6: b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >>"})


@functools.cache
def bomb_pdf(inflated: int = 128 * MIB) -> bytes:
    """One page whose content stream is a few hundred kilobytes that inflate to
    `inflated` bytes of spaces."""
    packer, spaces = zlib.compressobj(9), b" " * MIB
    data = packer.compress(b"BT /F1 12 Tf (boom) Tj ET")
    data += b"".join(packer.compress(spaces) for _ in range(inflated // MIB)) + packer.flush()
    return build({**CATALOG, 4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
                  + data + b"\nendstream",
                  5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"})


def test_literal_strings_kerning_and_lines():
    # (Moved from test_links.py, whose fixture drew text before choosing a font.)
    pdf = build({**CATALOG, 4: stream(rb"BT /F1 12 Tf 14 TL (Caf\351 \(open\)) Tj T* "
                                      rb"[(a) -300 (b) 5 (c)] TJ ET"),
                 5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                    b"/Encoding /WinAnsiEncoding >>"})
    assert page_text(pdf, "application/pdf") == "café (open) a bc"
    assert page_text(build({**CATALOG, 4: stream(b"q 1 0 0 1 0 0 cm Q"), 5: b"<< >>"}),
                     "application/pdf") is None


def test_a_pdf_with_object_streams_is_read():
    text = page_text(object_stream_pdf(), "application/pdf")
    assert text is not None and contains(text, "The first flight of Smile")


def test_a_pdf_with_a_cid_font_is_read():
    text = page_text(cid_font_pdf("Smile 中国科学院 ESA"), "application/pdf")
    assert text is not None and contains(text, "中国科学院") and contains(text, "Smile")


def test_a_decompression_bomb_is_refused_quickly_in_bounded_memory():
    bomb = bomb_pdf()
    assert len(bomb) < 1 * MIB
    tracemalloc.start()
    started = time.monotonic()
    try:
        text = page_text(bomb, "application/pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 64 * MIB, f"peak memory {peak / MIB:.0f} MiB"
    assert text is None


def test_too_many_pages_or_bytes_are_refused(monkeypatch):
    from factbase.links import pdf as pdf_reader
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 0)
    text, reason = pdf_reader.pdf_text(object_stream_pdf())
    assert text == "" and "more than 0 pages" in reason
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 100)
    text, reason = pdf_reader.pdf_text(object_stream_pdf())
    assert text == "" and "larger than 100 bytes" in reason


def test_a_broken_pdf_is_unreadable_not_a_crash():
    from factbase.links import pdf as pdf_reader
    text, reason = pdf_reader.pdf_text(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    assert text == "" and reason


def test_pdf_quotes_end_to_end(mini, server, run):
    server.routes["/bomb.pdf"] = lambda n: Reply(200, {"Content-Type": "application/pdf"},
                                                 bomb_pdf())
    only(mini, server, lambda n: Reply(200, {"Content-Type": "application/pdf"},
                                       cid_font_pdf("Smile 中国科学院 ESA")), "/cid.pdf")
    quote(mini, "中国科学院")
    assert codes(run(mini, "--format", "json", *FAST)) == []
    only(mini, server, server.routes["/bomb.pdf"], "/bomb.pdf")
    result = run(mini, "--format", "json", *FAST)
    assert codes(result) == ["W816"] and "inflate" in result.diagnostics[0]["message"]
