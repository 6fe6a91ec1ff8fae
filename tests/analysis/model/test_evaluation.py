"""Evaluation: out-of-fold means out of fold, the bootstrap is stable, the threshold minimises the stated cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import KNeighborsClassifier

from analysis.model import evaluation
from analysis.model.evaluation import (
    best_threshold, bootstrap_roc_auc, calibration, classification_summary, cross_validate, paired_difference,
    threshold_costs,
)
from analysis.model.modeling import RepeatedStratifiedGroupKFold, build_pipeline, model_inputs, target_vector



def test_out_of_fold_probabilities_come_from_models_that_never_saw_the_customer(table):
    """A 1-nearest-neighbour model memorises its training rows: perfect in sample, far from it out of fold."""
    X, y, groups = model_inputs(table), target_vector(table), table["copy_group"].to_numpy()
    memoriser = build_pipeline(KNeighborsClassifier(n_neighbors=1))
    in_sample = memoriser.fit(X, y).predict_proba(X)[:, 1]
    assert roc_auc_score(y, in_sample) == 1.0
    cv = RepeatedStratifiedGroupKFold(5, 2, random_state=7)
    result = cross_validate(memoriser, X, y, groups, cv)
    assert result.by_repeat.shape == (2, len(y)) and not np.isnan(result.by_repeat).any()
    assert roc_auc_score(y, result.out_of_fold) < 0.9
    assert len(result.folds) == 10 and result.folds["roc_auc"].lt(0.95).all()
    assert result.mean == pytest.approx(result.folds["roc_auc"].mean())


def test_bootstrap_interval_holds_the_estimate_and_repeats_exactly():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    score = y + rng.normal(0, 0.8, 300)
    low, high = bootstrap_roc_auc(y, score, resamples=500)
    assert low < roc_auc_score(y, score) < high
    assert (low, high) == bootstrap_roc_auc(y, score, resamples=500)
    assert (low, high) != bootstrap_roc_auc(y, score, resamples=500, random_state=1)
    assert 0.02 < high - low < 0.2


def test_threshold_minimises_the_stated_cost_on_a_hand_worked_example():
    # Four customers, profit 1 a month, horizon 3: a missed drop costs 3, an offer 0.3 × 3 = 0.9.
    probability = np.array([0.9, 0.6, 0.4, 0.1])
    dropped = np.array([1, 0, 1, 0])
    costs = threshold_costs(dropped, probability, np.ones(4), offer_cost_share=0.3, horizon_months=3)
    by_threshold = costs.set_index("threshold")["total_cost"]
    assert by_threshold[0.1] == pytest.approx(3.6)      # offers to all four
    assert by_threshold[0.4] == pytest.approx(2.7)      # offers to three, nobody missed
    assert by_threshold[0.5] == pytest.approx(4.8)      # two offers, one drop missed
    assert by_threshold[1.0] == pytest.approx(6.0)      # nobody gets an offer: both drops missed
    assert best_threshold(costs) == 0.4                 # the cheapest (ties: fewest offers)
    assert by_threshold.min() == pytest.approx(2.7)
    assert (costs["total_cost"] == costs["cost_missed"] + costs["cost_offers"]).all()
    assert (costs["caught"] + costs["missed"] == dropped.sum()).all()


def test_threshold_moves_with_the_price_of_an_offer():
    """With calibrated probabilities the cost-minimising threshold sits near the offer's price share."""
    rng = np.random.default_rng(3)
    probability = rng.uniform(0, 1, 20_000)
    dropped = (rng.uniform(0, 1, 20_000) < probability).astype(int)
    profit = np.ones(20_000)
    for share in (0.2, 0.5):
        chosen = best_threshold(threshold_costs(dropped, probability, profit, offer_cost_share=share))
        assert chosen == pytest.approx(share, abs=0.05)


def test_summary_counts_match_the_threshold():
    y = np.array([1, 1, 0, 0, 1])
    p = np.array([0.8, 0.3, 0.6, 0.1, 0.5])
    summary = classification_summary(y, p, 0.5)
    assert (summary["tp"], summary["fn"], summary["fp"], summary["tn"]) == (2, 1, 1, 1)
    assert summary["recall"] == pytest.approx(2 / 3) and summary["precision"] == pytest.approx(2 / 3)


def test_calibration_bins_cover_every_customer_once():
    rng = np.random.default_rng(5)
    p = rng.uniform(0, 1, 10_000)
    y = (rng.uniform(0, 1, 10_000) < p).astype(int)
    bins = calibration(y, p, "test")
    assert bins["customers"].sum() == 10_000 and len(bins) == 10
    assert bins["predicted"].is_monotonic_increasing
    assert np.allclose(bins["predicted"], bins["observed"], atol=0.05)  # calibrated by construction


def test_paired_difference_compares_fold_by_fold():
    folds = pd.DataFrame({"repeat": [1, 1, 1], "fold": [1, 2, 3]})
    first = evaluation.CrossValidation(folds.assign(roc_auc=[0.90, 0.92, 0.88]), np.zeros((1, 3)))
    second = evaluation.CrossValidation(folds.assign(roc_auc=[0.89, 0.93, 0.87]), np.zeros((1, 3)))
    result = paired_difference(first, second)
    assert result["mean"] == pytest.approx(0.01 / 3)
    assert result["share_of_folds_higher"] == pytest.approx(2 / 3) and result["folds"] == 3
