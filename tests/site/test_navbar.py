"""The navigation fits one line at 1280 px: the site title is not cut («One…»), no item wraps
(«Кому и что» used to take three lines) and every item lies inside the window."""

from __future__ import annotations

import pytest

from test_pages import DESKTOP, open_page

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
