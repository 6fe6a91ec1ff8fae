"""The site by keyboard: the first Tab stop skips the navigation, and the phone menu opens without a mouse."""

from __future__ import annotations

import pytest

from test_pages import DESKTOP, PAGES, PHONE, open_page

pytestmark = pytest.mark.browser

# The phone menu's toggle: the fallback's checkbox, Quarto's sidebar button.
MENU_TOGGLE = "#sidebar-toggle, .quarto-btn-toggle"
IN_MAIN = "() => !!document.activeElement && !!document.activeElement.closest('main#quarto-document-content')"


@pytest.mark.parametrize("name", PAGES)
def test_tab_once_and_enter_lands_in_the_main_content(rendered_site, offline_page, name):
    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, rendered_site, name)
    offline_page.keyboard.press("Tab")
    focused = offline_page.evaluate("() => [document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Перейти к содержанию"], f"{name}: first Tab stop is {focused}"
    assert offline_page.evaluate("() => document.activeElement.getBoundingClientRect().top >= 0")  # shown on focus
    offline_page.keyboard.press("Enter")
    assert offline_page.evaluate(IN_MAIN), f"{name}: Enter on the skip link left focus outside <main>"
    offline_page.keyboard.press("Tab")  # the next stop is content, not the navigation
    assert offline_page.evaluate(IN_MAIN), f"{name}: Tab after skipping went back to the navigation"


def test_on_a_phone_the_menu_opens_and_closes_by_keyboard(rendered_site, offline_page):
    offline_page.set_viewport_size(PHONE)
    open_page(offline_page, rendered_site, "chapters/01-data.html")
    menu = offline_page.locator("nav.sidebar")
    assert not menu.is_visible()
    for _ in range(30):  # past the skip link and the navbar links to the menu toggle
        offline_page.keyboard.press("Tab")
        if offline_page.evaluate(f"() => document.activeElement.matches({MENU_TOGGLE!r})"):
            break
    else:
        pytest.fail("the phone menu toggle is not reachable by Tab")
    offline_page.keyboard.press("Space")
    menu.wait_for(state="visible", timeout=2000)  # Quarto's menu slides open
    # Bootstrap ignores the toggle while the menu is still sliding: wait for the slide to end.
    offline_page.wait_for_function("() => !document.querySelector('nav.sidebar.collapsing')", timeout=5000)
    # Into the opened menu: next in the fallback's page; Quarto's sidebar comes after the page
    # title and table of contents in its document order, so a few more Tab presses there.
    for _ in range(40):
        offline_page.keyboard.press("Tab")
        if offline_page.evaluate("() => !!document.activeElement.closest('nav.sidebar')"):
            break
    else:
        pytest.fail("the opened phone menu's links are not reachable by Tab")
    offline_page.locator(MENU_TOGGLE).first.focus()
    offline_page.keyboard.press("Space")
    menu.wait_for(state="hidden", timeout=2000)
