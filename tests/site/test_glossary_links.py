"""Glossary links on the built site land on a definition, chapters 01–04 link their terms, and
on every page (in both renderers' builds) a term's link is at its first use."""

from __future__ import annotations

import re

import pytest
from test_pages import PAGES

from analysis.report import glossary

LINK = re.compile(r'<a href="((?:\./)?(?:\.\./)*(?:chapters/)?glossary\.html)#([^"]+)"[^>]*class="glossary-term"')


def test_every_glossary_link_on_every_page_targets_a_defined_term(rendered_site):
    defined = set(re.findall(r'id="([^"]+)"', (rendered_site / "chapters/glossary.html").read_text(encoding="utf-8")))
    assert {term.anchor for term in glossary.TERMS} <= defined
    links = {(str(page.relative_to(rendered_site)), anchor)
             for page in rendered_site.rglob("*.html") for _, anchor in LINK.findall(page.read_text(encoding="utf-8"))}
    assert {anchor for _, anchor in links} - defined == set()
    by_page = {page: {anchor for name, anchor in links if name == page}
               for page in ("chapters/01-data.html", "chapters/02-correlation.html", "chapters/03-model.html",
                            "chapters/04-drivers.html")}
    assert {"roc-auc", "median", "outlier", "leakage"} <= by_page["chapters/01-data.html"]
    assert {"phik", "spearman", "vif", "multicollinearity"} <= by_page["chapters/02-correlation.html"]
    assert {"roc-auc", "threshold", "ci", "cross-validation", "out-of-fold", "calibration", "brier",
            "feature"} <= by_page["chapters/03-model.html"]
    assert {"feature", "shap"} <= by_page["chapters/04-drivers.html"]


def test_the_decision_pages_link_their_terms(rendered_site):
    expected = {
        "index.html": {"threshold", "roc-auc", "ci", "shap"},
        "chapters/05-segments.html": {"segment", "threshold", "median", "out-of-fold", "cliffs-delta", "ci",
                                      "p-value", "shap", "uplift", "break-even", "control-group"},
        "chapters/planner.html": {"uplift", "break-even", "out-of-fold"},
        "chapters/lookup.html": {"threshold", "out-of-fold", "shap"},
    }
    for page, anchors in expected.items():
        found = {anchor for _, anchor in LINK.findall((rendered_site / page).read_text(encoding="utf-8"))}
        assert anchors <= found, f"{page}: no glossary link for {sorted(anchors - found)}"


# For each glossary term a page links: the link's text, and the first place that text (any case)
# appears in the page's prose — <main> without titles and headings, callout titles, charts,
# code and captions, in document order, collapsed «Для аналитика» callouts included. That first
# place must be inside a glossary link to the same term.
FIRST_USES_NOT_LINKED = """() => {
    const main = document.querySelector('main');
    const notProse = 'svg, script, style, pre, code, h1, h2, h3, h4, h5, h6, header, nav, summary, '
        + '.callout-header, figcaption, .oneclick-chart, details.code-fold';
    const texts = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest(notProse)) texts.push(node);
    }
    const anchorOf = a => decodeURIComponent(a.hash.slice(1));
    const firstLinks = new Map();
    main.querySelectorAll('a.glossary-term').forEach(a => {
        if (!firstLinks.has(anchorOf(a))) firstLinks.set(anchorOf(a), a);
    });
    const problems = [];
    for (const [anchor, link] of firstLinks) {
        const word = link.textContent.trim().toLowerCase();
        const first = texts.find(node => node.textContent.toLowerCase().includes(word));
        const linked = first && first.parentElement.closest('a.glossary-term');
        if (!linked || anchorOf(linked) !== anchor) {
            const text = first ? first.textContent : '', at = text.toLowerCase().indexOf(word);
            problems.push(`${anchor}: «${word}» first in «…${text.slice(Math.max(0, at - 50), at + word.length + 20)
                .replace(/\\s+/g, ' ')}…», not a link to it`);
        }
    }
    return [firstLinks.size, problems];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_a_pages_glossary_link_is_at_the_terms_first_use(each_renderers_site, offline_page, name):
    offline_page.goto(offline_page.url_of(each_renderers_site / name))
    linked, problems = offline_page.evaluate(FIRST_USES_NOT_LINKED)
    assert problems == [], f"{name} ({linked} terms linked):\n" + "\n".join(problems)
