"""Contributor tools: fmt, the editor schema, and `new` (by flags and at a terminal)."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from factbase.tools.fmt import format_text
from factbase.loading.yamlsource import Mapping, Scalar, Sequence, parse

from conftest import MINI, REPO, write
from test_bad_input import CORPUS, expectation


def plain(node):
    if isinstance(node, Mapping):
        return {k.value: plain(v) for k, v in node.items}
    if isinstance(node, Sequence):
        return [plain(v) for v in node.items]
    return node.value if isinstance(node, Scalar) else node


DATE_FIELDS = {"as_of", "valid_from", "valid_until", "published", "accessed", "review_after"}


def same_values(node):
    """The tree with date fields as text: fmt writes '2025' as 2025, the same date."""
    if isinstance(node, dict):
        return {k: str(v) if k in DATE_FIELDS and v is not None else same_values(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [same_values(v) for v in node]
    return node


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# ---- fmt: generated fact files keep every value and comment; fmt is idempotent ----

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=20).filter(lambda t: t.strip() == t and t)
scalar = st.one_of(words, st.integers(0, 5000), st.booleans(),
                   st.sampled_from(["2026-05-19", "2025-07", "2025", "yes", "no", "null", "1.5",
                                    "a: b", "#x", "- y", "'q'", '"d"', "[x]", "{y}", "*z", "&w"]))
FIELDS = ["id", "property", "object", "value", "statement", "as_of", "status", "note", "x-extra"]


def _render_yaml(records, quote_style, comment_lines):
    lines = ["# header comment", "subject: smile", "facts:"]
    for i, record in enumerate(records):
        for j, (key, value) in enumerate(record):
            text = json.dumps(value, ensure_ascii=False) if quote_style or not isinstance(value, str) \
                else "'" + str(value).replace("'", "''") + "'"
            if isinstance(value, bool):
                text = "true" if value else "false"
            prefix = "  - " if j == 0 else "    "
            lines.append(f"{prefix}{key}: {text}")
            if (i + j) % 3 == 0 and comment_lines:
                lines.append(f"    # comment {i}-{j}")
        lines.append("    cite:\n      - locator: here\n        source: esa-smile-factsheet  # why")
    return "\n".join(lines) + "\n"


records = st.lists(st.lists(st.tuples(st.sampled_from(FIELDS), scalar), min_size=1, max_size=6,
                            unique_by=lambda kv: kv[0]), min_size=1, max_size=4)


@settings(max_examples=int(os.environ.get("FACTBASE_FUZZ_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(records, st.booleans(), st.booleans())
def test_fmt_keeps_values_and_comments_and_is_idempotent(recs, double_quotes, with_comments):
    text = _render_yaml(recs, double_quotes, with_comments)
    before = parse(text.encode(), "x.yaml")
    if before.diagnostics:  # generated something that is not YAML for our loader: skip it
        return
    once = format_text(text, "claims")
    after = parse(once.encode(), "x.yaml")
    assert after.diagnostics == ()
    assert same_values(plain(after.root)) == same_values(plain(before.root))
    assert set(comments(text)) <= set(comments(once))
    assert format_text(once, "claims") == once


def test_fmt_orders_keys_unquotes_dates_and_adds_the_schema_line():
    text = ("subject: smile\nfacts:\n  - cite:\n      - locator: intro  # where\n"
            "        source: esa\n    as_of: '2026-05-19'\n    property: partner\n"
            "    id: x\n    object: \"esa\"\n")
    assert format_text(text, "claims") == (
        "# yaml-language-server: $schema=../../schema/claims.schema.json\n"
        "subject: smile\nfacts:\n  - id: x\n    property: partner\n    object: esa\n"
        "    as_of: 2026-05-19\n    cite:\n      - source: esa\n        locator: intro  # where\n")


def test_fmt_check_lists_files_and_exits_1(mini, cli):
    run = cli(mini, "fmt", "--check")
    assert run.code == 1 and "would reformat facts/claims/smile.yaml" in run.out
    assert cli(mini, "fmt").code == 0
    again = cli(mini, "fmt", "--check")
    assert again.code == 0 and again.out == ""


def test_shipped_base_is_formatted(cli):
    run = cli(REPO, "fmt", "--check")
    assert run.code == 0, run.out


def test_fmt_leaves_broken_files_alone(mini, cli):
    path = write(mini, "facts/claims/broken.yaml", "subject: smile\nfacts: [\n")
    run = cli(mini, "fmt")
    assert run.code == 1 and "not formatted" in run.err
    assert path.read_text() == "subject: smile\nfacts: [\n"


# ---- editor schema: generated from the model, agrees with the loader ----

SCHEMAS = {p.name.split(".")[0]: json.loads(p.read_text())
           for p in (REPO / "schema").glob("*.schema.json")}
SCHEMA_CODES = {"E201", "E202", "E203", "E204", "E206", "E207", "E208", "E306", "E307", "E401"}


def _validate(folder: str, data) -> bool:
    try:
        jsonschema.validate(data, SCHEMAS[folder])
        return True
    except jsonschema.ValidationError:
        return False


def test_committed_schemas_are_current(cli):
    assert cli(REPO, "schema", "--check").code == 0


@pytest.mark.parametrize("base", [MINI, REPO], ids=["mini", "shipped"])
def test_schema_accepts_every_valid_file(base):
    for path in sorted((base / "facts").rglob("*.yaml")):
        folder = path.relative_to(base / "facts").parts[0]
        assert _validate(folder, plain(parse(path.read_bytes(), "x").root)), path


@pytest.mark.parametrize("case", [c for c in CORPUS if expectation(c)[0] in SCHEMA_CODES
                                  and expectation(c)[2]], ids=lambda c: c.stem)
def test_schema_rejects_what_the_loader_rejects(case):
    parsed = parse(case.read_bytes(), "x")
    assert not _validate(expectation(case)[2], plain(parsed.root))


def test_fact_files_point_editors_at_their_schema():
    for path in (REPO / "facts").rglob("*.yaml"):
        folder = path.relative_to(REPO / "facts").parts[0]
        first = path.read_text().splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schema/{folder}.schema.json"


# ---- new: by flags, then check passes ----

def test_new_by_flags_for_each_kind(mini, cli):
    run = cli(mini, "new", "entity", "--type", "agency", "--name", "NASA")
    assert run.code == 0 and "Added entity 'nasa' to facts/entities/all.yaml" in run.err
    run = cli(mini, "new", "source", "--title", "NASA budget", "--publisher", "nasa",
              "--url", "https://example.org/budget", "--kind", "report", "--published", "2026-03")
    assert run.code == 0 and "Added source 'nasa-nasa-budget' to facts/sources/nasa.yaml" in run.err
    run = cli(mini, "new", "fact", "--subject", "nasa", "--property", "partner", "--object", "esa",
              "--source", "nasa-nasa-budget", "--locator", "page 4")
    # partner applies to missions only: the option is refused and nothing is written
    assert run.code == 2 and "'partner' does not apply to agency 'nasa'" in run.err
    assert "nasa-partner" not in (mini / "facts/claims").joinpath("nasa.yaml").read_text() \
        if (mini / "facts/claims/nasa.yaml").exists() else True
    run = cli(mini, "new", "fact", "--subject", "smile", "--property", "launch-date",
              "--value", "2026-05-19", "--statement", "Smile lifted off on 19 May 2026.",
              "--source", "nasa-nasa-budget", "--locator", "page 4")
    assert run.code == 0 and "Added fact 'smile-launch-date'" in run.err
    check = cli(mini, "check", "--format", "json")
    assert check.code == 0, check.out
    assert check.diagnostics == []  # nasa counts as used: it publishes the new source


def test_new_keeps_comments_and_layout(mini, cli):
    path = mini / "facts/claims/smile.yaml"
    original = path.read_text()
    assert cli(mini, "new", "fact", "--subject", "smile", "--property", "launch-date",
               "--value", "2026-05-19", "--source", "esa-smile-factsheet",
               "--locator", "x").code == 0
    assert path.read_text().startswith(original)


def test_new_without_a_terminal_names_what_is_missing(mini, cli):
    run = cli(mini, "new", "fact", "--subject", "smile")
    assert run.code == 2 and "missing property, source, locator, object or value" in run.err


# ---- new: a scripted terminal session ----

def _terminal(project: Path, args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run factbase under a pseudo-terminal, answering each prompt in turn."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(project)
        os.execv(sys.executable, [sys.executable, "-m", "factbase", *args])
    output, deadline = b"", time.time() + 60
    pending = list(answers)
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if pending and output.rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_new_prompts_at_a_terminal(mini):
    # a date-valued property takes a value: no object is asked; as_of and status are skipped
    code, out = _terminal(mini, ["new", "fact"], [
        "smile", "launch-date", "2026-05-19", "Smile lifted off on 19 May 2026.",
        "", "", "esa-smile-factsheet", "first paragraph", ""])
    assert code == 0, out
    assert "Subject (entity id)" in out and "Added fact 'smile-launch-date'" in out
    proc = subprocess.run([sys.executable, "-m", "factbase", "check"], cwd=mini,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert re.search(r"id: smile-launch-date\n    property: launch-date\n    value: 2026-05-19",
                     (mini / "facts/claims/smile.yaml").read_text())
