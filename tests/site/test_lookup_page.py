"""The customer lookup in a browser, offline (issue 17, case 9, and its siblings): why nobody
is shown, every segment in the filter, links to each customer's explanation, a phone."""

from __future__ import annotations

import re

import pytest
from picker_helpers import EXPLORER, assert_drawn, explorer_settles

from analysis.report import exclusion_texts
from analysis import report
from analysis.report.formatting import percent
from analysis.decide.segments import BEHAVIOURAL_LABEL

pytestmark = pytest.mark.browser

LOOKUP = "chapters/lookup.html"
PHONE = {"width": 390, "height": 844}
LOOKUP_ROWS = "#customer-lookup table.lookup-table tbody tr:not(:has(td.dt-empty))"


@pytest.fixture(scope="module")
def results():
    loaded = report.load()
    return {"customers": loaded.table("customers"), "shap_values": loaded.table("shap_values"),
            "exclusions": loaded.table("exclusions"), "segment_summary": loaded.table("segment_summary")}


def open_lookup(page, site) -> None:
    page.goto(page.url_of(site / LOOKUP))
    page.locator("#customer-lookup[data-ready]").wait_for(state="attached", timeout=20_000)


def lookup_status(page) -> str:
    return page.locator("#customer-lookup .lookup-status").inner_text()


def test_lookup_finds_the_riskiest_customer_by_id(rendered_site, offline_page, results):
    customers = results["customers"]
    riskiest = customers.loc[customers["probability_drop"].idxmax()]
    open_lookup(offline_page, rendered_site)
    offline_page.locator("#customer-lookup input.lookup-id").fill(str(riskiest["id"]))
    rows = offline_page.locator(LOOKUP_ROWS)
    assert rows.count() == 1
    cells = rows.first.locator("td")
    assert cells.nth(0).inner_text() == str(riskiest["id"])
    assert cells.nth(1).inner_text() == percent(riskiest["probability_drop"])
    assert cells.nth(2).inner_text() == riskiest["offer"]
    assert lookup_status(offline_page) == ""
    assert offline_page.console_errors == [] and offline_page.blocked_requests == []


def test_lookup_says_why_nobody_is_shown(rendered_site, offline_page, results):
    reasons = exclusion_texts.exclusion_reasons(results["exclusions"])
    open_lookup(offline_page, rendered_site)
    box = offline_page.locator("#customer-lookup input.lookup-id")
    total = len(results["customers"])
    for typed, said in [("215348", f"id 215348 исключён из модели: {reasons['215348']}."),
                        ("215380", f"id 215380 исключён из модели: {reasons['215380']}."),
                        ("999999", "такого id нет"), ("abc", "id покупателя состоит только из цифр")]:
        box.fill(typed)
        assert offline_page.locator(LOOKUP_ROWS).count() == 0, typed
        assert lookup_status(offline_page).startswith(said), (typed, lookup_status(offline_page))
    box.fill("")
    assert lookup_status(offline_page) == ""
    assert offline_page.locator("#customer-lookup").get_attribute("data-shown") == str(total)
    assert re.search(rf"из\s{total // 1000}\s?{total % 1000:03d}",
                     offline_page.locator("#customer-lookup .dt-info").inner_text())


def test_lookup_segment_filter_offers_every_segment_and_explains_an_empty_result(
        rendered_site, offline_page, results):
    customers, summary = results["customers"], results["segment_summary"]
    open_lookup(offline_page, rendered_site)
    select = offline_page.locator("#customer-lookup select.lookup-segment")
    options = select.locator("option").all_inner_texts()
    assert options == ["все сегменты", *summary["label"]] and BEHAVIOURAL_LABEL in options
    root = offline_page.locator("#customer-lookup")
    for row in summary.itertuples():
        select.select_option(label=row.label)
        assert root.get_attribute("data-shown") == str(row.customers), row.label
    select.select_option(label=BEHAVIOURAL_LABEL)
    assert root.get_attribute("data-shown") == str(int(customers["promo_hunter"].sum()))
    # An id of a customer who is not a promo hunter: nobody shown, and where they are.
    outsider = customers.loc[~customers["promo_hunter"].astype(bool)].iloc[0]
    offline_page.locator("#customer-lookup input.lookup-id").fill(str(outsider["id"]))
    assert offline_page.locator(LOOKUP_ROWS).count() == 0
    assert lookup_status(offline_page).startswith(
        f"В сегменте «{BEHAVIOURAL_LABEL}» нет id, содержащих «{outsider['id']}»; в других сегментах таких 1")
    assert offline_page.console_errors == []


def test_a_lookup_row_links_to_that_customers_explanation(rendered_site, offline_page, results):
    customers = results["customers"]
    # Every customer the lookup lists can be opened in the picker (one set of customers).
    assert set(customers["id"]) == set(results["shap_values"]["id"])
    customer = customers.sort_values("probability_drop").iloc[len(customers) // 2]
    open_lookup(offline_page, rendered_site)
    offline_page.locator("#customer-lookup input.lookup-id").fill(str(customer["id"]))
    link = offline_page.locator(LOOKUP_ROWS).first.locator("td a")
    assert link.get_attribute("href") == f"04-drivers.html#customer={customer['id']}"
    link.click()
    offline_page.locator(f"{EXPLORER}[data-drawn]").wait_for(state="attached", timeout=20_000)
    state = explorer_settles(offline_page, str(customer["id"]))
    assert_drawn(state, "opened from the lookup")
    assert offline_page.url.endswith(f"04-drivers.html#customer={customer['id']}")
    assert offline_page.console_errors == []


def test_lookup_offer_column_stays_on_a_phone_screen(rendered_site, offline_page, results):
    offline_page.set_viewport_size(PHONE)
    open_lookup(offline_page, rendered_site)
    boxes = offline_page.evaluate("""() => {
        const headers = [...document.querySelectorAll('#customer-lookup .dt-scroll-head th, #customer-lookup thead th')];
        const offerHeader = headers.find(th => th.textContent.trim() === 'Предложение');
        const offerCell = document.querySelector('#customer-lookup tbody td.lookup-offer');
        return [offerHeader, offerCell].map(el => {
            const box = el.getBoundingClientRect();
            return {left: box.left, right: box.right, width: box.width, text: el.textContent};
        });
    }""")
    for box in boxes:
        assert box["width"] > 40 and 0 <= box["left"] and box["right"] <= PHONE["width"], boxes
    assert boxes[1]["text"] in set(results["customers"]["offer"])
    page_width = offline_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"] + 5
    assert offline_page.console_errors == []
