"""Segments partition the customers; money adds up; offers follow each customer's own driver."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import offers, segments


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
    customers = random_customers(9)
    table = segments.what_if(customers, uplifts=(0.1, 0.5))
    break_even = table["break_even_uplift"].iloc[0]
    at_break_even = segments.what_if(customers, uplifts=(break_even,))
    assert at_break_even["net"].iloc[0] == pytest.approx(0, abs=1e-9)
    assert table["net"].is_monotonic_increasing


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
