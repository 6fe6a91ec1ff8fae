"""The Data chapter in a browser, offline: every chart draws and the feature list switches the view."""

import html as htmlmod

import pytest

from analysis import report
from analysis.report.formatting import number

pytestmark = pytest.mark.browser


def test_data_chapter_draws_every_chart_and_the_feature_picker_works(rendered_site, offline_page):
    offline_page.goto(offline_page.url_of(rendered_site / "chapters" / "01-data.html"))
    containers = offline_page.locator(".oneclick-chart")
    offline_page.locator(".oneclick-chart svg.marks").nth(containers.count() - 1).wait_for(
        state="attached", timeout=15_000)
    assert offline_page.locator(".oneclick-chart svg.marks").count() == containers.count() == 4
    assert offline_page.console_errors == [] and offline_page.blocked_requests == []

    separation = report.load().table("feature_separation")
    picker = offline_page.locator(".oneclick-chart select")
    assert picker.locator("option").all_inner_texts() == separation["label"].tolist()
    explorer = containers.nth(2).locator("svg.marks")
    assert "Кухонная посуда" not in explorer.text_content()
    picker.select_option(label="Популярная категория")
    offline_page.wait_for_timeout(300)
    assert "Кухонная посуда" in explorer.text_content()


def test_data_chapter_prose_shows_the_computed_counts(rendered_site):
    # Quarto writes a no-break space as &nbsp;, the fallback as the character: compare the text.
    html = htmlmod.unescape((rendered_site / "chapters" / "01-data.html").read_text(encoding="utf-8"))
    summary = report.load().json("data_summary")
    for key in ("raw_customers", "modelled_customers", "excluded_total"):
        assert number(summary[key]) in html
    assert "{python}" not in html
