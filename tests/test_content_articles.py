"""The Wolf Amendment's article (templates/articles/wolf-amendment.md.j2) renders
against the shipped base, and its History and Effects sections are told in
cited sentences: at least five each, none left without a citation."""

from __future__ import annotations

import re

from factbase.loading.loader import load
from factbase.rendering.markup import Page
from factbase.rendering.pages import Index, page_urls
from factbase.rendering.render import _fact_lookup, environment

from conftest import REPO

ARTICLE = "articles/wolf-amendment.md.j2"
CITATIONS = re.compile(r"(?:<sup\b[^>]*>.*?</sup>)+")


def _sections() -> dict[str, str]:
    base = load(REPO / "facts").base
    index = Index.of(base)
    page = Page(base, "policies/wolf-amendment.md", page_urls(base), {}, index)
    text = environment((REPO / "templates",)).get_template(ARTICLE).render(
        page=page, fact=_fact_lookup(base, index))
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {title: " ".join(body.split()) for title, body in zip(parts[1::2], parts[2::2])}


def test_history_and_effects_are_told_in_cited_sentences():
    sections = _sections()
    for title in ("History", "Effects"):
        # a sentence ends at a full stop or at its citations, before a capital letter
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])|(?<=</sup>)\s+(?=[A-Z])", sections[title])
        assert len(sentences) >= 5, (title, sentences)
        uncited = [s for s in sentences if not CITATIONS.search(s)]
        assert uncited == [], (title, uncited)


def test_the_case_for_and_against_is_each_cited():
    body = _sections()["For and against"]
    assert "defenders" in body and "critics" in body
    assert len(CITATIONS.findall(body)) >= 2
