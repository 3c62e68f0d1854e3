"""Output formats and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema

from factbase import report
from factbase.diagnostics import Diagnostic
from factbase.model import Span

from conftest import REPO, write

SCHEMA = json.loads((REPO / "generator" / "data" / "diagnostics.schema.json").read_text())
BAD = "subject: smile\nfacts:\n  - id: x1\n    property: carries-instrument\n    object: esa\n" \
      "    cite:\n      - source: esa-smile-factshet\n        locator: intro\n"


def test_json_output_validates_against_the_documented_schema(mini, cli):
    write(mini, "facts/claims/bad.yaml", BAD)
    run = cli(mini, "check", "--format", "json")
    document = json.loads(run.out)
    jsonschema.validate(document, SCHEMA)
    assert document["summary"] == {"files": 6, "errors": 2, "warnings": 0, "ignored": 0}


def test_clean_json_output_validates_too(mini, cli):
    jsonschema.validate(json.loads(cli(mini, "check", "--format", "json").out), SCHEMA)


def test_text_output_is_path_line_col_code_message(mini, cli):
    write(mini, "facts/claims/bad.yaml", BAD)
    run = cli(mini, "check")
    assert run.out == ("facts/claims/bad.yaml:5:13: E502 'carries-instrument' expects instrument, "
                       "but 'esa' has type agency\n"
                       "facts/claims/bad.yaml:7:17: E302 unknown source 'esa-smile-factshet' "
                       "(did you mean 'esa-smile-factsheet'?)\n")
    assert run.err.strip() == "Found 2 errors and 0 warnings in 1 file."


GITHUB = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=[EW]\d{3}::.+$")


def test_github_annotations_match_the_workflow_command_syntax(mini, cli):
    write(mini, "facts/claims/bad.yaml", BAD)
    out = cli(mini, "check", "--format", "github").out
    assert "::error file=facts/claims/bad.yaml,line=7,col=17,title=E302::" in out
    assert all(GITHUB.match(line) for line in out.splitlines())


def test_github_escapes_newlines_and_separators():
    d = Diagnostic.at(Span("a,b:c.yaml", 1, 2), "E101", "50% bad\nsecond line")
    assert report.github([d]) == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=E101::50%25 bad%0Asecond line\n"


def test_exit_code_0_when_clean(mini, cli):
    run = cli(mini, "check")
    assert run.code == 0 and run.out == "" and "All checks passed" in run.err


def test_exit_code_2_for_unknown_option(mini, cli):
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts", "facts_dri: facts"))
    run = cli(mini, "check")
    assert run.code == 2 and "unknown factbase option(s): facts_dri" in run.err


def test_exit_code_2_without_a_facts_folder(tmp_path: Path, cli):
    write(tmp_path, "mkdocs.yml", "site_name: x\n")
    run = cli(tmp_path, "check")
    assert run.code == 2 and "no facts folder" in run.err


def test_exit_code_2_for_usage_errors():
    proc = subprocess.run([sys.executable, "-m", "factbase", "check", "--format", "xml"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_console_script_and_module_agree():
    module = subprocess.run([sys.executable, "-m", "factbase", "--help"],
                            capture_output=True, text=True)
    script = subprocess.run([str(Path(sys.executable).with_name("factbase")), "--help"],
                            capture_output=True, text=True)
    assert module.returncode == script.returncode == 0
    assert "check" in module.stdout and module.stdout.replace("__main__.py", "factbase") \
        .splitlines()[1:] == script.stdout.splitlines()[1:]
