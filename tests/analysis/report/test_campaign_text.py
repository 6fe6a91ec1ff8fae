"""The campaign's words that build-results writes into campaign.json: the money unit's reason."""

from __future__ import annotations

from segment_inputs import generated_model_outputs

from analysis.decide import campaign, segments
from analysis.report import campaign_text
from analysis.report.formatting import NBSP


def test_the_money_unit_reason_states_the_revenue_to_profit_ratio_with_its_plural():
    assert "в 2 раза больше их прибыли" in campaign_text.money_unit_source(2.0)
    assert "в 5 раз больше их прибыли" in campaign_text.money_unit_source(5.0)
    assert f"в 1{NBSP}234 раза больше" in campaign_text.money_unit_source(1234.0)
    assert "невозможна" in campaign_text.money_unit_source(20.0)


def test_campaign_json_gets_the_reason_last_among_the_assumptions_and_nothing_else_changes(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    enriched = segments.build_segment_results(model_data.table, customers, shap, metrics)["customers"]
    document = campaign.build_campaign_results(enriched, model_data.table, segments.SEGMENT_LABELS).document
    worded = campaign_text.with_words(document)
    assert "money_unit_source" not in document["assumptions"]  # the computation carries no words
    assert list(worded["assumptions"]) == [*document["assumptions"], "money_unit_source"]
    assert worded["assumptions"]["money_unit_source"] == campaign_text.money_unit_source(document["revenue_per_profit"])
    assert {key: value for key, value in worded.items() if key != "assumptions"} == {
        key: value for key, value in document.items() if key != "assumptions"}
