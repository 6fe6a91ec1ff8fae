"""The customer lookup as HTML: every customer once, links to their explanation, every
segment the site names, exclusion reasons, nothing from the network. (Its behaviour in a
browser: tests/site/test_lookup_page.py.)"""

import json
import re

import pytest
from segment_inputs import generated_model_outputs

from analysis.decide import segments
from analysis.report import customer_lookup, exclusion_texts, publish
from analysis.report.formatting import percent
from analysis.report.display import raw_html_markdown
from analysis.report.html_block import show_html


@pytest.fixture(scope="module")
def results(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    built = segments.build_segment_results(model_data.table, customers, shap, metrics)
    return {**built, "shap_values": shap, "exclusions": model_data.exclusions, "model_table": model_data.table}


@pytest.fixture(scope="module")
def page(results):
    return customer_lookup.lookup_html(results["customers"], results["segment_summary"],
                                       results["exclusions"], horizon_months=3)


def config_of(html: str, css_class: str) -> dict:
    [text] = re.findall(rf'<script type="application/json" class="{css_class}">(.*?)</script>', html, re.S)
    return json.loads(text)


def test_lookup_ships_every_customer_once_highest_risk_first(results, page):
    customers = results["customers"]
    config = config_of(page, "lookup-config")
    columns, rows = config["columns"], config_of(page, "lookup-data")
    ids = [row[columns["id"]] for row in rows]
    assert sorted(ids) == sorted(customers["id"]) and len(set(ids)) == len(ids)
    risks = [row[columns["probability_drop"]] for row in rows]
    assert risks == sorted(risks, reverse=True)
    # The shown risk is the customer's own number, formatted (one number per customer).
    by_id = customers.set_index("id")
    first = rows[0]
    assert first[columns["risk_text"]] == percent(by_id.loc[first[columns["id"]], "probability_drop"])
    assert config["table"]["order"] == [[columns["risk_text"], "desc"]]


def test_each_row_links_to_that_customers_explanation(results, page):
    config = config_of(page, "lookup-config")
    columns, rows = config["columns"], config_of(page, "lookup-data")
    for row in rows:
        assert row[columns["id_link"]].startswith(f'<a href="04-drivers.html#customer={row[columns["id"]]}"')


def test_segment_filter_offers_every_segment_the_site_names(results, page):
    config = config_of(page, "lookup-config")
    named = list(results["segment_summary"]["label"])
    assert segments.BEHAVIOURAL_LABEL in named and len(named) == len(segments.SEGMENT_LABELS) + 1
    assert [choice["label"] for choice in config["segments"]] == named
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)  # the segment filter's
    assert options == [("", "все сегменты")] + [(c["key"], c["label"]) for c in config["segments"]]
    assert [c["key"] for c in config["segments"] if c["hunters"]] == [segments.BEHAVIOURAL_SEGMENT]


def test_offer_comes_right_after_the_risk_so_a_phone_shows_it(page):
    config = config_of(page, "lookup-config")
    shown = [name for name in config["columns"] if name in customer_lookup.SHOWN_COLUMNS]
    assert shown[:3] == ["id_link", "risk_text", "offer"]
    hidden = [index for d in config["table"]["columnDefs"] if d.get("visible") is False for index in d["targets"]]
    assert sorted(hidden) == sorted(config["columns"][name] for name in customer_lookup.HIDDEN_COLUMNS)


def test_lookup_says_why_nobody_is_shown_with_the_exclusion_reason(results, page):
    config = config_of(page, "lookup-config")
    assert config["excluded"] == exclusion_texts.exclusion_reasons(results["exclusions"])
    assert set(config["messages"]) == {"excluded", "unknown", "not_digits", "other_segment", "empty_segment"}
    assert config["messages"]["excluded"].startswith("id {id} исключён из модели: {reason}")
    assert config["messages"]["unknown"].startswith("такого id нет")


def test_lookup_loads_nothing_from_the_network(page):
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", page)
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", page)
    assert show_html(page)._repr_markdown_() == raw_html_markdown(page)  # raw HTML in text/markdown
    # The table is built by the script (Quarto rewrites raw HTML tables); scripts are text.
    assert "<table" not in re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    config = config_of(page, "lookup-config")
    assert config["bundle"] == {"script": "assets/vendor/datatables.js", "css": "assets/vendor/datatables.css",
                                "global": publish.DATATABLES_GLOBAL}
    assert not {"connected", "dt_url"} & set(config["table"])
