"""The text of an HTML page, as the quote check reads it: a real parser, the
charset from the byte-order mark, the header or the page's own <meta>.

Each test here failed on the regular-expression reader it replaced.
"""

from __future__ import annotations

from factbase.links.text import contains, page_text

from linkserver import Reply
import test_links
from test_links import FAST, codes, only, quote

loopback, run, server = test_links.loopback, test_links.run, test_links.server   # fixtures

CAFE = "Le café de l\u2019ESA ouvre à Noordwijk"


def html_in(encoding: str, head: str, text: str = CAFE) -> bytes:
    return f"<html><head>{head}</head><body><p>{text}</p></body></html>".encode(encoding)


def test_windows_1252_declared_only_by_meta_charset():
    body = html_in("cp1252", '<meta charset="windows-1252">')
    assert contains(page_text(body, "text/html"), CAFE)


def test_latin_1_in_meta_http_equiv_reads_as_windows_1252():
    # Browsers read every latin-1 label as windows-1252, whose 0x92 is a curly apostrophe.
    head = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    assert contains(page_text(html_in("cp1252", head), "text/html"), CAFE)


def test_the_byte_order_mark_outranks_the_header():
    body = "\ufeff".encode() + html_in("utf-8", "")
    assert contains(page_text(body, "text/html; charset=iso-8859-1"), CAFE)


def test_the_header_outranks_meta():
    body = html_in("utf-8", '<meta charset="windows-1252">')
    assert contains(page_text(body, "text/html; charset=utf-8"), CAFE)


def test_without_any_declaration_utf_8_or_a_guess():
    assert contains(page_text(html_in("utf-8", ""), "text/html"), CAFE)
    assert contains(page_text(html_in("cp1252", ""), "text/html"), CAFE)


def test_a_quote_split_by_inline_markup_with_a_greater_than_in_an_attribute():
    body = (b'<p>Smile is a <em title="joint > solo">jo</em>int mission between '
            b'<a href="/esa?a>b">ESA</a> and <span data-x=\'"\'>CAS</span>.</p>')
    assert contains(page_text(body, "text/html"), "Smile is a joint mission between ESA and CAS")


def test_text_of_a_script_cut_off_by_the_size_cap_does_not_count():
    # The body cap can cut a page inside a script: its code must not become page text.
    body = b"<p>Other words.</p><script>var q = 'Smile is a joint mission';"
    text = page_text(body, "text/html")
    assert not contains(text, "Smile is a joint mission") and contains(text, "Other words")


def test_template_noscript_and_comments_are_not_text():
    body = (b"<template><p>hidden one</p></template><noscript>hidden two</noscript>"
            b"<!-- hidden three --><p>shown</p>")
    assert page_text(body, "text/html") == "shown"


def test_block_elements_separate_words():
    assert page_text(b"<p>one</p><p>two<br>three</p><td>four</td>", "text/html") == \
        "one two three four"


def test_meta_charset_end_to_end(mini, server, run):
    body = html_in("cp1252", '<meta charset="windows-1252">')
    only(mini, server, lambda n: Reply(200, {"Content-Type": "text/html"}, body))
    quote(mini, CAFE)
    assert codes(run(mini, "--format", "json", *FAST)) == []
