"""SHAP explanations: additive on every explainer path, in original features, deterministic.

Pipelines are fitted on a subsample of the real modelling table (small models, so the
whole file runs in seconds); every explainer path is exercised: linear, tree
(probability and log-odds outputs) and the model-agnostic permutation path.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import shap
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.svm import SVC

from analysis.explain import explain
from analysis.decide import segments
from analysis.report import explain_charts, explain_words
from analysis.explain.shapley import permutation_shapley
from analysis.constants import POSITIVE_CLASS, RANDOM_STATE
from analysis.data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, NUMERIC_FEATURES
from analysis.data.labels import TARGET

FIT_ROWS, EXPLAIN_ROWS = 400, 120


def encoder(numeric=NUMERIC_FEATURES, categorical=CATEGORICAL_FEATURES, scale=True) -> ColumnTransformer:
    return ColumnTransformer([
        ("num", StandardScaler() if scale else "passthrough", list(numeric)),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(categorical))])


def with_minutes_total(features: pd.DataFrame) -> pd.DataFrame:
    """A derived column computed from two original features (as the project's pipelines add)."""
    return features.assign(minutes_total=features["minutes_previous_month"] + features["minutes_current_month"])



@pytest.fixture(scope="module")
def fit_rows(table) -> pd.DataFrame:
    return table.sample(FIT_ROWS, random_state=RANDOM_STATE)


@pytest.fixture(scope="module")
def customers(table) -> pd.DataFrame:
    return table.sample(EXPLAIN_ROWS, random_state=RANDOM_STATE + 1).sort_values("id", ignore_index=True)


def fitted(pipeline, rows: pd.DataFrame, target=None):
    return pipeline.fit(rows[list(FEATURE_COLUMNS)], rows[TARGET] if target is None else target)


@pytest.fixture(scope="module")
def logreg(fit_rows):
    return fitted(Pipeline([("prepare", encoder()), ("model", LogisticRegression(C=0.3, max_iter=2000))]),
                  fit_rows)


@pytest.fixture(scope="module")
def linear_explanation(logreg, customers):
    return explain.explain_model(logreg, customers)


def assert_additive(explanation: explain.Explanation) -> None:
    assert list(explanation.values.columns) == list(FEATURE_COLUMNS)
    assert explanation.additivity_error().max() <= explain.ADDITIVITY_TOLERANCE
    assert np.isfinite(explanation.values.to_numpy()).all()


def test_linear_path_is_additive_in_log_odds(linear_explanation, logreg, customers):
    assert linear_explanation.explainer == "linear" and linear_explanation.output_space == "log-odds"
    assert linear_explanation.standard_error is None  # exact: nothing sampled
    assert_additive(linear_explanation)
    probability = logreg.predict_proba(customers[list(FEATURE_COLUMNS)])[:, 1]
    np.testing.assert_allclose(linear_explanation.model_output, np.log(probability / (1 - probability)),
                               atol=1e-9)
    assert linear_explanation.values.index.tolist() == customers["id"].tolist()


def test_one_hot_columns_are_summed_back_to_their_feature(linear_explanation, logreg, customers):
    """The category's SHAP value is the sum of coef × (column − mean) over its one-hot columns."""
    matrix = logreg[:-1].transform(customers[list(FEATURE_COLUMNS)])
    names = logreg[:-1].get_feature_names_out()
    contributions = logreg[-1].coef_[0] * (matrix - matrix.mean(axis=0))
    for feature in CATEGORICAL_FEATURES:
        columns = [index for index, name in enumerate(names) if name.startswith(f"cat__{feature}_")]
        assert len(columns) >= 2
        np.testing.assert_allclose(linear_explanation.values[feature], contributions[:, columns].sum(axis=1),
                                   atol=1e-12)
    assert explain.column_sources(logreg[:-1], customers[list(FEATURE_COLUMNS)].reset_index(drop=True),
                                  matrix)[-1] == ("popular_category",)


@pytest.mark.parametrize("model, space", [
    (ExtraTreesClassifier(n_estimators=30, min_samples_leaf=4, random_state=RANDOM_STATE), "probability"),
    (HistGradientBoostingClassifier(max_iter=40, random_state=RANDOM_STATE), "log-odds"),
])
def test_tree_path_is_additive_in_the_space_the_trees_report(model, space, fit_rows, customers):
    pipeline = fitted(Pipeline([("prepare", encoder(scale=False)), ("model", model)]), fit_rows)
    explanation = explain.explain_model(pipeline, customers)
    assert explanation.explainer == "tree" and explanation.output_space == space
    assert_additive(explanation)


def test_positive_class_first_flips_linear_and_tree_outputs(fit_rows, customers):
    """With classes ordered («Снизилась», other), the explained output is still «Снизилась»'s."""
    target = fit_rows[TARGET].where(fit_rows[TARGET] == POSITIVE_CLASS, "Я остался")
    for model in (LogisticRegression(max_iter=2000), HistGradientBoostingClassifier(max_iter=30)):
        pipeline = fitted(Pipeline([("prepare", encoder()), ("model", model)]), fit_rows, target)
        assert list(pipeline.classes_).index(POSITIVE_CLASS) == 0
        explanation = explain.explain_model(pipeline, customers)
        assert_additive(explanation)
        probability = pipeline.predict_proba(customers[list(FEATURE_COLUMNS)])[:, 0]
        np.testing.assert_allclose(explanation.model_output, np.log(probability / (1 - probability)), atol=1e-8)


@pytest.fixture(scope="module")
def soft_vote(fit_rows):
    members = [("svc", SVC(probability=True, random_state=RANDOM_STATE)),
               ("trees", ExtraTreesClassifier(n_estimators=20, min_samples_leaf=4, random_state=RANDOM_STATE)),
               ("knn", KNeighborsClassifier(n_neighbors=15))]
    target = (fit_rows[TARGET] == POSITIVE_CLASS).astype(int)  # 0/1, as the model search fits
    with pytest.warns(FutureWarning):  # SVC(probability=True) is deprecated in scikit-learn 1.9
        return fitted(Pipeline([("prepare", encoder()), ("model", VotingClassifier(members, voting="soft"))]),
                      fit_rows, target)


def test_model_agnostic_path_is_additive_in_probability(soft_vote, customers):
    explanation = explain.explain_model(soft_vote, customers, background_size=20, permutations=1)
    assert explanation.explainer == "permutation" and explanation.output_space == "probability"
    assert explanation.background_size == 20 and explanation.permutations == 1
    assert explanation.fallback_reason == {"code": "not_tree", "estimator": "VotingClassifier"}
    assert explain_words.fallback_reason_text(explanation.fallback_reason).startswith(
        "VotingClassifier — не линейная модель и не ансамбль деревьев")
    assert_additive(explanation)
    assert explanation.standard_error.shape == explanation.values.shape
    assert (explanation.standard_error.to_numpy() >= 0).all()
    np.testing.assert_allclose(explanation.model_output,
                               soft_vote.predict_proba(customers[list(FEATURE_COLUMNS)])[:, 1], atol=1e-12)


def test_derived_columns_from_several_features_force_the_model_agnostic_path(fit_rows, customers):
    pipeline = fitted(Pipeline([
        ("derive", FunctionTransformer(with_minutes_total)),
        ("prepare", encoder(numeric=(*NUMERIC_FEATURES, "minutes_total"))),
        ("model", LogisticRegression(max_iter=2000))]), fit_rows)
    explanation = explain.explain_model(pipeline, customers, background_size=20, permutations=1)
    assert explanation.explainer == "permutation"
    reason = explanation.fallback_reason
    assert reason["code"] == "mixed_column" and "minutes_total" in reason["column"]
    assert set(reason["features"]) == {"minutes_previous_month", "minutes_current_month"}
    worded = explain_words.fallback_reason_text(reason)
    assert "minutes_total" in worded and "Минут на сайте, предыдущий месяц" in worded
    assert_additive(explanation)


def test_permutation_estimate_equals_exact_shapley_for_pairwise_models():
    """One antithetic permutation is exact when features interact at most in pairs."""
    rng = np.random.default_rng(0)
    rows, background = rng.normal(size=(25, 5)), rng.normal(size=(7, 5))

    def model(x):
        return x[:, 0] * x[:, 1] + x[:, 2] ** 2 - 3 * x[:, 3] * x[:, 0] + np.sin(x[:, 4])

    estimate = permutation_shapley(model, rows, background, permutations=1)
    exact = shap.explainers.Exact(model, shap.maskers.Independent(background, max_samples=7))(rows)
    np.testing.assert_allclose(estimate.values, exact.values, atol=1e-12)
    assert estimate.base == pytest.approx(exact.base_values[0])
    np.testing.assert_allclose(estimate.base + estimate.values.sum(axis=1), estimate.outputs, atol=1e-12)
    assert (estimate.standard_error >= 0).all() and estimate.standard_error[:, 3].max() > 0


def test_permutation_path_agrees_with_linear_explainer_on_a_linear_model(logreg, customers,
                                                                          linear_explanation):
    """In log-odds a logistic regression is additive, so sampling must give the exact linear SHAP."""
    features = customers[list(FEATURE_COLUMNS)].reset_index(drop=True)
    codec = explain.FeatureCodec(features)
    rows = codec.encode(features)
    assert codec.decode(rows).equals(features)

    def log_odds(matrix):
        return logreg.decision_function(codec.decode(matrix))

    estimate = permutation_shapley(log_odds, rows, rows, permutations=1)
    np.testing.assert_allclose(estimate.values, linear_explanation.values.to_numpy(), atol=1e-9)
    assert estimate.base == pytest.approx(linear_explanation.base_value)


def test_explanations_are_deterministic_and_independent_of_parallelism(soft_vote, customers):
    runs = [explain.explain_model(soft_vote, customers, background_size=15, permutations=1, n_jobs=n_jobs)
            for n_jobs in (1, 2, 2)]
    for run in runs[1:]:
        pd.testing.assert_frame_equal(run.values, runs[0].values, check_exact=True)
        assert run.base_value == runs[0].base_value


def test_importance_ranks_by_mean_absolute_shap_and_marks_unused_features(fit_rows, customers):
    used = tuple(c for c in NUMERIC_FEATURES if c != "tenure_days")
    pipeline = fitted(Pipeline([("prepare", encoder(numeric=used, categorical=("popular_category",))),
                                ("model", LogisticRegression(max_iter=2000))]), fit_rows)
    explanation = explain.explain_model(pipeline, customers)
    ranking = explain.importance(explanation.values, customers)
    assert ranking["rank"].tolist() == list(range(1, len(FEATURE_COLUMNS) + 1))
    assert ranking["mean_abs_shap"].is_monotonic_decreasing
    expected = explanation.values.abs().mean()
    np.testing.assert_allclose(ranking["mean_abs_shap"], expected[ranking["feature"]].to_numpy())
    unused = ranking.set_index("feature").loc[["tenure_days", "service_type", "allow_messages"]]
    assert (unused["mean_abs_shap"] == 0).all() and (unused["direction"] == 0).all() and not unused["used"].any()
    worded = explain_words.worded_importance(ranking).set_index("feature")
    assert (worded.loc[unused.index, "direction_text"] == explain_words.UNUSED_TEXT).all()
    numbers = ranking.loc[(ranking["kind"] == "number") & ranking["used"]]
    assert (np.sign(numbers["correlation"]) == numbers["direction"]).all()
    # Floating-point noise (the same row scored in different batches) is not use.
    noisy = explanation.values.assign(tenure_days=np.random.default_rng(0).normal(scale=1e-18, size=len(customers)))
    assert not explain.importance(noisy, customers).set_index("feature").loc["tenure_days", "used"]


def test_top_drivers_name_the_largest_contributions_with_their_sign(linear_explanation):
    drivers = segments.top_drivers(linear_explanation.values, n=3)
    assert drivers.index.equals(linear_explanation.values.index)
    pattern = re.compile(r"^[^;]+ \([+−]\)(; [^;]+ \([+−]\)){2}$")
    assert drivers.map(lambda text: bool(pattern.match(text))).all()
    customer = linear_explanation.values.iloc[0]
    strongest = customer.abs().idxmax()
    sign = "+" if customer[strongest] > 0 else "−"
    assert drivers.iloc[0].startswith(f"{explain.FEATURE_LABELS[strongest]} ({sign})")


def test_waterfall_of_each_example_runs_from_base_value_to_model_output(linear_explanation, customers):
    chosen = explain.representative_customers(linear_explanation, threshold=0.4)
    steps = explain.waterfall_steps(linear_explanation.values, linear_explanation.base_value, customers, chosen)
    assert steps["role"].drop_duplicates().tolist() == list(explain.ROLES)
    for row in chosen.itertuples():
        waterfall = steps.loc[steps["id"] == row.id].sort_values("order")
        assert waterfall["start"].iloc[0] == linear_explanation.base_value
        assert waterfall["end"].iloc[-1] == pytest.approx(linear_explanation.model_output[row.id], abs=1e-9)
        np.testing.assert_allclose(waterfall["start"].iloc[1:], waterfall["end"].iloc[:-1])
        assert waterfall["shap"].sum() == pytest.approx(linear_explanation.values.loc[row.id].sum(), abs=1e-12)
        assert len(waterfall) == 10 and waterfall["rest_features"].iloc[-1] == len(FEATURE_COLUMNS) - 9
        worded = explain_words.worded_waterfalls(waterfall)
        assert worded["step_label"].iloc[-1] == f"Остальные признаки ({len(FEATURE_COLUMNS) - 9})"


def test_representative_customers_are_the_riskiest_the_borderline_and_the_safest(linear_explanation):
    probability = linear_explanation.probability
    chosen = explain.representative_customers(linear_explanation, threshold=0.4).set_index("role")["id"]
    assert chosen["highest_risk"] == probability.idxmax() and chosen["safest"] == probability.idxmin()
    assert chosen["borderline"] == (probability - 0.4).abs().idxmin()
    among = probability.index[::2]
    restricted = explain.representative_customers(linear_explanation, 0.4, among=among)
    assert set(restricted["id"]) <= set(among)


def test_published_claims_verdicts_follow_rank_and_direction():
    strongest_first = ["pages_per_visit", "promo_share", "minutes_previous_month", "market_activity_6m",
                       "unpaid_items_quarter", "tenure_days", "minutes_current_month", "categories_per_visit",
                       "service_errors", "popular_category"]
    order = strongest_first + [feature for feature in FEATURE_COLUMNS if feature not in strongest_first]
    ranking = pd.DataFrame({"feature": order, "label": order, "rank": range(1, len(order) + 1),
                            "mean_abs_shap": np.linspace(0.16, 0.01, len(order)), "used": True,
                            "direction": -1})
    ranking.loc[ranking["feature"] == "promo_share", "direction"] = 1
    claims = explain.compare_with_published(ranking)
    verdict = dict(zip(claims["features"], claims["verdict"]))
    assert verdict["pages_per_visit"] == "agree"  # rank 1, fewer pages → higher risk, as claimed
    assert verdict["promo_share"] == "agree"  # rank 2, more promo → higher risk, as claimed
    assert verdict["minutes_previous_month, minutes_current_month"] == "agree"  # best of ranks 3 and 7
    assert verdict["market_activity_6m"] == "agree"  # rank 4
    assert verdict["unpaid_items_quarter"] == "disagree"  # pushes the other way than claimed
    assert verdict["popular_category"] == "partly"  # rank 10: within 2 × STRONG_RANK
    assert claims.set_index("features").loc["popular_category", "direction_holds"] is None


def test_build_explain_results_gives_the_chapter_its_files(logreg, customers):
    split = customers[["id"]].assign(split=np.where(np.arange(len(customers)) % 4 == 0, "test", "train"))
    results = explain_words.with_words(explain.build_explain_results(logreg, customers, customers=split,
                                                                     threshold=0.4))
    assert set(results) == {"shap_values", "shap_importance", "shap_waterfalls", "shap_claims", "explain"}
    values = results["shap_values"]
    assert list(values.columns) == ["id", "base_value", *FEATURE_COLUMNS, "model_output"]
    error = (values["base_value"] + values[list(FEATURE_COLUMNS)].sum(axis=1) - values["model_output"]).abs()
    assert error.max() <= explain.ADDITIVITY_TOLERANCE
    meta = json.loads(json.dumps(results["explain"]))
    assert meta["output_space"] == "log-odds" and meta["max_additivity_error"] <= meta["tolerance"]
    assert len(meta["top_drivers"]) == 5 and meta["examples_from"] == "test"
    assert set(results["shap_waterfalls"]["id"]) <= set(split.loc[split["split"] == "test", "id"])


def test_charts_ship_compact_data_and_pick_customers_in_vega(logreg, customers):
    results = explain_words.with_words(explain.build_explain_results(logreg, customers, threshold=0.4))
    meta, values, ranking = results["explain"], results["shap_values"], results["shap_importance"]
    explorer = explain_charts.waterfall_explorer(values, customers, ranking, meta).to_dict()
    # The customer picker (customer_picker.py) drives the one signal; the chart binds no inputs.
    assert explorer["params"] == [{"name": explain_charts.RISK_PLACE_SIGNAL, "value": 1}]
    rows = next(iter(explorer["datasets"].values()))
    assert len(rows) == len(customers) and {"id", "a", "r", "s0", "v0"} <= set(rows[0])
    for chart in (explain_charts.importance_bars(ranking, meta),
                  explain_charts.beeswarm(values, customers, ranking, meta),
                  explain_charts.dependence_plots(values, customers, ranking, meta),
                  explain_charts.representative_waterfalls(results["shap_waterfalls"], meta)):
        spec = chart.to_dict()
        assert spec["description"] and len(spec["datasets"]) <= 2
