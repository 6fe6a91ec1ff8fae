"""Segments partition the customers; money adds up; offers follow each customer's own driver."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.decide import offers, segments


def random_customers(seed: int, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"id": np.arange(n) + 1000, "probability_drop": rng.random(n),
                         "profit": rng.gamma(4, 1, n), "promo_share": rng.random(n)})


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), risk=st.floats(0.05, 0.95))
def test_segments_partition_the_customers(seed, risk):
    customers = random_customers(seed)
    cuts = segments.segment_cuts(customers, risk)
    segment = segments.assign_segments(customers, cuts)
    assert segment.notna().all() and set(segment) <= set(segments.SEGMENT_LABELS)
    high_risk = segment.str.startswith("high_risk")
    assert (high_risk == (customers["probability_drop"] >= risk)).all()
    summary = segments.segment_summary(customers.assign(segment=segment))
    assert summary["customers"].sum() == len(customers)
    assert summary["share"].sum() == pytest.approx(1)


def test_profit_at_stake_adds_up_over_segments():
    customers = random_customers(3)
    customers["segment"] = segments.assign_segments(customers, segments.segment_cuts(customers, 0.6))
    summary = segments.segment_summary(customers)
    at_stake = segments.expected_profit_at_risk(customers)
    assert summary["profit_at_stake"].sum() == pytest.approx(at_stake.sum())
    assert at_stake.iloc[0] == pytest.approx(customers.probability_drop[0] * customers.profit[0] * 3)
    assert (summary["profit_at_stake"] <= summary["horizon_profit"]).all()


def test_profit_cut_is_the_median_so_halves_are_equal():
    customers = random_customers(5, n=400)
    segment = segments.assign_segments(customers, segments.segment_cuts(customers, 0.5))
    assert segment.str.endswith("high_profit").sum() == 200


def test_what_if_breaks_even_where_saving_equals_cost():
    customers = random_customers(9).assign(offer="Персональная подборка")
    table = segments.what_if(customers, uplifts=(0.1, 0.5))
    break_even = table["break_even_uplift"].iloc[0]
    at_break_even = segments.what_if(customers, uplifts=(break_even,))
    assert at_break_even["net"].iloc[0] == pytest.approx(0, abs=1e-9)
    assert table["net"].is_monotonic_increasing
    # Customers without an offer are neither costed nor counted.
    mixed = customers.assign(offer=np.where(customers.index % 2 == 0, "Персональная подборка", offers.NOT_NEEDED))
    with_offer = customers.loc[customers.index % 2 == 0]
    assert segments.what_if(mixed, uplifts=(0.3,))["offer_cost"].iloc[0] == pytest.approx(
        0.3 * 3 * with_offer["profit"].sum())


def test_offer_follows_the_customers_strongest_risk_raising_actionable_driver():
    shap_values = pd.DataFrame({
        "pages_per_visit": [0.30, -0.2, -0.1],
        "unpaid_items_quarter": [0.10, 0.25, -0.3],
        "tenure_days": [0.90, 0.90, 0.90],  # raises risk most, but nothing to offer for it
    }, index=[1, 2, 3])
    driver = offers.top_actionable_driver(shap_values)
    assert driver.loc[1] == "pages_per_visit" and driver.loc[2] == "unpaid_items_quarter"
    assert pd.isna(driver.loc[3])
    offer = offers.offer_for(driver)
    assert offer.loc[1] == offers.OFFERS["pages_per_visit"][0]
    assert offer.loc[3] == offers.NO_OFFER


# --- build_segment_results on the real modelling table with generated predictions and SHAP -------

import re  # noqa: E402

from segment_inputs import THRESHOLD, generated_model_outputs  # noqa: E402


@pytest.fixture(scope="module")
def segment_results(model_data):
    customers, shap, metrics = generated_model_outputs(model_data.table)
    return segments.build_segment_results(model_data.table, customers, shap, metrics), model_data.table, customers


def test_results_partition_the_modelled_customers_and_money_adds_up(segment_results):
    results, table, _ = segment_results
    enriched = results["customers"]
    assert sorted(enriched["id"]) == sorted(table["id"]) and enriched["id"].is_unique
    summary = results["segment_summary"]
    four = summary.loc[summary["segment"].isin(segments.SEGMENT_LABELS)]
    assert four["customers"].sum() == len(table)
    counts = enriched["segment"].value_counts()
    assert (four.set_index("segment")["customers"] == counts.reindex(four["segment"])).all()
    assert four["profit_at_stake"].sum() == pytest.approx(enriched["expected_profit_at_risk"].sum())
    assert results["segments"]["total_profit_at_stake"] == pytest.approx(four["profit_at_stake"].sum())
    expected = enriched["probability_drop"] * enriched["profit"] * segments.HORIZON_MONTHS
    assert np.allclose(enriched["expected_profit_at_risk"], expected)
    hunters = summary.set_index("segment").loc[segments.BEHAVIOURAL_SEGMENT]
    assert hunters["customers"] == (table["promo_share"] >= segments.PROMO_HUNTER_SHARE).sum()


def test_enriched_customers_have_every_required_column_filled(segment_results):
    results, _, customers = segment_results
    enriched = results["customers"]
    required = ["id", "split", "probability_drop", "predicted_drop", "segment", "segment_label", "promo_hunter",
                "profit", "expected_profit_at_risk", "top_drivers", "offer"]
    assert list(enriched.columns[:len(customers.columns)]) == list(customers.columns)
    assert enriched[required].notna().all().all()
    high_risk = enriched["probability_drop"] >= THRESHOLD
    assert (enriched.loc[~high_risk, "offer"] == offers.NOT_NEEDED).all()
    with_driver = high_risk & enriched["top_actionable_driver"].notna()
    assert (enriched.loc[with_driver, "offer_action"].str.len() > 0).all()
    assert (enriched.loc[high_risk & enriched["top_actionable_driver"].isna(), "offer"] == offers.NO_OFFER).all()


def test_top_drivers_name_three_features_with_their_sign():
    shap = pd.DataFrame({"pages_per_visit": [0.3, -0.01], "promo_share": [-0.2, 0.0],
                         "tenure_days": [0.1, 0.02], "service_errors": [0.05, 0.0]}, index=[7, 8])
    drivers = segments.top_drivers(shap)
    assert drivers.loc[7] == "Страниц за визит (+); Доля покупок по акции (−); Дней с регистрации (+)"
    assert drivers.loc[8] == "Дней с регистрации (+); Страниц за визит (−)"  # zero SHAP is never a driver


def test_top_drivers_format_on_every_customer(segment_results):
    results, _, _ = segment_results
    pattern = re.compile(r"^[^;()]+(,[^;()]+)? \([+−]\)(; [^;()]+(,[^;()]+)? \([+−]\)){2}$")
    assert results["customers"]["top_drivers"].map(lambda text: bool(pattern.match(text))).all()


def test_offers_reach_customers_without_consent_on_the_site(segment_results):
    results, table, _ = segment_results
    action = results["customers"].merge(table[["id", "allow_messages"]], on="id")
    offered = action.loc[action["offer_action"].str.len() > 0]
    no_consent, consent = offered.loc[offered["allow_messages"] == "нет"], offered.loc[offered["allow_messages"] == "да"]
    assert len(no_consent) > 0 and len(consent) > 0
    mailing = "рассылк|письм|напоминание о"
    assert not no_consent["offer_action"].str.contains(mailing).any()
    assert consent["offer_action"].str.contains(mailing).any()


def test_personal_offers_respect_consent_and_name_the_category():
    driver = pd.Series(["market_activity_6m", "market_activity_6m", "popular_category", None])
    consent = pd.Series(["да", "нет", "нет", "да"])
    category = pd.Series(["Кухонная посуда", "Кухонная посуда", "Домашний текстиль", "Кухонная посуда"])
    personal = offers.personal_offers(driver, consent, category)
    assert personal.loc[0, "offer_action"] == offers.OFFERS["market_activity_6m"].action
    assert personal.loc[1, "offer_action"] == offers.OFFERS["market_activity_6m"].action_on_site
    assert "рассылк" in personal.loc[0, "offer_action"]
    assert "рассылк" not in personal.loc[1, "offer_action"]
    assert personal.loc[2, "offer"] == "Скидка на «Домашний текстиль»"
    assert "«Домашний текстиль»" in personal.loc[2, "offer_action"]
    assert personal.loc[3, "offer"] == offers.NO_OFFER


def test_offers_per_segment_are_two_to_four_each_backed_by_evidence(segment_results):
    results, _, _ = segment_results
    offer_table = results["segment_offers"]
    for segment in segments.OFFER_SEGMENTS:
        rows = offer_table.loc[offer_table["segment"] == segment]
        assert 2 <= len(rows) <= 4 and rows["offer"].is_unique
        # backed by the customers' own drivers, not by a p-value: every listed offer is some
        # high-risk customer's own offer in the segment
        assert (rows["mean_shap_group"] > 0).all() and (rows["customers_with_offer"] > 0).all()
        assert "p_adjusted" not in rows
        assert rows["mean_shap_group"].is_monotonic_decreasing
    comparison = results["segment_comparison"]
    assert set(comparison["segment"]) == set(segments.OFFER_SEGMENTS) and comparison["label"].notna().all()
    # no circular comparison: the promo hunters are not compared on the promo share that defines them
    hunters = comparison.loc[comparison["segment"] == segments.BEHAVIOURAL_SEGMENT]
    assert "promo_share" not in set(hunters["feature"])
    # a yes/no feature appears once per segment
    assert not comparison.duplicated(["segment", "feature"]).loc[comparison["kind"] == "number"].any()
    assert (comparison.loc[comparison["feature"] == "allow_messages"].groupby("segment").size() <= 1).all()


def test_experiment_options_are_sized_for_the_break_even_effect_and_flag_feasibility(segment_results):
    results, _, _ = segment_results
    options = results["segment_experiment"]
    assert ((options["break_even_effect"] > 0) & (options["break_even_effect"] < 1)).all()
    assert np.allclose(options["treated_drop_share"], options["baseline_drop_share"] * (1 - options["break_even_effect"]))
    assert (options["feasible"] == (options["segment_size"] >= options["total_needed"])).all()
    priority_size = (results["customers"]["segment"] == segments.PRIORITY_SEGMENT).sum()
    assert options.set_index("option").loc["segment_personal", "segment_size"] == priority_size


def test_building_twice_gives_identical_results_and_ignores_earlier_enrichment(segment_results, model_data):
    results, table, customers = segment_results
    customers_again, shap, metrics = generated_model_outputs(table)
    again = segments.build_segment_results(table, results["customers"], shap, metrics)
    for stem, value in results.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, again[stem], obj=stem)
        else:
            assert value == again[stem]
