"""The campaign's economics, targeting, groups, experiment and action list, on generated model outputs."""

import json

import numpy as np
import pandas as pd
import pytest
from segment_inputs import generated_model_outputs

from analysis.decide import campaign, economics, experiment, gains, offers, segments


@pytest.fixture(scope="module")
def enriched(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    return segments.build_segment_results(model_data.table, customers, shap, metrics)["customers"]


@pytest.fixture(scope="module")
def built(enriched, model_data):
    return campaign.build_campaign_results(enriched, model_data.table, segments.SEGMENT_LABELS)


def recompute(frame: pd.DataFrame, document: dict) -> pd.DataFrame:
    """expected_value and the targeting rule from campaign.json's assumptions alone."""
    assumptions = json.loads(json.dumps(document["assumptions"]))  # exactly what the file holds
    horizon = document["horizon_months"]

    def terms(offer: str) -> dict:
        if offer in (offers.NO_OFFER, offers.NOT_NEEDED):
            return {"effect": 0.0, "cost_share": 0.0, "cost_fixed": 0.0}
        family = "Скидка на любимую категорию" if offer.startswith("Скидка на «") else offer
        return assumptions["offers"].get(family, assumptions["default"])

    rows = pd.DataFrame([terms(offer) for offer in frame["offer"]], index=frame.index)
    cost = rows["cost_share"] * horizon * frame["profit"] + rows["cost_fixed"]
    value = frame["probability_drop"] * rows["effect"] * horizon * frame["profit"] - cost
    paying = value > 0
    if paying.any():
        targeted = paying
    else:
        targeted = (frame["segment"] == document["priority_segment"]) & ~frame["offer"].isin(
            [offers.NO_OFFER, offers.NOT_NEEDED])
    return pd.DataFrame({"cost": cost, "value": value, "targeted": targeted})


def test_expected_value_and_targeted_recompute_from_the_assumptions(built):
    table, document = built.tables["campaign"], built.document
    again = recompute(table, document)
    assert np.allclose(table["offer_cost"], again["cost"], atol=1e-6)
    assert np.allclose(table["expected_value"], again["value"], atol=1e-6)
    assert (table["targeted"] == again["targeted"]).all()
    assert table["group"].notna().eq(table["targeted"]).all()
    assert list(table.columns[:2]) == ["id", "segment"] and table["id"].is_unique


def test_at_the_defaults_nobody_pays_so_the_campaign_is_the_priority_experiment(built):
    # Effect 20 % < cost 30 % of profit: p × 0.2 − 0.3 < 0 for every p ≤ 1.
    table, document = built.tables["campaign"], built.document
    assert document["nobody_pays_at_defaults"] and document["basis"] == "experiment"
    assert (table["expected_value"] <= 0).all()
    assert set(table.loc[table["targeted"], "segment"]) == {segments.PRIORITY_SEGMENT}
    upper = {row["segment"]: row for row in document["segments"]}
    priority = upper[segments.PRIORITY_SEGMENT]
    assert priority["upper_bound_net"] > 0 > priority["all_net"]  # 100 % effect: only an upper bound
    assert 0.2 < priority["break_even_effect"] < 1


def test_when_offers_pay_only_paying_customers_are_targeted_best_first(enriched, model_data):
    generous = economics.DEFAULTS.uniform(effect=0.9, cost_share=0.2)
    table, document = campaign.build_campaign(enriched, model_data.table, segments.SEGMENT_LABELS, generous)
    assert document["basis"] == "paying" and not document["nobody_pays_at_defaults"]
    assert (table["targeted"] == (table["expected_value"] > 0)).all()
    again = recompute(table, document)
    assert np.allclose(table["expected_value"], again["value"], atol=1e-6)
    assert document["totals"]["paying"]["net"] == pytest.approx(table.loc[table["targeted"], "expected_value"].sum())
    budget = economics.targeting(table, budget=10)
    assert budget.sum() == 10
    assert table.loc[budget, "expected_value"].min() >= table.loc[table["targeted"] & ~budget, "expected_value"].max()


def test_groups_are_balanced_within_each_segment(built, enriched, model_data):
    generous = campaign.build_campaign(enriched, model_data.table, segments.SEGMENT_LABELS,
                                       economics.DEFAULTS.uniform(effect=0.9, cost_share=0.2))
    for table, document in ((built.tables["campaign"], built.document), generous):
        share = document["experiment"]["control_share"]
        targeted = table.loc[table["targeted"]]
        assert targeted["segment"].nunique() >= 1 and len(targeted) > 0
        for _, members in targeted.groupby("segment"):
            control = (members["group"] == campaign.CONTROL_GROUP).sum()
            assert control == round(len(members) * share)
            assert set(members["group"]) <= {campaign.OFFER_GROUP, campaign.CONTROL_GROUP}


def test_group_assignment_is_seeded_and_random():
    segment = pd.Series(["a"] * 50 + ["b"] * 30, index=range(100, 180))
    first, again = campaign.assign_groups(segment, 0.4), campaign.assign_groups(segment, 0.4)
    other = campaign.assign_groups(segment, 0.4, seed=7)
    assert (first == again).all() and not (first == other).all()
    assert (first[segment == "a"] == "control").sum() == 20 and (first[segment == "b"] == "control").sum() == 12
    assert not (first.iloc[:20] == "control").all()  # not simply the first rows


def test_break_even_effect_nets_zero_and_cost_share_matches():
    rng = np.random.default_rng(1)
    customers = pd.DataFrame({"probability_drop": rng.random(200), "profit": rng.gamma(4, 1, 200),
                              "offer": "Персональная подборка"})
    effect = economics.break_even_effect(customers)
    at_break_even = economics.customer_economics(customers, economics.DEFAULTS.uniform(effect=effect))
    assert at_break_even["expected_value"].sum() == pytest.approx(0, abs=1e-9)
    share = economics.break_even_cost_share(customers)
    at_share = economics.customer_economics(customers, economics.DEFAULTS.uniform(cost_share=share))
    assert at_share["expected_value"].sum() == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError, match="effect must be in"):
        economics.OfferAssumption(effect=1.5)


def test_when_nobody_pays_the_experiment_splits_in_equal_halves(built):
    design = built.document["experiment"]
    assert built.document["basis"] == "experiment" and design["control_share"] == 0.5
    assert design["plan"]["feasible"] and abs(design["offer_group"] - design["control_group"]) <= 1


def test_when_offers_pay_the_control_group_is_the_smallest_that_detects_the_break_even_effect(
        enriched, model_data):
    generous = economics.DEFAULTS.uniform(effect=0.9, cost_share=0.2)
    design = campaign.build_campaign(enriched, model_data.table, segments.SEGMENT_LABELS, generous)[1]["experiment"]
    plan = design["plan"]
    assert plan["treated_drop_share"] == pytest.approx(design["baseline_drop_share"] * (1 - design["break_even_effect"]))
    assert design["feasible"] and plan["total_needed"] <= design["customers"]
    for share in (share for share in campaign.CONTROL_SHARES if share < design["control_share"]):
        smaller = experiment.plan_experiment(design["baseline_drop_share"], design["break_even_effect"],
                                             design["customers"], holdout_share=share)
        assert not smaller.feasible  # a smaller control group could not detect it
    assert design["minimum_detectable_effect"] <= design["break_even_effect"] < design["distinguishable_effect"]
    assert design["offer_group"] + design["control_group"] == design["customers"]


def test_action_list_holds_the_targeted_customers_highest_value_first(built):
    actions, table = built.tables["action_list"], built.tables["campaign"]
    assert sorted(actions["id"]) == sorted(table.loc[table["targeted"], "id"])
    assert actions["expected_value"].is_monotonic_decreasing
    assert list(actions.columns) == campaign.ACTION_LIST_COLUMNS


def test_gains_reach_every_drop_and_bands_hold_the_estimate():
    rng = np.random.default_rng(3)
    dropped = rng.random(400) < 0.4
    probability = np.where(dropped, 0.6, 0.3) + rng.normal(0, 0.2, 400)
    curve = gains.cumulative_gains(dropped, probability, samples=100)
    assert curve["gains"].iloc[-1] == pytest.approx(1) and curve["gains"].is_monotonic_increasing
    assert (curve["gains_low"] <= curve["gains"] + 1e-9).all() and (curve["gains"] <= curve["gains_high"] + 1e-9).all()
    assert curve["precision"].iloc[0] > dropped.mean()  # a useful ranking puts drops first
    assert curve["lift"].iloc[-1] == pytest.approx(1)
    pd.testing.assert_frame_equal(curve, gains.cumulative_gains(dropped, probability, samples=100))
    random_ranking = gains.cumulative_gains(dropped, rng.random(400), samples=100)
    assert random_ranking["gains"].iloc[3] < curve["gains"].iloc[3]
