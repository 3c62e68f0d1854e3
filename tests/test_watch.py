"""`factbase watch` against feeds served from 127.0.0.1.

The project is the mini base with an ongoing property (a mission's status),
a current status fact for Smile, a watch term, and two feeds declared in its
mkdocs.yml; each test serves the feeds it needs.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import pytest

from factbase.watch import escape
from factbase.watch.seen import LOCK_FILE

from conftest import write
from linkserver import LinkServer, Reply, endless, loopback_only, page

CITED = ("https://www.esa.int/Science_Exploration/Space_Science/Smile/Smile_factsheet2")

STATUS = """
  - id: status-report
    label: status
    subject_types: [mission]
    value_type: text
    single: true
    ongoing: true
"""
STATUS_FACT = """
  - id: smile-status
    property: status-report
    value: in its science orbit
    statement: Smile was in its science orbit, being tested.
    as_of: 2026-06-25
    review_after: 2027-02-28
    cite:
      - source: esa-smile-factsheet
        locator: introduction
"""


def rss(*items: tuple[str, str, str]) -> str:
    """RSS 2.0 with (title, link, description) items; the link is also the guid."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
                   f"<description>{d}</description>"
                   f"<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>"
                   for t, link, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Feed</title><link>https://example.org/</link><description>d</description>"
            f"{body}</channel></rss>\n")


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom feed</title><id>urn:feed</id><updated>2026-12-01T00:00:00Z</updated>
  <entry><title>Magnetosphere explorer returns first light</title>
    <id>urn:atom:1</id><link href="https://example.org/atom/1"/>
    <updated>2026-12-02T00:00:00Z</updated>
    <summary type="html">&lt;p&gt;The Solar wind Magnetosphere Ionosphere Link
      Explorer has &lt;b&gt;first light&lt;/b&gt;.&lt;/p&gt;</summary></entry>
  <entry><title>Unrelated</title><id>urn:atom:2</id><link href="https://example.org/atom/2"/>
    <updated>2026-12-02T00:00:00Z</updated><summary>Nothing to see.</summary></entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://example.org/rdf"><title>RDF feed</title>
    <link>https://example.org/</link><description>d</description></channel>
  <item rdf:about="https://example.org/rdf/1"><title>The smile mission's instruments</title>
    <link>https://example.org/rdf/1</link><description>All four are tested.</description></item>
</rdf:RDF>
"""

RSS = rss(
    ("SMILÉ sees the magnetosphere", "https://example.org/rss/1", "First images."),
    ("Smiles all round at the agency", "https://example.org/rss/2", "A Smiley party."),
    ("Smile factsheet updated", CITED, "The Smile factsheet."),
    ("Nothing relevant", "https://example.org/rss/4", "Weather."),
    ("A quiet week", "https://example.org/rss/5", "In brief: smile&#8217;s orbit is raised."),
)


@pytest.fixture
def server(monkeypatch):
    loopback_only(monkeypatch)
    srv = LinkServer()
    yield srv
    srv.close()


@pytest.fixture
def project(mini: Path, server: LinkServer) -> Path:
    vocabulary = mini / "facts/properties/vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text() + STATUS)
    claims = mini / "facts/claims/smile.yaml"
    claims.write_text(claims.read_text() + STATUS_FACT)
    entities = mini / "facts/entities/all.yaml"
    entities.write_text(entities.read_text().replace(
        "    name: Smile\n",
        "    name: Smile\n    watch_terms: [Solar wind Magnetosphere Ionosphere Link Explorer]\n"))
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      pages_dir: pages\n",
        "      pages_dir: pages\n      watch:\n        feeds:\n"
        f"          - {{name: News (RSS), url: '{server.url('/rss')}'}}\n"
        f"          - {{name: Science (Atom), url: '{server.url('/atom')}', publisher: esa}}\n"))
    return mini


def serve(server: LinkServer, **feeds: str) -> None:
    for path, text in feeds.items():
        server.routes[f"/{path}"] = page(text, "application/xml; charset=utf-8")


def watch(cli, project: Path, *args: str):
    started = time.monotonic()
    run = cli(project, "watch", "--timeout", "1", "--retries", "0", *args)
    run.seconds = time.monotonic() - started
    assert "Traceback" not in run.err + run.out
    return run


def titles(run) -> list[str]:
    return [lead["title"] for lead in json.loads(run.out)["leads"]]


# --- what is listed ------------------------------------------------------------------

def test_lists_exactly_the_new_relevant_items_with_the_facts_to_review(cli, project, server):
    serve(server, rss=RSS, atom=ATOM)
    run = watch(cli, project, "--format", "json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    # Accents and case do not matter; "Smiles" and "Smiley" are not "Smile"; the
    # item whose link a source already cites is left out, and so is the unrelated one.
    assert titles(run) == ["SMILÉ sees the magnetosphere", "A quiet week",
                           "Magnetosphere explorer returns first light"]
    first = report["leads"][0]
    assert first["feed"] == "News (RSS)" and first["link"] == "https://example.org/rss/1"
    assert first["published"] == "2026-12-01"
    assert [(e["id"], e["terms"]) for e in first["entities"]] == [("smile", ["Smile"])]
    assert [r["fact"] for r in first["entities"][0]["review"]] == ["smile-status"]
    where = first["entities"][0]["review"][0]["where"]
    line = (project / "facts/claims/smile.yaml").read_text().splitlines().index(
        "  - id: smile-status") + 1
    assert where == f"facts/claims/smile.yaml:{line}"
    atom = report["leads"][2]["entities"][0]
    assert atom["terms"] == ["Solar wind Magnetosphere Ionosphere Link Explorer"]
    assert report["cited"] == 1 and report["seen"] == 0 and report["items"] == 7
    assert "3 leads in 7 items from 2 of 2 feeds (1 already cited" in run.err


def test_second_run_after_update_lock_lists_none(cli, project, server):
    serve(server, rss=RSS, atom=ATOM)
    first = watch(cli, project, "--update-lock")
    assert first.code == 0 and "SMILÉ sees the magnetosphere" in first.out
    lock = json.loads((project / LOCK_FILE).read_text())
    assert sorted(lock["seen"]) == ["https://example.org/rss/1", "https://example.org/rss/5",
                                    "urn:atom:1"]
    again = watch(cli, project, "--format", "json")
    assert again.code == 0 and titles(again) == []
    assert json.loads(again.out)["seen"] == 3
    assert "0 leads in 7 items from 2 of 2 feeds (1 already cited, 3 already listed" in again.err


def test_rdf_and_an_extra_feed_for_one_run(cli, project, server):
    serve(server, rss=rss(), atom=ATOM, rdf=RDF)
    run = watch(cli, project, "--format", "json", "--feed", server.url("/rdf"))
    assert run.code == 0, run.err
    assert titles(run) == ["Magnetosphere explorer returns first light",
                           "The smile mission's instruments"]


def test_gzip_encoded_feed(cli, project, server):
    serve(server, atom=ATOM)
    body = gzip.compress(RSS.encode())
    server.routes["/rss"] = lambda n: Reply(200, {"Content-Type": "application/rss+xml",
                                                  "Content-Encoding": "gzip"}, body)
    run = watch(cli, project, "--format", "json")
    assert run.code == 0, run.err
    assert "SMILÉ sees the magnetosphere" in titles(run)


def test_the_feeds_own_publisher_is_not_a_lead(cli, project, server):
    """The Atom feed is declared as ESA's: an item there naming only ESA is no news
    about ESA; the same item in the RSS feed is (ESA has no ongoing fact in the mini
    base, so it is watched only once it declares a watch term)."""
    entities = project / "facts/entities/all.yaml"
    entities.write_text(entities.read_text().replace(
        "    aliases: [ESA]\n", "    aliases: [ESA]\n    watch_terms: [European Space Agency]\n"))
    item = ("ESA opens a new office", "https://example.org/esa/1", "ESA said.")
    serve(server, rss=rss(item), atom=rss(item))
    run = watch(cli, project, "--format", "json")
    assert [lead["feed"] for lead in json.loads(run.out)["leads"]] == ["News (RSS)"]


# --- feeds that fail ----------------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>x</title><link>https://e.org/</link><description>d</description>
<item><title>Smile &secret;</title><link>https://e.org/1</link></item></channel></rss>
"""
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "Smile">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
          + ']>\n<rss version="2.0"><channel><title>&j;</title><item><title>&j;</title>'
            '<link>https://e.org/1</link></item></channel></rss>\n')
MALFORMED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
             '<item><title>Smile & friends</title><link>https://e.org/m1</link></item>'
             '<item><title>Broken <b>tag</title></item></channel>')


def _trickle(n: int) -> Reply:
    def chunks():
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>'
        while True:
            time.sleep(0.1)
            yield b"<item><title>Smile again</title></item>"
    return Reply(200, {"Content-Type": "application/rss+xml"}, chunks())


def _never_ending(n: int) -> Reply:
    def chunks():
        yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
        block = b"<item><title>Smile</title></item>" * 2000
        while True:
            yield block
    return Reply(200, {"Content-Type": "application/rss+xml"}, chunks())


FAILURES = {
    "malformed-beyond-reading": (lambda n: Reply(200, {}, b"\x00\x01 not a feed at all <<<"),
                                 "is not a readable RSS or Atom feed"),
    "huge": (endless(chunk=1024 * 1024, total=60 * 1024 * 1024), "is larger than 5 MB"),
    "never-ending": (_never_ending, "is larger than 5 MB (or never ends)"),
    "trickling": (_trickle, "timed out: no whole answer within"),
    "entity-expansion": (lambda n: Reply(200, {}, LAUGHS.encode()), "declares XML entities"),
    "not-found": (lambda n: Reply(404, {}, b"gone"), "answered HTTP 404"),
    "refused": (None, "could not be fetched: connection refused"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_failing_feed_is_a_warning_naming_it(cli, project, server, case):
    route, message = FAILURES[case]
    serve(server, atom=ATOM)
    if route is None:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace(server.url("/rss"), "http://127.0.0.1:9/"))
    else:
        server.routes["/rss"] = route
    run = watch(cli, project, "--format", "json")
    assert run.seconds < 20
    assert re.search(rf"warning: feed 'News \(RSS\)' \(\S+\) .*{re.escape(message)}", run.err), \
        run.err
    # The other feed is still read, and the run does not claim there is nothing new.
    assert titles(run)[-1] == "Magnetosphere explorer returns first light"
    assert run.code == 1
    assert "1 feed could not be read (News (RSS)): its news is unknown, not absent" in run.err


def test_an_external_entity_is_refused_and_never_read(cli, project, server, tmp_path):
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-VALUE")
    serve(server, atom=ATOM)
    server.routes["/rss"] = lambda n: Reply(200, {}, XXE.format(path=secret).encode())
    run = watch(cli, project, "--format", "json")
    assert run.code == 1
    assert "warning: feed 'News (RSS)'" in run.err and "declares XML entities" in run.err
    assert "TOP-SECRET-VALUE" not in run.out + run.err


def test_a_malformed_feed_is_read_leniently_with_a_warning(cli, project, server):
    serve(server, atom=ATOM)
    server.routes["/rss"] = lambda n: Reply(200, {}, MALFORMED.encode())
    run = watch(cli, project, "--format", "json")
    assert "warning: feed 'News (RSS)'" in run.err and "is not well-formed XML" in run.err
    assert "Smile & friends" in titles(run)


def test_the_run_deadline_stops_before_the_next_feed(cli, project, server):
    serve(server, atom=ATOM)
    server.routes["/rss"] = _trickle
    run = watch(cli, project, "--deadline", "1")
    assert run.seconds < 20 and run.code == 1
    assert "warning: feed 'News (RSS)'" in run.err and "did not arrive within 1 s" in run.err
    assert "warning: feed 'Science (Atom)'" in run.err and "deadline (1 s) had passed" in run.err


def test_the_request_says_who_it_is(cli, project, server):
    seen = {}

    def record(n):
        return Reply(200, {}, ATOM.encode())
    serve(server, rss=RSS)
    server.routes["/atom"] = record
    import http.server
    original = http.server.BaseHTTPRequestHandler.parse_request

    def parse(self):
        ok = original(self)
        seen[self.path] = self.headers.get("User-Agent", "")
        return ok
    http.server.BaseHTTPRequestHandler.parse_request = parse
    try:
        watch(cli, project)
    finally:
        http.server.BaseHTTPRequestHandler.parse_request = original
    assert seen["/atom"].startswith("factbase-watch/") and "news feed reader" in seen["/atom"]


# --- hostile text --------------------------------------------------------------------

HOSTILE = ("Smile \x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 \u202eesrever "
           "@octocat #12 ![pic](https://evil.example/p.png) <img src=x onerror=alert(1)> "
           "[more](https://evil.example/) www.evil.example\n::error::forged ##[group]x")


@pytest.fixture
def hostile(project, server):
    items = [(HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
              "https://example.org/ok?a=1&amp;b=(2)", "Smile"),
             ("Smile via javascript", "javascript:alert(1)", "x")]
    serve(server, rss=rss(*items), atom=rss())
    return project


def _no_terminal_controls(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "json"])
def test_hostile_titles_are_escaped(cli, hostile, fmt):
    run = watch(cli, hostile, "--format", fmt)
    assert run.code == 0, run.err
    _no_terminal_controls(run.out)
    _no_terminal_controls(run.err)
    assert "##[" not in run.out
    lines = run.out.splitlines()
    if fmt == "github":
        assert lines and all(line.startswith("::notice title=Lead from News (RSS)::")
                             for line in lines)
        # One command per line: the title's line break is encoded, so its "::error::"
        # stays inside this notice's message and is never a command of its own.
        assert len(lines) == 2 and "%0A" not in lines[0] and "forged" in lines[0]
    else:
        assert not any(line.startswith("::") for line in lines)
    if fmt == "markdown":
        assert "@octocat" not in run.out and "<img" not in run.out and "![" not in run.out
        targets = re.findall(r"\]\(<?([^)>]*)", run.out)
        assert targets == ["https://example.org/ok?a=1&b=%282%29"]
        assert "javascript" not in "".join(targets)
        assert not re.search(r"https?://evil|www\.evil", run.out)


def test_markdown_escaping():
    assert escape.markdown("a *b* [c](d) <e> `f` @g #1 http://h www.i") == (
        "a \\*b\\* \\[c\\]\\(d\\) \\<e\\> \\`f\\` @\u200bg \\#\u200b1 "
        "http\\:\u200b//h w\u200bww\\.i")
    assert escape.link("javascript:alert(1)") == "" and escape.link("ftp://x/") == ""
    assert escape.terminal("::set-output name=x::y") == ": :set-output name=x::y"
    assert escape.command_property("a:b,c%\n") == "a%3Ab%2Cc%25"


# --- configuration -------------------------------------------------------------------

@pytest.mark.parametrize("option, message", [
    ("watch: [https://x]", "must be a mapping with one key, feeds"),
    ("watch: {feeds: [{name: X}]}", "feed 1 must have a name and a url"),
    ("watch: {feeds: [{name: X, url: 'file:///etc/passwd'}]}", "url must be an http(s) address"),
    ("watch: {feeds: []}", "no feeds to read"),
])
def test_bad_watch_options_are_usage_errors(cli, mini, option, message):
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("      pages_dir: pages\n",
                                                 f"      pages_dir: pages\n      {option}\n"))
    run = cli(mini, "watch")
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_a_broken_lock_is_a_usage_error_with_its_position(cli, project, server):
    write(project, LOCK_FILE, '{"version": 1,\n "seen": {,}}\n')
    run = cli(project, "watch")
    assert run.code == 2 and f"{LOCK_FILE}:2:11: not valid JSON" in run.err
    assert server.count() == 0
