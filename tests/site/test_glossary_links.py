"""Glossary links on the built site land on a definition, and chapters 01–04 link their terms."""

from __future__ import annotations

import re

from analysis import glossary

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
