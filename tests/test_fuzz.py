"""Property-based fuzzing of the loader and the checks: any input gives
diagnostics, never an exception.

The CI budget is small; set FACTBASE_FUZZ_EXAMPLES (e.g. 20000) for a long run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator import checks
from generator.loader import load
from generator.schema import FACT_FIELDS, SOURCE_FIELDS
from generator.yamlsource import parse

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
