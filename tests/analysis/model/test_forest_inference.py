"""forest_inference: the compiled walk gives sklearn's forest average, whatever the rows, trees and threads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from analysis.model import forest_inference
from analysis.model.modeling import build_pipeline, model_inputs, target_vector


def generated(rows: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Five numeric features (one with ties, one spanning 1e6) and a noisy label."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=rows), "b": rng.integers(0, 4, rows).astype(float),
                          "c": rng.uniform(0, 1e6, rows), "d": rng.exponential(size=rows), "e": rng.normal(size=rows)})
    label = (frame["a"] + frame["b"] / 2 + rng.normal(scale=0.8, size=rows) > 1).astype(int).to_numpy()
    return frame, label


def forest_pipeline(forest) -> Pipeline:
    return Pipeline([("prepare", FunctionTransformer()), ("model", forest)])


@pytest.mark.parametrize("forest", [
    ExtraTreesClassifier(n_estimators=150, max_depth=5, min_samples_leaf=5, random_state=0),
    ExtraTreesClassifier(n_estimators=60, random_state=1),  # grown to the leaves: leaves at many depths
    RandomForestClassifier(n_estimators=80, max_depth=7, random_state=2),
], ids=["extra-trees-depth-5", "extra-trees-deep", "random-forest"])
@pytest.mark.parametrize("rows", [0, 1, 7, 8, 1003, 5000])
def test_equals_sklearns_average(forest, rows):
    X, y = generated(2000, seed=3)
    pipeline = forest_pipeline(forest).fit(X, y)
    new, _ = generated(rows, seed=4)
    expected = pipeline.predict_proba(new)[:, 1] if rows else np.zeros(0)
    for threads in (1, 2, 3):
        got = forest_inference.ForestProbability(pipeline, positive=1, threads=threads)(new)
        assert got.shape == (rows,)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_the_positive_class_is_the_one_asked_for():
    X, y = generated(1500, seed=5)
    pipeline = forest_pipeline(ExtraTreesClassifier(n_estimators=50, max_depth=4, random_state=0)).fit(X, y)
    new, _ = generated(300, seed=6)
    for positive in (0, 1):
        np.testing.assert_allclose(forest_inference.ForestProbability(pipeline, positive)(new),
                                   pipeline.predict_proba(new)[:, positive], rtol=0, atol=1e-12)


def test_same_bits_whatever_the_threads_and_the_call():
    X, y = generated(2000, seed=7)
    pipeline = forest_pipeline(ExtraTreesClassifier(n_estimators=300, max_depth=5, random_state=0)).fit(X, y)
    new, _ = generated(4001, seed=8)
    one = forest_inference.ForestProbability(pipeline, 1, threads=1)
    runs = [one(new), one(new), one.with_threads(2)(new), one.with_threads(4)(new)]
    for run in runs[1:]:
        assert np.array_equal(run, runs[0])
    assert one.threads == 1  # with_threads leaves the original alone


def test_missing_values_take_sklearns_own_rule():
    X, y = generated(2000, seed=9)
    pipeline = forest_pipeline(ExtraTreesClassifier(n_estimators=100, max_depth=5, random_state=0)).fit(X, y)
    new, _ = generated(500, seed=10)
    new.loc[::7, "a"] = np.nan
    np.testing.assert_allclose(forest_inference.ForestProbability(pipeline, 1)(new),
                               pipeline.predict_proba(new)[:, 1], rtol=0, atol=1e-12)


def test_the_reports_pipeline_on_the_real_customers(table):
    """The whole pipeline (engineered features, encoders) in front of the forest, on the real table."""
    X, y = model_inputs(table), target_vector(table)
    pipeline = build_pipeline(ExtraTreesClassifier(n_estimators=400, max_depth=5, min_samples_leaf=20,
                                                   random_state=0)).fit(X, y)
    got = forest_inference.positive_probability(pipeline, 1)(X)
    assert isinstance(forest_inference.positive_probability(pipeline, 1), forest_inference.ForestProbability)
    np.testing.assert_allclose(got, pipeline.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_any_other_model_keeps_predict_proba(table):
    X, y = model_inputs(table), target_vector(table)
    pipeline = build_pipeline(LogisticRegression(max_iter=500)).fit(X, y)
    probability = forest_inference.positive_probability(pipeline, 1)
    assert probability.with_threads(1) is probability
    assert np.array_equal(probability(X), pipeline.predict_proba(X)[:, 1])
    with pytest.raises(TypeError, match="LogisticRegression is not one of"):
        forest_inference.ForestProbability(pipeline, 1)
