"""The navigation fits one line at 1280 px: the site title is not cut («One…»), no item wraps
(«Кому и что» used to take three lines) and every item lies inside the window; and in both
renderers' builds it marks the page shown, and only that page, as current."""

from __future__ import annotations

import pytest

from test_pages import DESKTOP, PAGES, open_page

pytestmark = pytest.mark.browser

# Quarto's navbar (.navbar-title, .navbar-nav .nav-link) and the fallback's (header.navbar a).
NAVBAR_LAYOUT = """() => {
    // Quarto cuts the title with an ellipsis on its link (.navbar-brand); the fallback has no link box.
    const title = document.querySelector('.navbar .navbar-brand') || document.querySelector('.navbar .navbar-title');
    const links = [...document.querySelectorAll('.navbar .navbar-nav .nav-link, header.navbar ul a')]
        .filter(a => a.getBoundingClientRect().width > 0);
    const lineHeight = el => parseFloat(getComputedStyle(el).lineHeight) || 1.5 * parseFloat(getComputedStyle(el).fontSize);
    const text = a => (a.querySelector('.menu-text') || a);
    return {
        title: title && {text: title.textContent.trim(), cut: title.scrollWidth > title.clientWidth + 1},
        links: links.map(a => {
            const box = a.getBoundingClientRect(), inner = text(a);
            return {text: inner.textContent.trim(), top: Math.round(box.top), bottom: Math.round(box.bottom),
                    right: box.right, lines: Math.round(inner.getBoundingClientRect().height / lineHeight(inner))};
        }),
        width: window.innerWidth,
    };
}"""


@pytest.mark.parametrize("name", ["index.html", "chapters/planner.html"])
def test_the_navbar_fits_one_line_at_1280_px(rendered_site, offline_page, name):
    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, rendered_site, name)
    layout = offline_page.evaluate(NAVBAR_LAYOUT)
    assert layout["title"] and not layout["title"]["cut"], layout["title"]
    links = layout["links"]
    assert len(links) >= 9, links
    assert [link["text"] for link in links if link["lines"] > 1] == []
    assert [link["text"] for link in links if link["right"] > layout["width"]] == []
    tops = {link["top"] for link in links}
    assert max(tops) - min(tops) <= 4, f"items on more than one line: {links}"


# Each navbar item: its text, whether it is marked current (class or aria-current), and whether
# it links to the page shown (as the browser resolves its href).
NAVBAR_MARKS = """() => [...document.querySelectorAll('.navbar .navbar-nav .nav-link, header.navbar ul a')].map(a => ({
    text: a.textContent.trim(), marked: a.classList.contains('active') || a.getAttribute('aria-current') === 'page',
    here: a.pathname === location.pathname}))"""


@pytest.mark.parametrize("name", PAGES)
def test_the_navbar_marks_exactly_the_page_shown(each_renderers_site, offline_page, name):
    """Quarto used to mark «Данные» on every page (the first item also in the sidebar)."""
    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, each_renderers_site, name)
    items = offline_page.evaluate(NAVBAR_MARKS)
    assert len(items) >= 9, items
    marked = [item["text"] for item in items if item["marked"]]
    assert marked == [item["text"] for item in items if item["here"]], name
    # The home page has no item of its own (the site title links home); every other page has one.
    assert len(marked) == (0 if name == "index.html" else 1), (name, marked)
