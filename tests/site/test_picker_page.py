"""The customer picker on «Почему» in a browser, offline (issue 17, case 8, and its siblings):
typing an id, unknown and excluded ids, the slider, an address naming a customer."""

from __future__ import annotations

import pytest
from picker_helpers import EXPLORER_STATE, PICKER, assert_drawn, explorer_settles, open_drivers

from analysis.report import customer_picker, exclusion_texts
from analysis import report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def results():
    loaded = report.load()
    return {"customers": loaded.table("customers"), "shap_values": loaded.table("shap_values"),
            "exclusions": loaded.table("exclusions"), "segment_summary": loaded.table("segment_summary")}


@pytest.fixture
def warnings_page(offline_page):
    """The offline page, also recording console warnings (Vega reports «Infinite extent» so)."""
    offline_page.console_warnings = []
    offline_page.on("console", lambda message: offline_page.console_warnings.append(message.text)
                    if message.type == "warning" else None)
    return offline_page


def test_typing_an_id_character_by_character_keeps_the_chart(rendered_site, warnings_page, results):
    ids = customer_picker.ids_by_place(results["shap_values"])
    first, target = str(ids[0]), str(ids[41])
    page = warnings_page
    open_drivers(page, rendered_site)
    before = explorer_settles(page, first)
    assert_drawn(before, "on load")
    box, status = page.locator(f"{PICKER} input[type=search]"), page.locator(f"{PICKER} .picker-status")
    for end in range(1, len(target) + 1):
        typed = target[:end]
        box.press_sequentially(typed[-1])
        if typed in map(str, ids):
            break
        page.wait_for_timeout(150)  # let any (wrong) redrawing happen
        state = page.evaluate(EXPLORER_STATE)
        assert state == before, f"after typing {typed!r} the chart changed: {state}"
        assert "не найден" in status.inner_text() and typed in status.inner_text()
    shown = explorer_settles(page, target)
    assert_drawn(shown, f"id {target}")
    assert shown["customer"] == target and status.inner_text() == ""
    assert page.locator(f"{PICKER} input[type=range]").input_value() == "42"
    assert not [text for text in page.console_warnings if "Infinite extent" in text], page.console_warnings
    assert page.console_errors == []


def test_unknown_and_excluded_ids_leave_the_chart_and_say_why(rendered_site, warnings_page, results):
    ids = customer_picker.ids_by_place(results["shap_values"])
    page = warnings_page
    open_drivers(page, rendered_site)
    box, status = page.locator(f"{PICKER} input[type=search]"), page.locator(f"{PICKER} .picker-status")
    box.fill(str(ids[9]))
    before = explorer_settles(page, str(ids[9]))
    reasons = exclusion_texts.exclusion_reasons(results["exclusions"])
    for typed, said in [("999999", "не найден"), ("215348", "исключён из модели: " + reasons["215348"]),
                        ("21534x", "не найден"), (" ", "")]:
        box.fill(typed)
        page.wait_for_timeout(150)
        assert page.evaluate(EXPLORER_STATE) == before, typed
        assert said in status.inner_text(), (typed, status.inner_text())
    # The slider still works afterwards and draws a full chart (no ever-narrower plot).
    slider = page.locator(f"{PICKER} input[type=range]")
    slider.evaluate("(input, value) => { input.value = value; input.dispatchEvent(new Event('input')); }",
                    str(len(ids)))
    last = explorer_settles(page, str(ids[-1]))
    assert_drawn(last, "slider at the end")
    assert last["width"] == pytest.approx(before["width"], abs=1)
    assert box.input_value() == "" and status.inner_text() == ""
    assert not [text for text in page.console_warnings if "Infinite extent" in text]
    assert page.console_errors == []


def test_an_address_with_customer_opens_the_picker_on_that_customer(rendered_site, warnings_page, results):
    ids = customer_picker.ids_by_place(results["shap_values"])
    target = str(ids[99])
    open_drivers(warnings_page, rendered_site, f"#customer={target}")
    shown = explorer_settles(warnings_page, target)
    assert_drawn(shown, f"#customer={target}")
    assert warnings_page.locator(f"{PICKER} input[type=range]").input_value() == "100"
    assert warnings_page.console_errors == []
