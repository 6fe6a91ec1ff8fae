"""The planner computes in Vega what economics.py computes in Python; the campaign's tables and sentences build."""

import copy
import re

import pytest
import vl_convert
from segment_inputs import generated_model_outputs

from analysis.decide import campaign, economics, segments
from analysis.report import campaign_charts, campaign_tables, campaign_text, phone_layout
from analysis.report.formatting import percent

SEGMENT_ORDER = list(segments.SEGMENT_LABELS.values())


@pytest.fixture(scope="module")
def built(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    enriched = segments.build_segment_results(model_data.table, customers, shap, metrics)["customers"]
    return campaign.build_campaign_results(enriched, model_data.table, segments.SEGMENT_LABELS)


def planner_rows(spec: dict) -> dict[str, dict[str, str]]:
    """The planner table's cells as Vega computes them (headless): row label -> column header -> text.

    Walks Vega's scenegraph of the first view: a cell sits at its row label's y and its
    column header's x.
    """
    scene = vl_convert.vegalite_to_scenegraph(spec)["scenegraph"]
    labels = {"left": {}, "top": {}}
    cells = []

    def walk(node, orient=None):
        orient = node.get("orient", orient)
        if node.get("role") == "axis-label" and orient in labels:
            for item in node["items"]:
                # A multi-line header is a list of lines; the spec joins them with «|».
                text = item["text"] if isinstance(item["text"], str) else "|".join(item["text"])
                labels[orient][round(item["y"] if orient == "left" else item["x"], 1)] = text
        elif node.get("marktype") == "text" and node.get("role") == "mark":
            cells.extend(node["items"])
        for child in node.get("items", []):
            if isinstance(child, dict):
                walk(child, orient)

    table = scene["items"][0]["items"]
    for node in table:
        if node.get("marktype") == "group":
            for item in node["items"]:
                walk(item)
            if cells:
                break
    rows = {}
    for cell in cells:
        row = labels["left"][round(cell["y"], 1)]
        rows.setdefault(row, {})[labels["top"][round(cell["x"], 1)]] = cell["text"]
    return rows


def as_number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


@pytest.mark.parametrize("effect, cost_share", [(0.2, 0.3), (0.9, 0.2), (0.6, 0.25)])
def test_planner_recomputes_what_the_economics_computes(built, effect, cost_share):
    document = copy.deepcopy(built.document)
    document["assumptions"]["default"].update(effect=effect, cost_share=cost_share)
    rows = planner_rows(campaign_charts.planner_chart(built.tables["campaign"], document, SEGMENT_ORDER).to_dict())
    scenario = economics.DEFAULTS.uniform(effect=effect, cost_share=cost_share)
    table = built.tables["campaign"]
    values = economics.customer_economics(table, scenario)
    chosen = economics.targeting(values)
    total = economics.totals(values.loc[chosen])
    chosen_text, kept, cost, net = (rows[campaign_charts.TOTAL_LABEL][campaign_charts.PLANNER_COLUMNS[key]]
                                    for key in ("t_chosen", "t_kept", "t_cost", "t_net"))
    assert int(as_number(chosen_text)) == total["customers"]
    assert as_number(kept) == pytest.approx(total["profit_kept"], abs=0.5)
    assert as_number(cost) == pytest.approx(total["offer_cost"], abs=0.5)
    assert as_number(net) == pytest.approx(total["net"], abs=0.5)
    priority_label = segments.SEGMENT_LABELS[segments.PRIORITY_SEGMENT]
    with_offer = table.loc[(table["segment"] == segments.PRIORITY_SEGMENT) & economics.has_offer(table["offer"])]
    break_even = economics.break_even_effect(with_offer, scenario)
    shown = rows[priority_label][campaign_charts.PLANNER_COLUMNS["t_break_even"]]
    assert shown == ("не окупается" if break_even > 1 else f"{break_even:.1%}")


def phone_cards(spec: dict) -> tuple[list[str], list[str]]:
    """The phone layout's cards as Vega draws them (headless): (headers, values), the texts of
    the left- and of the right-aligned marks, in drawing order."""
    phone = {**spec["usermeta"]["oneclick"]["phone"], "datasets": spec["datasets"]}
    scene = vl_convert.vegalite_to_scenegraph(phone)["scenegraph"]
    texts = {"left": [], "right": []}

    def walk(node):
        if node.get("marktype") == "text" and node.get("role") == "mark":
            for item in node["items"]:
                texts[item.get("align", "left")].append(item["text"])
        for child in node.get("items", []):
            if isinstance(child, dict):
                walk(child)

    walk(scene)
    return texts["left"], texts["right"]


@pytest.mark.parametrize("effect, cost_share", [(0.2, 0.3), (0.9, 0.2)])
def test_the_planners_phone_cards_show_the_tables_figures(built, effect, cost_share):
    """On a phone the planner draws its figures as cards (one per group, a line per figure):
    the same data, transforms and sliders, so the same numbers as the wide table."""
    document = copy.deepcopy(built.document)
    document["assumptions"]["default"].update(effect=effect, cost_share=cost_share)
    spec = campaign_charts.planner_chart(built.tables["campaign"], document, SEGMENT_ORDER).to_dict(validate=True)
    assert phone_layout.phone_datasets_missing(spec) == set()
    rows = planner_rows(spec)
    headers, values = phone_cards(spec)
    assert sorted(values) == sorted(text for row in rows.values() for text in row.values())
    one_line = [title.replace("|", " ") for title in campaign_charts.PLANNER_COLUMNS.values()]
    assert sorted(headers) == sorted(one_line * len(rows))
    phone_params = {param["name"]: param["value"] for param in spec["usermeta"]["oneclick"]["phone"]["params"]}
    assert phone_params == {param["name"]: param["value"] for param in spec["params"]}


def test_planner_sliders_start_at_the_defaults(built):
    spec = campaign_charts.planner_chart(built.tables["campaign"], built.document, SEGMENT_ORDER).to_dict(validate=True)
    params = {param["name"]: param for param in spec["params"]}
    default = built.document["assumptions"]["default"]
    assert params["effect"]["value"] == default["effect"] and params["cost_share"]["value"] == default["cost_share"]
    assert params["budget"]["bind"]["max"] == params["budget"]["value"]
    assert all(param["bind"]["input"] == "range" for param in params.values())


def test_gains_chart_and_tables_build(built):
    for chart in (campaign_charts.gains_chart(built.tables["campaign_gains"]),
                  campaign_charts.precision_chart(built.tables["campaign_gains"])):
        spec = chart.to_dict(validate=True)
        assert "tooltip" in str(spec) and "y2" in str(spec)  # the bootstrap band
    for gt in (campaign_tables.assumptions_table(built.document),
               campaign_tables.segment_economics_table(built.document),
               campaign_tables.experiment_design_table(built.document)):
        html = gt.as_raw_html()
        assert "<table" in html and "тыс. руб" not in html


def test_sentences_state_the_verdict_the_experiment_and_how_to_read_it(built):
    document = built.document
    priority = campaign_text.segment_row(document, segments.PRIORITY_SEGMENT)
    verdict = campaign_text.verdict(document)
    assert "не окупается ни у одного" in verdict and percent(priority["break_even_effect"], 0) in verdict
    design = document["experiment"]
    text = campaign_text.experiment_text(document)
    assert str(design["control_group"]) in text and percent(design["break_even_effect"], 1) in text
    assert percent(design["break_even_effect"], 0) in campaign_text.reading_text(document)
    actions = campaign_text.monday_actions(document, "Персональная подборка", "planner.html", "list.xlsx")
    assert 2 <= len(actions) <= 3 and "(list.xlsx)" in actions[0] and "(planner.html)" in actions[1]
    everything = " ".join([verdict, text, campaign_text.experiment_limits(document), *actions])
    assert "ухода" not in everything and "тыс. руб" not in everything
    paying = copy.deepcopy(document)
    paying.update(nobody_pays_at_defaults=False)
    paying["totals"]["paying"].update(customers=12, net=3.5)
    assert "окупается у 12\u00a0покупателей" in campaign_text.verdict(paying)
