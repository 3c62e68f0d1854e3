"""The first contributor's journey, end to end, on a copy of the shipped base.

A newcomer adds the publisher (an entity), the document (a source), what it
says (a fact), and a second citation for a fact the base already has: once
with command-line flags, once answering the prompts through a pipe (stdin is
not a terminal, as in a script or CI). Afterwards `check` and `build --strict`
agree: both pass. The three mistakes newcomers make most (American spelling of
a type, an impossible date, a mistyped source id) are each named with
file:line:col when given as flags, and re-asked with the reason at a prompt.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project

# A real example: the Space Research Institute of the Austrian Academy of Sciences
# lists its part in Smile (the SXI) on its Smile page, which opens by calling Smile
# a joint mission of ESA and CAS (a second source for the existing partner fact).
ENTITY = {"type": "organisation", "id": "iwf",
          "name": "Space Research Institute (IWF), Austrian Academy of Sciences"}
SOURCE = {"title": "SMILE", "publisher": "iwf", "kind": "web-page",
          "url": "https://www.oeaw.ac.at/iwf/forschung/weltraummissionen/zukuenftige-missionen/smile"}
SOURCE_ID = "iwf-smile"
FACT = {"subject": "smile-sxi", "property": "contributor", "object": "iwf",
        "statement": "The Austrian Academy of Sciences' Space Research Institute (IWF) "
                     "takes part in Smile's Soft X-ray Imager.",
        "source": SOURCE_ID, "locator": "third paragraph"}
FACT_ID = "smile-sxi-contributor-2"   # smile-sxi-contributor is taken (Leicester)
CITED = "smile-partner-esa"           # the existing fact that gets a second citation
CITE = {"source": SOURCE_ID, "locator": "first paragraph",   # the page is in German
        "quote": "eine gemeinsame Mission der Europäischen Weltraumorganisation ESA"}


@pytest.fixture
def base(tmp_path) -> Path:
    """A writable copy of the shipped project (what a contributor's checkout holds)."""
    return copy_project(tmp_path / "base")


def factbase(project: Path, *args: str, answers: list[str] | None = None
             ) -> subprocess.CompletedProcess:
    """Run the installed command; `answers` are piped in, one a line (no terminal)."""
    piped = "".join(a + "\n" for a in answers) if answers is not None else ""
    return subprocess.run([sys.executable, "-m", "factbase", *args], cwd=project, input=piped,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300)


def flags(values: dict[str, str]) -> list[str]:
    return [part for name, value in values.items() for part in (f"--{name}", value)]


def facts_tree(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((project / "facts").rglob("*.yaml"))}


def assert_journey_done(project: Path) -> None:
    """Every record is where it belongs, and check and build --strict agree: clean."""
    from factbase import project as checking
    from factbase.config import load_config
    loaded = checking.check(load_config(config_file=project / "mkdocs.yml")).base
    assert loaded.entities["iwf"].type == "organisation"
    assert loaded.sources[SOURCE_ID].url == SOURCE["url"]
    fact = loaded.facts[FACT_ID]
    assert (fact.subject, fact.object, [c.source for c in fact.citations]) == \
        ("smile-sxi", "iwf", [SOURCE_ID])
    cited = loaded.facts[CITED]
    assert len(cited.citations) >= 2
    added = cited.citations[-1]
    assert (added.source, added.locator) == (SOURCE_ID, CITE["locator"])
    check = factbase(project, "check")
    build = factbase(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert (check.returncode, build.returncode) == (0, 0), check.stdout + build.stdout


def test_journey_by_flags(base):
    steps = [
        ("new", "entity", *flags(ENTITY)),
        ("new", "source", *flags(SOURCE)),
        ("new", "fact", *flags(FACT)),
        ("cite", CITED, *flags(CITE)),
    ]
    for step in steps:
        done = factbase(base, *step)
        assert done.returncode == 0, f"{' '.join(step)}\n{done.stdout}"
    assert_journey_done(base)


def test_journey_by_piped_answers(base):
    # The answers in the order the prompts come (see PROMPTS in generator/tools/new.py);
    # an empty line skips an optional field.
    steps = [
        (("new", "entity"), [ENTITY["type"], ENTITY["name"], ""]),
        (("new", "source"), [SOURCE["title"], "iwf", SOURCE["url"], SOURCE["kind"], "", ""]),
        (("new", "fact"), [FACT["subject"], FACT["property"], FACT["object"], FACT["statement"],
                           "", "", FACT["source"], FACT["locator"], ""]),   # as_of, status skipped
        (("cite", CITED), [CITE["source"], CITE["locator"], CITE["quote"]]),
    ]
    for args, answers in steps:
        if args == ("new", "entity"):
            args = (*args, "--id", "iwf")  # the id is proposed from the name; this one is short
        done = factbase(base, *args, answers=answers)
        assert done.returncode == 0, f"{' '.join(args)} <<< {answers}\n{done.stdout}"
    assert_journey_done(base)


# ---- the three typical mistakes ----
# Given as options, a mistake is refused before anything is written (a usage
# error, exit 2), naming the option, what is wrong and the likely fix.

MISTAKES = {
    "organization": (("new", "entity", "--type", "organization", "--id", "iwf",
                      "--name", ENTITY["name"]),
                     r"--type 'organization': unknown type 'organization'; "
                     r"did you mean 'organisation'\?"),
    "bad date": (("new", "source", *flags(SOURCE | {"publisher": "esa"}),
                  "--published", "2025-13-01"),
                 r"--published '2025-13-01': '2025-13-01' is not a real date: "
                 r"there is no month 13"),
    "source typo": (("new", "fact", *flags(FACT | {"source": "esa-smile-factshet",
                                                   "object": "esa"})),
                    r"--source 'esa-smile-factshet': unknown source 'esa-smile-factshet'; "
                    r"did you mean 'esa-smile-factsheet'\?"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_in_a_flag_is_named_and_nothing_is_written(base, mistake):
    args, expected = MISTAKES[mistake]
    before = facts_tree(base)
    done = factbase(base, *args)
    assert done.returncode == 2, done.stdout
    assert re.search(expected, done.stdout), done.stdout
    assert "Traceback" not in done.stdout
    assert facts_tree(base) == before


def test_organization_at_a_prompt_is_re_asked_with_the_reason(base):
    done = factbase(base, "new", "entity", "--id", "iwf",
                    answers=["organization", "organisation", ENTITY["name"], ""])
    assert done.returncode == 0, done.stdout
    assert "did you mean 'organisation'?" in done.stdout
    assert done.stdout.count("Type") >= 2  # asked again
    assert "type: organisation" in (base / "facts/entities/organisations.yaml").read_text()
    assert "organization" not in "".join(facts_tree(base).values())


def test_a_bad_date_at_a_prompt_is_re_asked_with_the_reason(base):
    done = factbase(base, "new", "source", answers=[
        SOURCE["title"], "esa", SOURCE["url"], SOURCE["kind"], "2025-13-01", "2025-07", ""])
    assert done.returncode == 0, done.stdout
    assert "no month 13" in done.stdout
    assert done.stdout.count("Publication date") >= 2
    written = "".join(facts_tree(base).values())
    assert "2025-13-01" not in written and "published: 2025-07" in written


def test_a_source_typo_at_a_prompt_is_re_asked_with_the_reason(base):
    done = factbase(base, "new", "fact", answers=[
        FACT["subject"], FACT["property"], "esa", FACT["statement"], "", "",
        "esa-smile-factshet", "esa-smile-factsheet", FACT["locator"], ""])
    assert done.returncode == 0, done.stdout
    assert "did you mean 'esa-smile-factsheet'?" in done.stdout
    assert done.stdout.count("Source id") >= 2
    assert "esa-smile-factshet" not in "".join(facts_tree(base).values())
