"""The glossary: one definition per term, stable anchors, links that resolve from any page."""

import re

import pytest

from analysis.report import glossary


def test_every_term_has_a_unique_ascii_anchor_and_a_definition():
    anchors = [term.anchor for term in glossary.TERMS]
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", anchor) for anchor in anchors)
    names = [term.name.lower() for term in glossary.TERMS]
    assert len(names) == len(set(names))
    assert all(len(term.definition) > 40 and term.definition.endswith(".") for term in glossary.TERMS)


def test_the_page_defines_each_term_once_under_its_anchor():
    page = glossary.glossary_markdown()
    for term in glossary.TERMS:
        assert page.count(f"{{#{term.anchor}}}") == 1
        assert f"## {term.name} {{#{term.anchor}}}\n\n{term.definition}" in page
    headings = re.findall(r"^## (.+) \{#", page, flags=re.M)
    assert headings == sorted(headings, key=str.lower)


@pytest.mark.parametrize("from_page, target", [
    ("chapters/", "glossary.qmd#phik"),
    ("", "chapters/glossary.qmd#phik"),
    ("chapters/sub/", "../glossary.qmd#phik"),
])
def test_a_link_resolves_from_the_linking_pages_folder(from_page, target):
    link = glossary.term_link("phik", from_page=from_page)
    assert link == f"[φK (phik)]({target}){{.glossary-term}}"


def test_a_link_is_shown_as_markdown_inline_and_may_carry_its_own_words():
    link = glossary.term_link("roc-auc", "качество [модели]")
    assert link._repr_markdown_() == r"[качество \[модели\]](glossary.qmd#roc-auc){.glossary-term}"


def test_an_unknown_term_fails_naming_the_known_ones():
    with pytest.raises(KeyError, match="no term 'roc_auc'; known: roc-auc"):
        glossary.term_link("roc_auc")
