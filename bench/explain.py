"""SHAP cost per explainer path on all modelled customers, and how stable the estimates are.

For reference pipelines of each kind (fitted here on a grouped 75 % of the modelling
table) and for the chosen model (results/model.skops, when `build-results` has made
it): explainer, output space, seconds and the largest additivity error; for the
chosen model also 1 vs 2 workers and a rerun with another background/permutation
seed (how much the ranking and the per-customer values move). Prints figures;
asserts nothing about time. The issue's budget: 2 minutes on 2 cores.
"""

import os
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC

from analysis.explain import explain
from analysis.constants import POSITIVE_CLASS, RANDOM_STATE
from analysis.data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, NUMERIC_FEATURES
from analysis.data.labels import TARGET
from analysis.paths import RESULTS_DIR

BUDGET_SECONDS = 120


def encoder(scale: bool = True) -> ColumnTransformer:
    return ColumnTransformer([
        ("num", StandardScaler() if scale else "passthrough", list(NUMERIC_FEATURES)),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(CATEGORICAL_FEATURES))])


def reference_pipelines() -> dict:
    vote = VotingClassifier([("svc", SVC(probability=True, random_state=RANDOM_STATE)),
                             ("trees", ExtraTreesClassifier(200, min_samples_leaf=4, random_state=RANDOM_STATE)),
                             ("knn", KNeighborsClassifier(25, weights="distance"))], voting="soft")
    return {
        "logistic regression": Pipeline([("prepare", encoder()), ("model", LogisticRegression(max_iter=2000))]),
        "extra trees (200)": Pipeline([("prepare", encoder(False)), ("model", ExtraTreesClassifier(
            200, min_samples_leaf=4, random_state=RANDOM_STATE))]),
        "hist gradient boosting": Pipeline([("prepare", encoder(False)), ("model", HistGradientBoostingClassifier(
            random_state=RANDOM_STATE))]),
        "soft vote SVC+trees+KNN": Pipeline([("prepare", encoder()), ("model", vote)]),
    }


def report(name: str, explanation: explain.Explanation) -> None:
    flag = "" if explanation.seconds <= BUDGET_SECONDS else "  OVER BUDGET"
    print(f"{name:<26} {explanation.explainer:<12} {explanation.output_space:<12} "
          f"{explanation.seconds:7.1f} s   max additivity error {explanation.additivity_error().max():.1e}{flag}")


def stability(first: explain.Explanation, second: explain.Explanation) -> None:
    ranks = [run.values.abs().mean() for run in (first, second)]
    rho = ranks[0].rank().corr(ranks[1].rank())
    top = [set(r.sort_values(ascending=False).index[:5]) for r in ranks]
    scale = first.values.abs().to_numpy().mean()
    moved = (first.values - second.values).abs().to_numpy().mean() / scale
    print(f"  another seed: ranking Spearman {rho:.3f}, same top five {top[0] == top[1]}, "
          f"mean |Δ SHAP| / mean |SHAP| {moved:.2f}, base value {first.base_value:.4f} vs {second.base_value:.4f}")


def main() -> None:
    warnings.filterwarnings("ignore")
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    table = pd.read_csv(RESULTS_DIR / "model_table.csv")
    groups = table["copy_group"].unique()
    train_groups = np.random.default_rng(RANDOM_STATE).choice(groups, int(0.75 * len(groups)), replace=False)
    train = table.loc[table["copy_group"].isin(train_groups)]
    print(f"explaining {len(table)} customers; reference models fitted on {len(train)}")
    for name, pipeline in reference_pipelines().items():
        pipeline.fit(train[list(FEATURE_COLUMNS)], (train[TARGET] == POSITIVE_CLASS).astype(int))
        report(name, explain.explain_model(pipeline, table))

    model_file = RESULTS_DIR / "model.skops"
    if not model_file.exists():
        print("no results/model.skops yet: run `make results` to time the chosen model")
        return
    from analysis.model.model_store import load_model

    model = load_model(model_file)
    started = time.perf_counter()
    serial = explain.explain_model(model, table, n_jobs=1)
    report("chosen model, 1 worker", serial)
    parallel = explain.explain_model(model, table, n_jobs=2)
    report("chosen model, 2 workers", parallel)
    print(f"  {parallel.estimator}; 1 worker / 2 workers: {serial.seconds / parallel.seconds:.2f}")
    stability(parallel, explain.explain_model(model, table, random_state=RANDOM_STATE + 1))
    cross_fitted(table)
    print(f"total {time.perf_counter() - started:.0f} s; load average after: {os.getloadavg()[0]:.1f}")


def cross_fitted(table: pd.DataFrame) -> None:
    """The explain stage as build-results runs it: every customer under the model that scored
    them, plus the refit-and-explain under another seed; its time and the agreement it reports."""
    import json

    from analysis.model import model_store
    from analysis.explain import crossfit_explain

    if not (RESULTS_DIR / model_store.MODEL_FILE).exists():
        print("no results/model.skops yet: run `make results` to time the cross-fitted stage")
        return
    metrics = json.loads((RESULTS_DIR / "metrics.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    final_model = model_store.load_model()
    built = crossfit_explain.build_explain_results(
        final_model, crossfit_explain.refit_fold_models(final_model, table), table,
        pd.read_csv(RESULTS_DIR / "customers.csv"), threshold=metrics["threshold"]["value"])
    seconds = time.perf_counter() - started
    meta = built["explain"]
    flag = "" if seconds <= BUDGET_SECONDS else "  OVER BUDGET"
    print(f"explain stage (cross-fitted, {meta['explainer']}, {len(meta['models'])} models, seed check included): "
          f"{seconds:.1f} s{flag}")
    print(f"  explained output vs shown risk: max |difference| {meta['max_shown_risk_difference']:.1e}")
    print(f"  top driver agreement between seeds {meta['top_driver_agreement_between_seeds']:.3f}, "
          f"offer agreement {meta['offer_agreement_between_seeds']:.3f} "
          f"(seeds {meta['seed_check']['seeds']}, {meta['seed_check']['customers']} customers)")


if __name__ == "__main__":
    main()
