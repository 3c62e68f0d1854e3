"""Property-based fuzzing of the loader and the checks: any input gives
diagnostics, never an exception.

The CI budget is small; set FACTBASE_FUZZ_EXAMPLES (e.g. 20000) for a long run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from factbase import checks
from factbase.cli import main
from factbase.loading.loader import load
from factbase.loading.schema import FACT_FIELDS, SOURCE_FIELDS
from factbase.loading.yamlsource import parse

from conftest import MINI

EXAMPLES = int(os.environ.get("FACTBASE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="CI" in os.environ,
                suppress_health_check=[HealthCheck.too_slow])

KEYS = [f.name for f in FACT_FIELDS + SOURCE_FIELDS] + ["subject", "facts", "sources", "x"]
IDS = ["smile", "esa", "cas", "vega-c", "sxi", "esa-smile-factsheet", "partner",
       "launch-date", "launch-mass", "smile-launch-vehicle", "Bad Id", ""]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=True),
                    st.sampled_from(IDS), st.text(max_size=30),
                    st.sampled_from(["2026-05-19", "2025", "2026-02-30", "2026-13", "javascript:x",
                                     "https://example.org/", "disputed", "superseded"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=25)
facts = st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=9), max_size=6)


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_parse_to_a_tree_or_diagnostics(data):
    result = parse(data, "fuzz.yaml")
    assert (result.root is None) == bool(result.diagnostics) or result.root is None


@FUZZ
@given(st.text(alphabet=st.sampled_from("ab:- \n[]{}&*!|>'\"#\t?,@`%"), max_size=200))
def test_yaml_punctuation_never_raises(text):
    for engine in ("libyaml", "ruamel"):
        parse(text.encode(), "fuzz.yaml", engine)


@FUZZ
@given(facts, st.sampled_from(["claims", "sources", "entities", "properties", "rules"]),
       st.one_of(st.none(), st.sampled_from(IDS)))
def test_structured_fact_files_load_and_check_without_exceptions(items, folder, subject):
    document = {"subject": subject, "facts": items} if folder == "claims" else {folder: items}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(MINI / "facts", project / "facts")
        text = yaml.safe_dump(document, allow_unicode=True)
        (project / "facts" / folder).mkdir(exist_ok=True)
        (project / "facts" / folder / "fuzz.yaml").write_text(text, encoding="utf-8")
        result = load(project / "facts", project)
        found = result.diagnostics + checks.run(result.base)
        assert all(d.line >= 1 and d.col >= 1 and d.code for d in found)


# Text that has broken sites: HTML and Markdown syntax, entities, and the
# characters a terminal or a browser treats specially (surrogates, controls,
# bidi overrides, zero-width characters).
FRAGMENTS = ['<em class="injected">x</em>', "</title>", "<img src=x onerror=alert(1)>",
             "<script>alert(1)</script>", "[x](javascript:alert(1))", "{: onclick=alert(1) }",
             "&lt;script&gt;", "&amp;", "<!--", "-->", "]]>", "`", "```", "|", "[^1]", "*", "_",
             "#", "- ", "1. ", "\n", "---", "\\", '"', "'", "\ud800", "\x07", "\x1b[2J", "\u202e",
             "\u200b", "\x85", "\x00", "😀", "é"]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters()), min_size=1,
                        max_size=8).map("".join)
TEXT_FIELDS = ("name", "summary", "title", "label", "statement", "note", "locator", "quote")
BUILDS = int(os.environ.get("FACTBASE_FUZZ_BUILDS", "6"))


def _replace_text(node, texts):
    """Give every text field of a fact file the next hostile text."""
    if isinstance(node, dict):
        return {k: next(texts) if k in TEXT_FIELDS and isinstance(v, str) else _replace_text(v, texts)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_text(item, texts) for item in node]
    return node


class _LiveMarkup(HTMLParser):
    """Collects what a browser would make live: handlers, javascript: links,
    injected elements, scripts that are not the theme's."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        self.found += [f"{tag}[{k}]" for k in named if k.startswith("on")]
        if "injected" in (named.get("class") or "") or (tag == "img" and named.get("src") == "x"):
            self.found.append(tag)
        if tag == "a" and (named.get("href") or "").strip().lower().startswith("javascript:"):
            self.found.append("javascript: link")
        # Data blocks (JSON-LD) are never run; their text is inert whatever it says.
        kind = (named.get("type") or "text/javascript").lower()
        self._in_script = tag == "script" and kind in ("text/javascript", "module")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append("script")

    def handle_endtag(self, tag):
        self._in_script = False


@settings(max_examples=BUILDS, deadline=None, derandomize="CI" in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(hostile_text, min_size=1, max_size=12))
def test_hostile_text_through_render_and_build(texts, tmp_path_factory, monkeypatch, capsys):
    """Render and the MkDocs build either refuse the text with diagnostics or
    make a site in which none of it is live; neither ever raises."""
    project = tmp_path_factory.mktemp("fuzzbuild") / "mini"
    shutil.copytree(MINI, project)
    endless = itertools.cycle(texts)
    for path in (project / "facts").rglob("*.yaml"):
        document = _replace_text(yaml.safe_load(path.read_text(encoding="utf-8")), endless)
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(project)
    code = main(["build"])
    output = capsys.readouterr()
    assert code in (0, 1), output.err
    assert "Traceback" not in output.err + output.out
    if code == 0:
        for page in (project / "site").rglob("*.html"):
            parser = _LiveMarkup()
            parser.feed(page.read_text(encoding="utf-8"))
            assert parser.found == [], page
