"""The customer picker under the «Почему» explorer as HTML, and the explorer chart it drives.
(Its behaviour in a browser: tests/site/test_picker_page.py.)"""

import json
import re

import pandas as pd
import pytest
from segment_inputs import generated_model_outputs

from analysis.report import customer_picker, exclusion_texts, explain_charts


@pytest.fixture(scope="module")
def results(model_data):
    customers, shap, _ = generated_model_outputs(model_data.table)
    return {"customers": customers, "shap_values": shap, "exclusions": model_data.exclusions,
            "model_table": model_data.table}


def config_of(html: str, css_class: str) -> dict:
    [text] = re.findall(rf'<script type="application/json" class="{css_class}">(.*?)</script>', html, re.S)
    return json.loads(text)


def explorer_inputs(results):
    shap = results["shap_values"]
    features = [c for c in shap.columns if c not in ("id", "base_value", "model_output")]
    importance = pd.DataFrame({"feature": features, "label": features, "rank": range(1, len(features) + 1),
                               "used": [bool(shap[f].abs().sum() > 0) for f in features]})
    meta = {"output_space": "probability", "base_value": 0.37}
    return importance, meta


def test_picker_loads_nothing_from_the_network(results):
    explorer = explain_charts.waterfall_explorer(results["shap_values"], results["model_table"],
                                                 *explorer_inputs(results))
    html = customer_picker.picker_html(explorer, results["shap_values"], results["exclusions"])
    # (A Vega-Lite spec names its JSON schema by URL; that is never fetched.)
    without_schema = re.sub(r'"\$schema":"https://vega\.github\.io/schema/[^"]+"', "", html)
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", without_schema)
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", html)


def test_picker_lists_ids_by_the_explorers_place_by_risk(results):
    shap = results["shap_values"]
    ids = customer_picker.ids_by_place(shap)
    places = explain_charts.risk_places(shap)
    assert len(ids) == len(shap) and sorted(places) == list(range(1, len(shap) + 1))
    assert ids[0] == shap.loc[shap["model_output"].idxmax(), "id"]
    for id_, place in zip(shap["id"], places):
        assert ids[place - 1] == id_


def test_picker_messages_and_start_place_are_checked(results):
    importance, meta = explorer_inputs(results)
    explorer = explain_charts.waterfall_explorer(results["shap_values"], results["model_table"], importance, meta)
    html = customer_picker.picker_html(explorer, results["shap_values"], results["exclusions"])
    config = config_of(html, "picker-config")
    assert config["signal"] == explain_charts.RISK_PLACE_SIGNAL
    assert "не найден" in config["messages"]["not_found"] and "{id}" in config["messages"]["not_found"]
    assert config["excluded"]["215348"] == exclusion_texts.exclusion_reasons(results["exclusions"])["215348"]
    with pytest.raises(ValueError, match="start_place 0 is not a place between 1 and"):
        customer_picker.picker_html(explorer, results["shap_values"], results["exclusions"], start_place=0)


def test_explorer_chart_has_no_controls_of_its_own_and_filters_by_place(results):
    importance, meta = explorer_inputs(results)
    spec = explain_charts.waterfall_explorer(results["shap_values"], results["model_table"], importance, meta).to_dict()
    assert spec["params"] == [{"name": explain_charts.RISK_PLACE_SIGNAL, "value": 1}]
    assert "datum.r == risk_place" in json.dumps(spec)
    assert "customer_id" not in json.dumps(spec)
