"""End to end: the rendered site opens from disk with no network and draws its charts."""

import html as htmlmod
import re

import pytest

from analysis import report

from render.site import COMMENT_SCRIPTS

OPTIONAL_EXTERNAL = tuple(COMMENT_SCRIPTS.values())

pytestmark = pytest.mark.browser


def test_index_draws_the_activity_chart_offline(rendered_site, offline_page):
    offline_page.goto(offline_page.url_of(rendered_site / "index.html"))
    chart = offline_page.locator(".oneclick-chart svg.marks, .oneclick-chart canvas.marks")
    chart.first.wait_for(state="attached", timeout=15_000)
    assert offline_page.console_errors == []
    assert offline_page.blocked_requests == []
    # The chart shows the real class counts from the results.
    counts = report.load().table("activity_classes")
    svg_text = chart.first.text_content()
    for share in counts["share"]:
        assert f"{share * 100:.1f}".replace(".", ",") in svg_text


def test_index_prose_numbers_are_computed(rendered_site):
    html = htmlmod.unescape((rendered_site / "index.html").read_text(encoding="utf-8"))  # Quarto: &nbsp;
    raw_customers = report.load().json("data_summary")["raw_customers"]
    assert f"{raw_customers:,}".replace(",", "\u00a0") in html
    assert "{python}" not in html


def test_no_page_loads_scripts_or_styles_from_a_cdn(rendered_site):
    """Only the reviewers' comments script may come from outside, and it loads async."""
    for page in rendered_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        external = [source for source in sources if re.match(r"(https?:)?//", source)]
        assert set(external) <= set(OPTIONAL_EXTERNAL), f"{page.name} loads {external}"
        assert not re.search(r"cdn|unpkg|jsdelivr", " ".join(sources)), page.name
        for script in OPTIONAL_EXTERNAL:  # async, whichever order the renderer writes the attributes in
            assert re.search(rf'<script (?:async(?:="")? src="{re.escape(script)}"|src="{re.escape(script)}" async)',
                             html), page.name


def test_results_are_offered_as_downloads(rendered_site):
    downloads = {path.name for path in (rendered_site / "downloads").iterdir()}
    assert {"raw_files.csv", "activity_classes.csv", "data_summary.json"} <= downloads


def test_every_page_draws_every_chart_without_errors(rendered_site, offline_page):
    pages = sorted(rendered_site.rglob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        offline_page.console_errors.clear()
        offline_page.goto(offline_page.url_of(page))
        containers = offline_page.locator(".oneclick-chart").count()
        drawn = offline_page.locator(".oneclick-chart svg.marks, .oneclick-chart canvas.marks")
        if containers:
            drawn.nth(containers - 1).wait_for(state="attached", timeout=15_000)
        assert drawn.count() == containers, page.name
        assert offline_page.console_errors == [], page.name
    assert offline_page.blocked_requests == []
