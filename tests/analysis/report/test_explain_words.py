"""report/explain_words.py: the explain stage's codes in words, as results/ holds them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from analysis.constants import POSITIVE_CLASS
from analysis.data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, FEATURE_LABELS, NUMERIC_FEATURES
from analysis.data.labels import TARGET
from analysis.explain import explain
from analysis.report import explain_words
from analysis.report.formatting import NBSP


@pytest.fixture(scope="module")
def computed(model_data):
    """The explain stage's computation on the real modelling table (a logistic regression: fast, exact)."""
    table = model_data.table
    pipeline = Pipeline([
        ("prepare", ColumnTransformer([("num", StandardScaler(), list(NUMERIC_FEATURES)),
                                       ("cat", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL_FEATURES))])),
        ("model", LogisticRegression(max_iter=2000))])
    pipeline.fit(table[list(FEATURE_COLUMNS)], (table[TARGET] == POSITIVE_CLASS).astype(int))
    split = table[["id"]].assign(split=np.where(np.arange(len(table)) % 4 == 0, "test", "train"))
    return explain.build_explain_results(pipeline, table, customers=split, threshold=0.4)


def test_a_category_is_called_riskier_only_when_the_data_agree():
    def worded(mean_shap, drop_share):
        mean_shap = mean_shap.sort_values()
        row = pd.Series({"feature": "popular_category", "riskiest_category": mean_shap.index[-1],
                         "safest_category": mean_shap.index[0], **explain.category_claim(mean_shap, drop_share)})
        return explain_words.category_claim_text(row)

    close = pd.Series({"Техника": -0.002, "Домашний текстиль": 0.003})
    assert worded(close, None) == f"категории различаются по вкладу мало (не больше 0,5{NBSP}п.{NBSP}п.)"
    wide = pd.Series({"Техника": -0.03, "Домашний текстиль": 0.03})
    assert "не совпадает" in worded(wide, pd.Series({"Техника": 0.5, "Домашний текстиль": 0.3}))
    assert worded(wide, pd.Series({"Техника": 0.3, "Домашний текстиль": 0.5})) == \
        "выше риск: «Домашний текстиль», ниже: «Техника»"


def test_an_unknown_code_is_refused_with_the_feature_or_key_named(computed):
    importance = computed["shap_importance"]
    with pytest.raises(ValueError, match=f"feature {importance['feature'][0]!r}: unknown kind 'date'"):
        explain_words.worded_importance(importance.assign(kind=["date"] * len(importance)))
    with pytest.raises(ValueError, match="'background': unknown code 'median'"):
        explain_words.background_text({"code": "median"})
    with pytest.raises(ValueError, match="'fallback_reason': unknown code 'slow'"):
        explain_words.fallback_reason_text({"code": "slow"})


def test_importance_words_follow_the_direction_and_keep_every_number(computed):
    importance = computed["shap_importance"]
    worded = explain_words.worded_importance(importance)
    assert worded.columns.tolist() == explain_words.IMPORTANCE_COLUMNS
    numbers = importance["kind"] == "number"
    assert set(worded.loc[numbers, "kind"]) == {"число"} and set(worded.loc[~numbers, "kind"]) == {"категория"}
    for row in worded.loc[numbers & importance["used"]].itertuples():
        assert row.direction_text == {1: "больше → выше риск", -1: "меньше → выше риск"}[row.direction]
    assert (worded.loc[~importance["used"], "direction_text"] == explain_words.UNUSED_TEXT).all()
    kept = [column for column in explain_words.IMPORTANCE_COLUMNS if column not in ("kind", "direction_text")]
    pd.testing.assert_frame_equal(worded[kept], importance[kept])


def test_the_worded_results_read_as_the_chapter_reads_them(computed):
    worded = explain_words.with_words(computed)
    meta = json.loads(json.dumps(worded["explain"]))
    assert list(meta)[:6] == ["estimator", "explainer", "explainer_text", "fallback_reason", "output_space",
                              "output_space_text"]
    assert meta["explainer_text"] == "shap.LinearExplainer" and meta["fallback_reason"] is None
    assert meta["output_space_text"] == f"логарифм шансов «{POSITIVE_CLASS}»"
    assert meta["background"] == "средний выход модели по всем объяснённым покупателям"
    assert [(person["role"], person["role_label"]) for person in meta["representatives"]] == list(
        explain_words.ROLE_LABELS.items())
    directions = worded["shap_importance"].set_index("feature")["direction_text"]
    assert all(driver["direction_text"] == directions[driver["feature"]] and list(driver)[-1] == "direction_text"
               for driver in meta["top_drivers"])

    steps = worded["shap_waterfalls"]
    assert steps.columns.tolist() == explain_words.WATERFALL_COLUMNS
    features = computed["shap_waterfalls"]["feature"]
    named = steps.loc[features.notna()]
    assert all(label.startswith(FEATURE_LABELS[feature] + " = ") for feature, label in
               zip(named["feature"], named["step_label"]))
    pd.testing.assert_series_equal(steps["shap"], computed["shap_waterfalls"]["shap"])

    claims = worded["shap_claims"]
    assert claims.columns.tolist() == explain_words.CLAIM_COLUMNS
    assert set(claims["claim"]) == set(explain_words.CLAIMS.values())
    assert set(claims["verdict"]) <= set(explain_words.VERDICTS.values())
    total = len(FEATURE_COLUMNS)
    for claim, rank in zip(claims["evidence"], claims["rank"]):
        assert f"место {rank} из {total}, среднее |SHAP| " in claim  # the best-ranked feature comes first


def test_background_and_fallback_reasons_in_words():
    sample = {"code": "background_sample", "customers": 1297, "random_state": 42}
    assert explain_words.background_text(sample) == (
        f"средняя вероятность «{POSITIVE_CLASS}» по фиксированной случайной выборке из 1{NBSP}297 покупателей (зерно 42)")
    mixed = {"code": "mixed_column", "column": "num__minutes_total",
             "features": ["minutes_previous_month", "minutes_current_month"]}
    assert explain_words.fallback_reason_text(mixed) == (
        "столбец «num__minutes_total» на входе модели вычисляется из нескольких исходных признаков "
        f"({FEATURE_LABELS['minutes_previous_month']}, {FEATURE_LABELS['minutes_current_month']}), "
        "и его вклад нельзя точно разделить между ними")
    assert explain_words.fallback_reason_text(None) is None


def test_a_shap_value_reads_in_the_units_of_its_output_space():
    assert explain_words.shap_text(0.0521, "probability") == f"5,2{NBSP}п.{NBSP}п."
    assert explain_words.shap_text(-0.0521, "probability", signed=True) == f"−5,2{NBSP}п.{NBSP}п."
    assert explain_words.shap_text(0.4123, "log-odds", signed=True) == "+0,412"
    assert explain_words.value_text("pages_per_visit", 2.0) == "2"
    assert explain_words.value_text("revenue_current_month", 4971.6) == f"4{NBSP}971,6"


def test_every_code_the_computation_returns_has_its_words():
    assert set(explain_words.OUTPUT_SPACES) == set(explain.OUTPUT_SPACES)
    assert set(explain_words.EXPLAINERS) == set(explain.EXPLAINERS)
    assert set(explain_words.ROLE_LABELS) == set(explain.ROLES)
    assert set(explain_words.VERDICTS) == set(explain.VERDICTS)
    assert set(explain_words.CLAIMS) == {code for code, _, _ in explain.PUBLISHED_CLAIMS}
