"""The chapter's charts and tables build from the segment results."""


import pytest
from segment_inputs import generated_model_outputs

from analysis.decide import economics, segments
from analysis.report import palette, segment_charts, segment_tables


@pytest.fixture(scope="module")
def results(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    return segments.build_segment_results(model_data.table, customers, shap, metrics)


def of(frame, segment):
    return frame.loc[frame["segment"] == segment].reset_index(drop=True)


def test_charts_are_valid_vega_lite_with_tooltips(results):
    meta, priority = results["segments"], segments.PRIORITY_SEGMENT
    charts = [
        segment_charts.risk_profit_scatter(results["customers"], meta["risk_cut"], meta["profit_cut"]),
        segment_charts.comparison_effects(of(results["segment_comparison"], priority), "сегмент"),
        segment_charts.segment_driver_bars(of(results["segment_drivers"], priority), "сегмент"),
        segment_charts.what_if_lines(results["segment_what_if"], economics.DEFAULT_COST_SHARE),
    ]
    for chart in charts:
        spec = chart.to_dict(validate=True)
        assert "tooltip" in str(spec) and spec.get("title")


def test_scatter_brush_filters_the_linked_bars(results):
    meta = results["segments"]
    spec = segment_charts.risk_profit_scatter(results["customers"], meta["risk_cut"], meta["profit_cut"]).to_dict()
    scatter, bars = spec["vconcat"]
    assert [param["name"] for param in spec["params"]] == ["brush"]
    assert scatter["layer"][0]["mark"]["type"] == "point"
    assert {"filter": {"param": "brush"}} in bars["transform"]


def test_tables_render_with_the_priority_row_highlighted(results):
    summary_html = segment_tables.segment_summary_table(results["segment_summary"], 3).as_raw_html()
    assert palette.CHOSEN_FILL.lstrip("#") in summary_html.upper() and "Охотники за акциями" in summary_html
    priority = segments.PRIORITY_SEGMENT
    for gt in (segment_tables.comparison_table(of(results["segment_comparison"], priority), "x"),
               segment_tables.offers_gt(of(results["segment_offers"], priority), "x"),
               segment_tables.experiment_table(results["segment_experiment"])):
        assert "<table" in gt.as_raw_html()


@pytest.mark.parametrize("value,text", [(0.1234, "0,123"), (2e-54, "2·10⁻⁵⁴"), (1e-40, "10⁻⁴⁰"), (0.0, "< 10⁻³⁰⁰")])
def test_p_values_read_as_a_person_writes_them(value, text):
    assert segment_tables.p_text(value) == text
