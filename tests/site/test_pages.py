"""Every page of the site, offline in a browser: no console errors, charts drawn,
links that resolve, tooltips on hover, and screenshots at
desktop and phone widths (kept in test-artifacts/screenshots/ for a reviewer). The interactive
pages (customer picker, customer lookup) are tested in test_widgets.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from analysis.paths import PROJECT_ROOT
from render.config import load_project

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A page may be this much wider than a phone screen before it counts as overflowing.
OVERFLOW_TOLERANCE_PX = 5
CHART = ".oneclick-chart"
DRAWN_CHART = ".oneclick-chart svg.marks, .oneclick-chart canvas.marks"
# Data marks only (Vega gives axes, legends and titles other roles).
DATA_MARKS = "svg.marks g.role-mark > path, svg.marks g.role-mark > circle"
MARKS_TRIED_PER_CHART = 12
GLUED_PERCENT = re.compile(r"\d%")
# Where a reader would hover the mark: its centre, or if something is drawn on top of the
# centre (a heatmap's value label), a point nearer a corner where the mark itself is on top.
UNCOVERED_POINT = """mark => {
    const box = mark.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) return null;
    for (const [fx, fy] of [[0.5, 0.5], [0.2, 0.2], [0.8, 0.8], [0.2, 0.8], [0.8, 0.2]]) {
        const x = box.left + box.width * fx, y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y) === mark) return [x, y];
    }
    return null;
}"""


def rendered_pages(profile: str = "internal") -> list[str]:
    """The site's pages as `_quarto.yml` and the profile's file list them (readable before the
    site is built; merged as Quarto merges profiles)."""
    return [str(Path(source).with_suffix(".html")) for source in load_project(PROJECT_ROOT, profile).render]


PAGES = rendered_pages()


# The page header marks a chart data-drawn once its final drawing is on the page (on a
# phone a chart may be drawn twice: the second time narrowed to fit).
ALL_CHARTS_DRAWN = "() => [...document.querySelectorAll('.oneclick-chart')].every(c => c.hasAttribute('data-drawn'))"
# Each chart as laid out: its box, and its svg's own width against the width it is shown at.
CHART_LAYOUT = """() => [...document.querySelectorAll('.oneclick-chart')].map(box => {
    const svg = box.querySelector('svg.marks'), canvas = box.querySelector('canvas.marks');
    return {id: box.id, label: box.getAttribute('aria-label'), layout: box.dataset.layout,
            scrolls: box.classList.contains('oneclick-chart-scroll'), box: box.clientWidth, content: box.scrollWidth,
            natural: svg ? parseFloat(svg.getAttribute('width')) : (parseFloat(canvas.style.width) || canvas.width),
            shown: (svg || canvas).getBoundingClientRect().width};
})"""


def open_page(page, site: Path, name: str) -> None:
    """Go to a page and wait until every chart container has drawn its svg or canvas."""
    page.goto(page.url_of(site / name))
    containers = page.locator(CHART).count()
    if containers:
        page.locator(DRAWN_CHART).nth(containers - 1).wait_for(state="attached", timeout=15_000)
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=15_000)


def test_quarto_render_list_matches_the_built_site(rendered_site):
    built = sorted(str(path.relative_to(rendered_site)) for path in rendered_site.rglob("*.html"))
    assert built == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_and_draws_every_chart(rendered_site, offline_page, name):
    open_page(offline_page, rendered_site, name)
    containers = offline_page.locator(CHART).count()
    assert offline_page.locator(DRAWN_CHART).count() == containers
    # Numbers drawn in charts are written as in the prose: «38,3 %», not «38,3%» (the page header's locale).
    texts = offline_page.eval_on_selector_all(".oneclick-chart svg text", "texts => texts.map(t => t.textContent)")
    assert [text for text in texts if GLUED_PERCENT.search(text)] == [], name
    assert offline_page.console_errors == []
    assert offline_page.blocked_requests == []


@pytest.mark.parametrize("name", PAGES)
def test_every_link_on_the_page_resolves(rendered_site, offline_page, name):
    open_page(offline_page, rendered_site, name)
    # Resolved by the browser, so relative links are judged exactly as a reader follows them.
    links = offline_page.eval_on_selector_all("a[href]", """anchors => anchors.map(a => ({
        raw: a.getAttribute("href"), protocol: a.protocol, path: decodeURIComponent(a.pathname),
        fragment: decodeURIComponent(a.hash.slice(1)),
        samePage: a.pathname === location.pathname,
        navigation: !!a.closest("header.navbar, nav.sidebar, nav.page-navigation, #quarto-header, "
            + "#quarto-sidebar")}))""")
    navigation = [link for link in links if link["navigation"]]
    # Navbar and sidebar each list every page; prev/next add at least one more.
    assert len(navigation) >= 2 * len(PAGES) + 1, name

    broken = []
    local = offline_page.url_of(rendered_site)
    for link in links:
        url = offline_page.evaluate("href => new URL(href, location.href).href", link["raw"])
        if not url.startswith(local):
            assert link["protocol"] in ("http:", "https:", "mailto:"), link["raw"]
            continue
        path = PROJECT_ROOT / link["path"].lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(link["raw"])
        elif link["samePage"] and link["fragment"]:
            target = offline_page.evaluate("id => document.getElementById(id) !== null", link["fragment"])
            if not target:
                broken.append(link["raw"])
    assert broken == [], f"{name}: links to nothing: {broken}"


@pytest.mark.parametrize("name", PAGES)
def test_hovering_a_chart_mark_shows_a_tooltip(rendered_site, offline_page, name):
    open_page(offline_page, rendered_site, name)
    charts = offline_page.locator(CHART)
    if charts.count() == 0:
        pytest.skip(f"{name} has no charts")
    tooltip = offline_page.locator("#vg-tooltip-element.visible")
    tried = 0
    for chart_index in range(charts.count()):
        marks = charts.nth(chart_index).locator(DATA_MARKS)
        for mark_index in range(min(marks.count(), MARKS_TRIED_PER_CHART)):
            mark = marks.nth(mark_index)
            mark.scroll_into_view_if_needed()
            point = mark.evaluate(UNCOVERED_POINT)
            if point is None:
                continue
            tried += 1
            offline_page.mouse.move(*point)
            try:
                tooltip.wait_for(state="visible", timeout=1_000)
            except PlaywrightTimeoutError:  # this mark has no tooltip: try the next one
                continue
            assert tooltip.inner_text().strip() != ""
            return
    pytest.fail(f"{name}: no tooltip appeared on any of {tried} hovered chart marks")


@pytest.mark.parametrize("name", PAGES)
def test_screenshots_and_no_sideways_scrolling_on_a_phone(rendered_site, offline_page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    stem = name.removesuffix(".html").replace("/", "-")

    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, rendered_site, name)
    offline_page.screenshot(path=SCREENSHOT_DIR / f"{stem}-desktop.png", full_page=True)

    offline_page.set_viewport_size(PHONE)
    open_page(offline_page, rendered_site, name)  # reloaded, so charts are sized for the phone
    offline_page.screenshot(path=SCREENSHOT_DIR / f"{stem}-phone.png", full_page=True)
    assert offline_page.console_errors == []

    page_width, screen_width = offline_page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    if page_width > screen_width + OVERFLOW_TOLERANCE_PX:
        widest = offline_page.evaluate("""() => {
            const over = [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 5);
            const outermost = over.filter(el => !over.includes(el.parentElement));
            return outermost.slice(0, 5).map(el => el.tagName.toLowerCase() +
                (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string"
                    ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
                " (" + Math.round(el.getBoundingClientRect().right) + " px)");
        }""")
        pytest.fail(f"{name} is {page_width} px wide on a {screen_width} px phone; "
                    f"too wide: {widest}")


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_charts_are_laid_out_to_fit_not_shrunk(rendered_site, offline_page, name):
    """At 390 px every chart is drawn at its own size (so its text stays legible) and fits
    its box; a chart marked to scroll (usermeta.oneclick.narrow, none at present: the planner's
    table of figures has its own phone layout) would scroll sideways inside its box instead."""
    offline_page.set_viewport_size(PHONE)
    open_page(offline_page, rendered_site, name)
    charts = offline_page.evaluate(CHART_LAYOUT)
    if not charts:
        pytest.skip(f"{name} has no charts")
    for chart in charts:
        where = f"{name} {chart['id']}"
        assert chart["layout"] == "narrow", where
        assert chart["shown"] == pytest.approx(chart["natural"], abs=1), f"{where}: scaled down: {chart}"
        if chart["scrolls"]:
            assert chart["content"] > chart["box"], f"{where}: marked to scroll but fits: {chart}"
        else:
            assert chart["natural"] <= chart["box"] + 1, f"{where}: wider than the phone: {chart}"
    if name == "chapters/02-correlation.html":  # the φK and Spearman heatmaps fit the phone too
        assert [chart["scrolls"] for chart in charts] == [False, False]
    assert offline_page.console_errors == []


@pytest.mark.parametrize("name", PAGES)
def test_at_1280_px_every_chart_fits_its_box(rendered_site, offline_page, name):
    """The φK heatmap (921 px) and the example waterfalls (858 px) used to run past the 778 px
    text column, cut off or scrolling sideways, on a desktop screen."""
    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, rendered_site, name)
    too_wide = [chart for chart in offline_page.evaluate(CHART_LAYOUT) if chart["content"] > chart["box"] + 1]
    assert too_wide == [], name


def test_turning_a_phone_sideways_redraws_the_charts_for_the_wider_screen(rendered_site, offline_page):
    offline_page.set_viewport_size(PHONE)
    open_page(offline_page, rendered_site, "chapters/03-model.html")
    phone = offline_page.evaluate(CHART_LAYOUT)
    offline_page.set_viewport_size(DESKTOP)
    offline_page.wait_for_function("""() => [...document.querySelectorAll('.oneclick-chart')]
        .every(c => c.dataset.layout === 'wide' && c.hasAttribute('data-drawn'))""", timeout=15_000)
    desktop = offline_page.evaluate(CHART_LAYOUT)
    # The ROC and precision-recall panels stack on a phone and stand side by side again.
    [on_phone] = [chart for chart in phone if chart["label"].startswith("ROC-кривая")]
    [on_desktop] = [chart for chart in desktop if chart["id"] == on_phone["id"]]
    assert on_phone["natural"] <= PHONE["width"] < 2 * 320 < on_desktop["natural"]
    assert offline_page.console_errors == []


def test_code_is_folded_until_the_reader_opens_it(rendered_site, offline_page):
    open_page(offline_page, rendered_site, "index.html")
    fold = offline_page.locator("details.code-fold").first
    code = fold.locator("pre")
    assert fold.locator("summary").inner_text() == "Код"
    assert not code.is_visible()
    fold.locator("summary").click()
    assert code.is_visible()
    assert "results.table(" in code.inner_text()  # the call that made the chart (setup cells show no code)
