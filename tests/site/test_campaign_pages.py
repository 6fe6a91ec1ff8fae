"""The campaign on the rendered site: the planner recomputes when a slider moves, and every page's
economic figures are campaign.json's."""

from __future__ import annotations

import pytest
from test_pages import DESKTOP, PHONE, open_page

from analysis.report import campaign_text
from analysis import report
from analysis.report.formatting import number, percent

pytestmark = pytest.mark.browser

PLANNER = "chapters/planner.html"
# The planner's table: every text the Vega view drew, in drawing order.
PLANNER_TEXTS = "() => [...document.querySelector('.oneclick-chart svg.marks').querySelectorAll('text')].map(t => t.textContent)"
# What each slider shows as its value, in order: effect, cost, budget.
SLIDER_VALUES = "() => [...document.querySelectorAll('.vega-bindings input[type=range]')].map(s => s.nextElementSibling.textContent)"
MOVE_SLIDER = """([index, value]) => {
    const slider = document.querySelectorAll('.vega-bindings input[type=range]')[index];
    slider.value = value;
    slider.dispatchEvent(new Event('input', {bubbles: true}));
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_moving_a_slider_recomputes_the_planner(rendered_site, offline_page, viewport):
    """On a phone too: there the planner draws its figures as cards (a line per figure, its
    header whole on one line), from the same sliders."""
    offline_page.set_viewport_size(viewport)
    open_page(offline_page, rendered_site, PLANNER)
    sliders = offline_page.locator(".vega-bindings input[type=range]")
    assert sliders.count() == 3  # effect, cost, budget
    before = offline_page.evaluate(PLANNER_TEXTS)
    layout = offline_page.locator(".oneclick-chart").first.get_attribute("data-layout")
    assert layout == ("narrow" if viewport == PHONE else "wide")
    assert ("Выбрано покупателей" in before) == (viewport == PHONE)
    # The two shares read as the prose writes them («20 %», not «0.2»); the budget is a count.
    defaults = report.load().json("campaign")["assumptions"]["default"]
    assert offline_page.evaluate(SLIDER_VALUES)[:2] == [percent(defaults["effect"], 0),
                                                         percent(defaults["cost_share"], 0)]
    offline_page.evaluate(MOVE_SLIDER, [0, "0.9"])  # the effect: 90 %
    offline_page.wait_for_function(f"before => JSON.stringify(({PLANNER_TEXTS})()) !== JSON.stringify(before)",
                                   arg=before, timeout=5_000)
    generous = offline_page.evaluate(PLANNER_TEXTS)
    assert generous != before
    assert offline_page.evaluate(SLIDER_VALUES)[0] == percent(0.9, 0)
    offline_page.evaluate(MOVE_SLIDER, [2, "10"])  # the budget: ten customers
    offline_page.wait_for_function(f"before => JSON.stringify(({PLANNER_TEXTS})()) !== JSON.stringify(before)",
                                   arg=generous, timeout=5_000)
    limited = offline_page.evaluate(PLANNER_TEXTS)
    assert "10" in limited and limited != generous
    assert offline_page.console_errors == []


def page_text(site, name: str) -> str:
    html = (site / name).read_text(encoding="utf-8")
    return html.replace("&nbsp;", "\u00a0")


def test_economic_figures_on_every_page_agree_with_campaign_json(rendered_site):
    plan = report.load().json("campaign")
    priority = campaign_text.segment_row(plan, plan["priority_segment"])
    design = plan["experiment"]
    verdict = campaign_text.verdict(plan)
    expected = {
        "index.html": [verdict.split(":")[0], percent(priority["break_even_effect"], 0),
                       number(plan["totals"]["targeted"]["offer_group"]),
                       number(plan["totals"]["targeted"]["control_group"])],
        "chapters/05-segments.html": [percent(priority["break_even_effect"], 1), number(priority["all_net"]),
                                      number(priority["upper_bound_net"]), number(design["control_group"]),
                                      campaign_text.defaults_text(plan)],
        "chapters/planner.html": [verdict.split(":")[0], campaign_text.defaults_text(plan)],
    }
    for name, figures in expected.items():
        text = page_text(rendered_site, name)
        missing = [figure for figure in figures if figure not in text]
        assert missing == [], f"{name} lacks {missing}"


@pytest.mark.parametrize("name", ["index.html", "chapters/03-model.html", "chapters/05-segments.html",
                                  "chapters/planner.html", "chapters/lookup.html"])
def test_no_page_claims_roubles_or_churn(rendered_site, name):
    text = page_text(rendered_site, name)
    assert "тыс. руб" not in text and "тыс.\u00a0руб" not in text
    assert "ухода" not in text and "вероятность ухода" not in text
