"""Helpers for browser tests of the «Почему» explorer and its customer picker."""

from __future__ import annotations

DRIVERS = "chapters/04-drivers.html"
PICKER = "#customer-picker"
EXPLORER = f"{PICKER} .oneclick-chart"
# The explorer's bars and its x axis' tick labels, as Vega draws them in SVG.
EXPLORER_STATE = """() => {
    const svg = document.querySelector('#customer-picker .oneclick-chart svg.marks');
    const bars = svg.querySelectorAll('g.mark-rect.role-mark path').length;
    const ticks = [...svg.querySelectorAll('g.role-axis text')].map(t => t.textContent).filter(Boolean);
    const texts = [...svg.querySelectorAll('g.mark-text.role-mark text')].map(t => t.textContent).join(' ');
    return {bars, ticks: ticks.length, texts, width: parseFloat(svg.getAttribute('width')),
            customer: document.querySelector('#customer-picker').dataset.customer};
}"""


def open_drivers(page, site, fragment: str = "") -> None:
    page.goto(page.url_of(site / DRIVERS) + fragment)
    page.locator(f"{EXPLORER}[data-drawn]").wait_for(state="attached", timeout=20_000)


def explorer_settles(page, customer: str) -> dict:
    """The explorer's state once it shows `customer` (the signal is applied asynchronously)."""
    page.wait_for_function(f"""() => {{
        const svg = document.querySelector('#customer-picker .oneclick-chart svg.marks');
        return svg && [...svg.querySelectorAll('g.mark-text.role-mark text')]
            .some(t => t.textContent.startsWith('id {customer} '));
    }}""", timeout=10_000)
    return page.evaluate(EXPLORER_STATE)


def assert_drawn(state: dict, where: str) -> None:
    assert state["bars"] >= 2, f"{where}: the waterfall lost its bars: {state}"
    assert state["ticks"] >= 3, f"{where}: the axis lost its ticks: {state}"
