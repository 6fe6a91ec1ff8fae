"""One risk number per customer: cross-fitted models, no memorisation, stable drivers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.neighbors import KNeighborsClassifier

from analysis.model import evaluation, model_stage, model_store, modeling
from analysis.explain import crossfit_explain
from analysis.report import formatting, model_words
from analysis.decide import offers, segments
from analysis.data.features import FEATURE_COLUMNS


@pytest.fixture(scope="module")
def xy(table):
    split = model_stage.holdout_split(table)
    train = table.iloc[split.train]
    return modeling.model_inputs(train), modeling.target_vector(train), train["copy_group"].to_numpy()


def trees(leaf: int = 20):
    return modeling.build_pipeline(ExtraTreesClassifier(60, min_samples_leaf=leaf, random_state=0, n_jobs=1),
                                   "passthrough", engineered=())


def test_distance_weighted_knn_memorises_and_the_gap_says_so(xy):
    X, y, groups = xy
    folds = modeling.RepeatedStratifiedGroupKFold(5, 1, 7)
    knn = modeling.build_pipeline(KNeighborsClassifier(25, weights="distance"))
    fitted = knn.fit(X, y)
    crossfit = evaluation.cross_fit(knn, X, y, groups, folds, n_jobs=1)
    gap = evaluation.memorisation(fitted, X, y, crossfit.out_of_fold)
    assert gap["in_sample_roc_auc"] > 0.999 and gap["gap"] > modeling.MAX_MEMORISATION_GAP
    uniform = modeling.build_pipeline(KNeighborsClassifier(25))
    honest = evaluation.memorisation(uniform.fit(X, y), X, y,
                                     evaluation.cross_fit(uniform, X, y, groups, folds, n_jobs=1).out_of_fold)
    assert honest["gap"] <= modeling.MAX_MEMORISATION_GAP


def test_cross_fit_scores_every_row_once_with_the_model_that_did_not_see_it(xy):
    X, y, groups = xy
    crossfit = evaluation.cross_fit(trees(), X, y, groups, modeling.RepeatedStratifiedGroupKFold(5, 1, 3), n_jobs=1)
    assert sorted(np.unique(crossfit.fold)) == [1, 2, 3, 4, 5] and len(crossfit.models) == 5
    for fold, model in enumerate(crossfit.models, start=1):
        rows = crossfit.fold == fold
        np.testing.assert_allclose(model.predict_proba(X[rows])[:, 1], crossfit.out_of_fold[rows])
        # copies stay together: no copy group is both scored by this model and learnt from
        assert not set(groups[rows]) & set(groups[~rows])
    with pytest.raises(ValueError, match="exactly once"):
        evaluation.cross_fit(trees(), X, y, groups, modeling.RepeatedStratifiedGroupKFold(5, 2, 3), n_jobs=1)


def test_the_search_sets_memorising_candidates_aside():
    results = {"mean_test_score": [0.92, 0.91, 0.90], "mean_train_score": [1.0, 0.95, 0.93]}
    assert modeling.best_candidate(results) == 1
    assert modeling.best_candidate({"mean_test_score": [0.9, 0.8], "mean_train_score": [1.0, 0.86]}) == 1


def _cv(scores):
    folds = pd.DataFrame({"repeat": 1, "fold": range(1, len(scores) + 1), "roc_auc": scores})
    return evaluation.CrossValidation(folds, np.zeros((1, 1)))


def test_an_exactly_explained_model_is_chosen_only_when_the_best_is_not_clearly_better():
    exact, sampled = trees(), modeling.build_pipeline(KNeighborsClassifier(25))
    assert modeling.has_exact_contributions(exact) and not modeling.has_exact_contributions(sampled)
    assert not modeling.has_exact_contributions(modeling.build_pipeline(ExtraTreesClassifier()))  # pages × minutes
    candidates = {"trees": exact, "knn": sampled}
    base = np.array([0.90, 0.91, 0.92, 0.89, 0.93, 0.90, 0.91, 0.92, 0.88, 0.94])
    noise = np.array([0.004, -0.003, 0.002, -0.004, 0.003, -0.002, 0.004, -0.003, 0.002, -0.001])
    close = model_stage.choose_model({"knn": _cv(base + 0.0005 + noise), "trees": _cv(base)}, candidates)
    assert close["chosen"] == "trees" and close["best_by_mean"] == "knn" and close["decided_by"] == "within_noise"
    clear = model_stage.choose_model({"knn": _cv(base + 0.01 + noise / 10), "trees": _cv(base)}, candidates)
    assert clear["chosen"] == "knn" and clear["decided_by"] == "beats_exact"
    # Beyond noise but under the ROC-AUC the report gives up for exact drivers: still the trees.
    small = model_stage.choose_model({"knn": _cv(base + 0.004 + noise / 10), "trees": _cv(base)}, candidates)
    assert small["paired_best_minus_exact"]["mean"] > 2 * small["paired_best_minus_exact"]["standard_error"]
    assert small["chosen"] == "trees" and "no more than 0.005 ROC-AUC" in small["reason"]
    assert small["decided_by"] == "within_loss"
    assert {close["decided_by"], clear["decided_by"], small["decided_by"]} <= set(model_stage.SELECTION_DECISIONS)


def test_cross_fitted_explanations_add_up_to_each_customers_own_models_risk(xy, table):
    X, y, groups = xy
    crossfit = evaluation.cross_fit(trees(), X, y, groups, modeling.RepeatedStratifiedGroupKFold(3, 1, 5), n_jobs=1)
    customers = table.loc[X.index, ["id", *FEATURE_COLUMNS]].reset_index(drop=True)
    scored_by = pd.Series([f"fold_{k}" for k in crossfit.fold], index=customers["id"])
    models = {f"fold_{k}": model for k, model in enumerate(crossfit.models, start=1)}
    explanation = crossfit_explain.explain_cross_fitted(models, customers, scored_by)
    assert explanation.explainer == "tree" and explanation.output_space == "probability"
    np.testing.assert_allclose(explanation.model_output.to_numpy(), crossfit.out_of_fold, atol=1e-9)
    assert explanation.additivity_error().max() < 1e-9
    assert explanation.base_by_customer.groupby(scored_by).nunique().eq(1).all()  # one base per model
    assert explanation.base_by_customer.nunique() == 3
    shown = pd.DataFrame({"id": customers["id"], "probability_drop": crossfit.out_of_fold.round(6)})
    assert crossfit_explain.check_shown_risk(explanation, shown) <= 1e-6
    shown.loc[0, "probability_drop"] += 0.01
    with pytest.raises(crossfit_explain.explain.ExplainError, match="probability_drop"):
        crossfit_explain.check_shown_risk(explanation, shown)


def test_reseeding_changes_only_the_seed(xy):
    pipeline = trees()
    copy = crossfit_explain.reseeded(pipeline, 99)
    assert copy.get_params()["model__random_state"] == 99 and pipeline.get_params()["model__random_state"] == 0
    assert copy.get_params()["model__min_samples_leaf"] == 20


def test_an_offer_answers_its_premise_not_just_a_positive_contribution(table):
    """«Извинение за сбои» is for customers with many errors, even where few errors raise the risk."""
    features = table.set_index("id")
    medians = features[["service_errors", "pages_per_visit"]].median()
    few_errors = features.index[features["service_errors"] < medians["service_errors"]][:5]
    many_errors = features.index[features["service_errors"] > medians["service_errors"]][:5]
    ids = few_errors.append(many_errors)
    shap = pd.DataFrame(0.0, index=ids, columns=list(FEATURE_COLUMNS))
    shap["service_errors"] = 0.05  # the model reads errors as raising the risk for all ten
    high_risk = pd.Series(True, index=ids)
    chosen = segments.drivers_and_offers(shap, features.loc[ids].assign(id=ids), high_risk, table)
    errors_offer = offers.OFFERS["service_errors"].name
    assert (chosen.loc[many_errors, "offer"] == errors_offer).all()
    assert not (chosen.loc[few_errors, "offer"] == errors_offer).any()


# --- the built results -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(built):
    customers = pd.read_csv(built / "customers.csv")
    shap_values = pd.read_csv(built / "shap_values.csv")
    meta = json.loads((built / "explain.json").read_text(encoding="utf-8"))
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    return customers, shap_values, meta, metrics


def test_every_customers_explanation_adds_up_to_the_risk_the_report_shows(outputs):
    customers, shap_values, _, _ = outputs
    merged = customers.merge(shap_values, on="id", validate="one_to_one")
    assert len(merged) == len(customers)
    assert (merged["model_output"] - merged["probability_drop"]).abs().max() <= 1e-6
    total = merged["base_value"] + merged[list(FEATURE_COLUMNS)].sum(axis=1)
    assert (total - merged["model_output"]).abs().max() <= 1e-6


def test_training_customers_are_scored_by_the_fold_model_that_did_not_see_them(outputs, built, table):
    customers = outputs[0].set_index("id")
    assert set(customers.loc[customers["split"] == "test", "scored_by"]) == {model_stage.FINAL_MODEL}
    folds = crossfit_explain.refit_fold_models(model_store.load_model(built / model_store.MODEL_FILE), table)
    assert sorted(folds) == sorted(set(customers.loc[customers["split"] == "train", "scored_by"]))
    features = table.set_index("id")
    groups = features["copy_group"]
    for name, model in folds.items():
        ids = customers.index[customers["scored_by"] == name]
        np.testing.assert_allclose(model.predict_proba(features.loc[ids, list(FEATURE_COLUMNS)])[:, 1],
                                   customers.loc[ids, "probability_drop"], atol=1e-6)
        others = customers.index[(customers["split"] == "train") & (customers["scored_by"] != name)]
        assert not set(groups.loc[ids]) & set(groups.loc[others])


def test_the_chosen_model_does_not_memorise_and_its_drivers_hold_under_another_seed(outputs, built):
    _, _, meta, metrics = outputs
    assert metrics["memorisation"]["gap"] <= modeling.MAX_MEMORISATION_GAP
    # Issue 15: a customer's top driver and offer stay the same for ≥ 95 % of customers when every
    # forest (fold models and final model) is refitted under another seed and explained again
    # (modeling.STABLE_DEPTH/STABLE_TREES say what that costs).
    assert meta["offer_agreement_between_seeds"] >= 0.95
    assert meta["top_driver_agreement_between_seeds"] >= 0.95
    assert meta["seed_check"]["seeds"][0] != meta["seed_check"]["seeds"][1]
    # The drivers page names the forest the agreement was measured on: the saved model's own size.
    final = model_store.load_model(built / model_store.MODEL_FILE)[-1]
    assert meta["seed_check"]["forest"] == {"trees": len(final.estimators_), "max_depth": final.max_depth}
    text = model_words.agreement_text(meta)
    assert f"лес из {formatting.number(len(final.estimators_))} деревьев глубиной до {final.max_depth}" in text
    assert formatting.percent(meta["top_driver_agreement_between_seeds"], 1) in text


def test_every_customer_quoted_on_the_drivers_page_has_the_risk_customers_csv_shows(outputs, built):
    """The example customers (prose, waterfall titles) and the picker's frame quote the shown risk."""
    customers, shap_values, meta, _ = outputs
    shown = customers.set_index("id")["probability_drop"]
    for example in meta["representatives"]:
        assert abs(example["model_output"] - shown.loc[example["id"]]) <= 1e-6
        assert abs(example["probability"] - shown.loc[example["id"]]) <= 1e-6
    steps = pd.read_csv(built / "shap_waterfalls.csv")
    for customer, rows in steps.groupby("id"):
        assert abs(rows["model_output"].iloc[0] - shown.loc[customer]) <= 1e-6
        assert abs(rows["end"].iloc[-1] - shown.loc[customer]) <= 1e-6
