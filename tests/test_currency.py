"""Currency: facts about an ongoing state (a property declared `ongoing: true`)
carry a review date (W765), `factbase review` lists the dates that have
passed or are coming, and pages say when such a state was last known true."""

from __future__ import annotations

import pytest

from factbase.loading.loader import load
from factbase.rendering.render import SiteOptions, render_site

from conftest import REPO, write

STATUS_PROPERTY = """\
properties:
  - id: status-report
    label: status report
    subject_types: [mission]
    value_type: text
    ongoing: true
"""
CITE = "    cite:\n      - source: esa-launch-contract-2024\n        locator: image caption\n"
HEAD = "subject: smile\nfacts:\n"
X = "facts/claims/x.yaml"


def fact(ident: str, prop: str, value: str, *lines: str) -> str:
    return (f"  - id: {ident}\n    property: {prop}\n    value: {value}\n"
            + "".join(f"    {line}\n" for line in lines) + CITE)


def with_status(mini, claims: str) -> None:
    write(mini, "facts/properties/status.yaml", STATUS_PROPERTY)
    write(mini, X, HEAD + claims)


def found(cli, mini, *codes: str) -> set[tuple[str, int]]:
    run = cli(mini, "check", "--format", "json", "--today", "2026-11-29")
    return {(d["code"], d["line"]) for d in run.diagnostics if d["code"] in codes}


# --- W765: an ongoing state without a review date --------------------------------

def test_a_review_date_that_is_not_a_date_is_one_error_not_two(mini, cli):
    with_status(mini, fact("smile-status", "status-report", "In orbit.", "as_of: 2026-06-25",
                           "review_after: soon"))
    assert {code for code, _ in found(cli, mini, "E205", "W765")} == {"E205"}


def test_a_current_fact_of_an_ongoing_property_needs_a_review_date(mini, cli):
    with_status(mini, fact("smile-status", "status-report", "In orbit.", "as_of: 2026-06-25"))
    run = cli(mini, "check", "--format", "json", "--today", "2026-11-29")
    w765 = [d for d in run.diagnostics if d["code"] == "W765"]
    assert [(d["path"], d["line"]) for d in w765] == [(X, 3)]
    assert w765[0]["message"] == ("'smile-status' describes an ongoing state but has no "
                                  "review_after date; add one so an editor re-checks it")


def test_a_review_date_or_a_past_state_passes(mini, cli):
    with_status(mini, fact("smile-status", "status-report", "In orbit.", "as_of: 2026-06-25",
                           "review_after: 2027-03-01")
                + fact("smile-status-old", "status-report", "Launched.", "status: superseded"))
    assert found(cli, mini, "W765", "W716") == set()


def test_a_plain_property_needs_no_review_date(mini, cli):
    write(mini, X, HEAD + fact("smile-mass-2", "launch-mass", "2200", "approximate: true",
                               "status: disputed", "note: Another figure."))
    assert found(cli, mini, "W765") == set()


def test_ongoing_must_be_true_or_false(mini, cli):
    write(mini, "facts/properties/status.yaml", STATUS_PROPERTY.replace("true", "often"))
    run = cli(mini, "check", "--format", "json")
    assert run.code == 1
    assert {(d["code"], d["line"]) for d in run.diagnostics} == {("E203", 6)}


# --- factbase review --------------------------------------------------------------

REVIEWED = (fact("smile-status-a", "status-report", "A.", "review_after: 2026-06-01")
            + fact("smile-status-b", "status-report", "B.", "review_after: 2026-12-15")
            + fact("smile-status-c", "status-report", "C.", "review_after: 2027-06-01"))


def test_review_lists_facts_due_and_coming_due_and_fails_when_any_is_due(mini, cli):
    with_status(mini, REVIEWED)
    run = cli(mini, "review", "--today", "2026-11-29")
    assert run.code == 1
    assert run.out.splitlines() == [
        f"{X}:6:19: due: 'smile-status-a' was due for review after 2026-06-01",
        f"{X}:13:19: coming due: 'smile-status-b' is due for review after 2026-12-15 "
        "(in 16 days)",
    ]
    assert "1 fact due for review, 1 coming due within 30 days" in run.err


def test_review_passes_when_nothing_is_due_yet(mini, cli):
    with_status(mini, REVIEWED)
    run = cli(mini, "review", "--today", "2026-05-01", "--within", "0")
    assert (run.code, run.out) == (0, "")
    assert "No fact is due for review" in run.err
    run = cli(mini, "review", "--today", "2026-06-01", "--within", "366")
    assert run.code == 0   # due only after the date itself, as W716
    assert [line.split(": ")[1] for line in run.out.splitlines()] == ["coming due"] * 3


def test_review_counts_a_month_to_its_last_day(mini, cli):
    with_status(mini, fact("smile-status", "status-report", "A.", "review_after: 2027-02"))
    run = cli(mini, "review", "--today", "2027-02-10")
    assert run.code == 0
    assert run.out.endswith("is due for review after 2027-02 (in 18 days)\n")
    assert cli(mini, "review", "--today", "2027-03-01").code == 1


def test_review_of_a_window_past_the_calendar_lists_everything_after(mini, cli):
    with_status(mini, REVIEWED)
    run = cli(mini, "review", "--today", "9999-12-01", "--within", "99999999999")
    assert run.code == 1 and len(run.out.splitlines()) == 3


def test_review_of_a_broken_base_reports_the_errors(mini, cli):
    write(mini, X, HEAD + "  - id: x\n")
    run = cli(mini, "review", "--today", "2026-11-29")
    assert run.code == 1
    assert "E2" in run.out and "review" in run.err


def test_review_refuses_a_negative_window(mini, cli, capsys):
    import pytest
    with pytest.raises(SystemExit) as stopped:
        cli(mini, "review", "--within", "-3")
    assert stopped.value.code == 2
    assert "not a number of days: '-3'" in capsys.readouterr().err


def test_the_shipped_base_has_a_review_date_for_every_ongoing_state(cli):
    run = cli(REPO, "review", "--today", "2026-11-29", "--within", "0")
    assert run.code == 0, run.out
    run = cli(REPO, "check", "--format", "json", "--today", "2026-11-29")
    assert not [d for d in run.diagnostics if d["code"] == "W765"]


# --- "as of" on pages --------------------------------------------------------------

def _smile_page(mini) -> str:
    base = load(mini / "facts", mini).base
    options = SiteOptions((), REPO, site_name="Mini", site_description="Mini.")
    pages = render_site(base, options)
    return next(make() for path, make in pages.items() if path.endswith("smile.md"))


WHEN = {
    # the as_of of a current ongoing fact; without one, its sources' newest date
    # (the latest opens the page as its status; an overtaken one says so where it is told)
    "as of": (fact("smile-status", "status-report", "In orbit.", "as_of: 2026-06-25",
                   "review_after: 2027-03-01")
              + fact("smile-status-undated", "status-report", "Healthy.",
                     "review_after: 2027-03-01"),
              {"In orbit.": "*(status as of 25 June 2026)*",
               "Healthy.": "*(as of 30 April 2024)*"}),   # overtaken: below the lead
    # a period of validity: an act in force for one fiscal year is not current
    "validity": (fact("smile-status-fy", "status-report", "Funded.",
                      "valid_from: 2026-01-23", "valid_until: 2026-09-30")
                 + fact("smile-status-since", "status-report", "Operating.",
                        "valid_from: 2026-06", "review_after: 2027-03-01"),
                 {"Funded.": "*(23 January 2026 to 30 September 2026)*",
                  "Operating.": "*(since June 2026)*"}),
}


@pytest.mark.parametrize("case", WHEN)
def test_an_ongoing_fact_says_when_it_was_known_true(mini, case):
    claims, shown = WHEN[case]
    with_status(mini, claims)
    page = _smile_page(mini)
    for text, when in shown.items():
        assert when in next(x for x in page.splitlines() if text in x)


def test_the_latest_word_on_an_ongoing_state_opens_the_page(mini):
    with_status(mini, fact("smile-status-may", "status-report", "Launched.", "as_of: 2026-05",
                           "review_after: 2027-03-01")
                + fact("smile-status-june", "status-report", "In orbit.", "as_of: 2026-06-25",
                       "review_after: 2027-03-01"))
    page = _smile_page(mini)
    lead, rest = page.split("**Smile**", 1)[1].split("\n", 1)   # the lead is one paragraph
    assert "In orbit. *(status as of 25 June 2026)*" in lead and "Launched." not in lead
    assert "In orbit." not in rest                                            # told once
    assert "*(as of May 2026)*" in next(x for x in rest.splitlines() if "Launched." in x)


def test_a_page_without_an_ongoing_state_gives_no_status(mini):
    assert "status as of" not in _smile_page(mini)


def test_a_plain_attribute_has_no_as_of(mini):
    page = _smile_page(mini)
    line = next(x for x in page.splitlines() if "fact-smile-launch-mass" in x)
    assert "as of" not in line


def test_the_weekly_workflow_fails_while_a_review_is_overdue():
    import yaml
    workflow = yaml.safe_load((REPO / ".github/workflows/links.yml").read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    review = next(s for s in steps if "factbase review" in s.get("run", ""))
    assert "needs" not in next(j for j in workflow["jobs"].values()   # its own job:
                               if review in j["steps"])                # whatever the links found
    assert "GITHUB_STEP_SUMMARY" in review["run"] and 'exit "$status"' in review["run"]
