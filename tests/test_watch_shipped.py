"""The shipped project's watch settings: the feeds mkdocs.yml declares, and the
watch terms of the entities that can change, matched against titles written
the way the declared feeds write them (and against near misses that must not match).
"""

from __future__ import annotations

import pytest

from factbase import project
from factbase.config import load_config
from factbase.watch.matching import Index

from conftest import REPO
from test_watch import serve, watch, server  # noqa: F401  (the fixture)

FEEDS = {
    "ESA Space Science": ("https://www.esa.int/rssfeed/Our_Activities/Space_Science", "esa"),
    "ESA Space News": ("https://www.esa.int/rssfeed/Our_Activities/Space_News", "esa"),
    "NASA Science": ("https://science.nasa.gov/feed/", "nasa"),
    "Congress.gov: bills presented to the President":
        ("https://www.congress.gov/rss/presented-to-president.xml", None),
}


@pytest.fixture(scope="module")
def shipped():
    config = load_config(REPO)
    return config, Index(project.check(config).base)


def test_the_declared_feeds(shipped):
    config, index = shipped
    declared = {f.name: (f.url, f.publisher) for f in config.options.watch.feeds}
    assert declared == FEEDS
    # Each publisher is an entity of the base (a misspelt one is refused by the command).
    assert {p for _, p in FEEDS.values() if p} <= set(project.check(config).base.entities)


@pytest.mark.parametrize("title, entities", [
    # Congress.gov writes "H.R.6500 - Title"; news writes "H.R. 6500" or "HR 6500".
    ("H.R.6500 - Continuing Appropriations and Extensions Act, 2027", {"pl-119-103"}),
    ("President signs HR 6500", {"pl-119-103"}),
    ("What Public Law 119-103 funds until December", {"pl-119-103"}),
    # The next stopgap or the full-year act: the law carrying the Wolf Amendment changes.
    ("H.R.7001 - Further Continuing Appropriations and Other Extensions Act, 2027",
     {"wolf-amendment"}),
    # (its title holds P.L. 119-103's whole short title: both are named, and the
    # stopgap's facts about what follows it are worth reviewing then too)
    ("H.R.7002 - Full-Year Continuing Appropriations and Extensions Act, 2027",
     {"wolf-amendment", "pl-119-103"}),
    ("H.R.7003 - Commerce, Justice, Science; Energy and Water Development; and Related "
     "Agencies Appropriations Act, 2027", {"wolf-amendment"}),
    ("House passes the Commerce, Justice, Science, and Related Agencies Appropriations Act, 2027",
     {"wolf-amendment", "hr-8845-cjs-2027"}),
    ("HR 8845 clears the House", {"hr-8845-cjs-2027"}),
    ("HR 4360, the Frank Wolf Space Security Act, gets a hearing",
     {"hr-4360-frank-wolf-space-security-act"}),
    ("Courts read P.L. 119-74 again", {"caa-2026-sec-526"}),
    ("SMILE's soft X-ray imager sees the magnetopause", {"smile"}),
    ("Solar wind Magnetosphere Ionosphere Link Explorer enters science phase", {"smile"}),
    # Near misses: other bills and acts, words that contain a term.
    ("H.R.65000 - A bill", set()),
    ("H.R.6501 - Department of Defense Appropriations Act, 2027", set()),
    ("Public Law 119-1030 (no such law)", set()),
    ("Continuing Appropriations Act, 2026", set()),
    ("Commerce and justice in science fiction", set()),
    ("Smiles and smiley faces at the launch party", set()),
])
def test_watch_terms_match_whole_words(shipped, title, entities):
    _, index = shipped
    assert {hit.entity for hit in index.match((title,))} == entities


def test_a_misspelt_publisher_is_refused_before_any_request(cli, mini, server):  # noqa: F811
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      pages_dir: pages\n",
        "      pages_dir: pages\n      watch:\n        feeds:\n"
        f"          - {{name: Agency news, url: '{server.url('/rss')}', publisher: eas}}\n"))
    run = watch(cli, mini)
    assert run.code == 2, run.err
    assert "feed 'Agency news': publisher 'eas' is not an entity of the base" in run.err
    assert server.count() == 0
