"""Which features earn their place: evidence from grouped cross-validation on the training part.

Three questions, each answered by refitting pipelines on grouped folds (never on
the test split):

- did an engineered feature raise ROC-AUC when added to the table's own columns?
- can features be dropped without losing ROC-AUC — the collinear ones, those that
  permutation importance calls useless, or all but the k best by SelectKBest?
- how much does each input column matter to the chosen model (permutation
  importance on held-out folds: the ROC-AUC lost when the column is shuffled)?
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.inspection import permutation_importance
from sklearn.pipeline import Pipeline

from ..constants import RANDOM_STATE
from .evaluation import cross_validate
from ..data.features import FEATURE_COLUMNS, FEATURE_LABELS
from .model_features import CANDIDATE_FEATURES, ENGINEERED_FEATURES
from .modeling import variant

PERMUTATION_REPEATS = 5
# A column is called useless when shuffling it costs the model less ROC-AUC than this on held-out folds.
USELESS_IMPORTANCE = 0.001


def engineered_feature_gains(references: dict[str, object], X: pd.DataFrame, y: np.ndarray, groups: np.ndarray,
                             cv) -> pd.DataFrame:
    """Grouped-CV ROC-AUC of each reference pipeline with no engineered feature, with each
    candidate alone, and with the set the model uses.

    Columns: variant ("none", a candidate name, or "used"), label, formula, family,
    cv_mean, cv_std, delta (vs "none"), used (the candidate is in ENGINEERED_FEATURES).
    """
    variants = {"none": (), **{name: (name,) for name in CANDIDATE_FEATURES}, "used": ENGINEERED_FEATURES}
    rows = []
    for family, pipeline in references.items():
        for name, engineered in variants.items():
            result = cross_validate(variant(pipeline, engineered=engineered), X, y, groups, cv)
            label, formula = CANDIDATE_FEATURES.get(name, (
                "без новых признаков" if name == "none" else "набор модели: " + " + ".join(
                    CANDIDATE_FEATURES[feature][0] for feature in ENGINEERED_FEATURES), ""))
            rows.append({"variant": name, "label": label, "formula": formula, "family": family,
                         "cv_mean": result.mean, "cv_std": result.std,
                         "used": name in ENGINEERED_FEATURES or name == "used"})
    frame = pd.DataFrame(rows)
    baseline = frame.loc[frame["variant"] == "none"].set_index("family")["cv_mean"]
    frame["delta"] = frame["cv_mean"] - frame["family"].map(baseline)
    return frame


def drop_gains(references: dict[str, object], drops: dict[str, tuple[str, ...]], X: pd.DataFrame, y: np.ndarray,
               groups: np.ndarray, cv) -> pd.DataFrame:
    """Grouped-CV ROC-AUC of each reference pipeline without the named input columns.

    `drops` maps a variant name to the columns left out ("all" should map to ()).
    Columns: variant, dropped (labels, "; "-joined), family, cv_mean, cv_std, delta (vs "all").
    """
    rows = []
    for family, pipeline in references.items():
        for name, dropped in drops.items():
            result = cross_validate(variant(pipeline, drop=dropped), X, y, groups, cv)
            rows.append({"variant": name, "dropped": "; ".join(FEATURE_LABELS.get(c, c) for c in dropped),
                         "family": family, "cv_mean": result.mean, "cv_std": result.std})
    frame = pd.DataFrame(rows)
    baseline = frame.loc[frame["variant"] == "all"].set_index("family")["cv_mean"]
    frame["delta"] = frame["cv_mean"] - frame["family"].map(baseline)
    return frame


def _fold_importance(pipeline, X, y, train, valid, seed):
    fitted = clone(pipeline).fit(X.iloc[train], y[train])
    result = permutation_importance(fitted, X.iloc[valid], y[valid], scoring="roc_auc",
                                    n_repeats=PERMUTATION_REPEATS, random_state=seed, n_jobs=1)
    return result.importances


def permutation_importances(pipeline, X: pd.DataFrame, y: np.ndarray, groups: np.ndarray, cv,
                            n_jobs: int = -1) -> pd.DataFrame:
    """ROC-AUC lost on held-out folds when one input column is shuffled (whole column:
    a category's one-hot columns move together).

    Columns: feature, label, importance (mean over folds and shuffles), std, folds_positive
    (share of folds where shuffling hurt). Sorted, most important first.
    """
    splits = list(cv.split(X, y, groups))
    results = Parallel(n_jobs=n_jobs)(delayed(_fold_importance)(pipeline, X, y, train, valid, RANDOM_STATE + number)
                                      for number, (train, valid) in enumerate(splits))
    per_fold = np.stack([r.mean(axis=1) for r in results], axis=1)   # features × folds
    every = np.concatenate(results, axis=1)                          # features × (folds·shuffles)
    frame = pd.DataFrame({"feature": list(X.columns), "label": [FEATURE_LABELS[c] for c in X.columns],
                          "importance": every.mean(axis=1), "std": every.std(axis=1),
                          "folds_positive": (per_fold > 0).mean(axis=1)})
    return frame.sort_values("importance", ascending=False, ignore_index=True)


def select_k_best_curve(pipeline: Pipeline, ks: tuple[int, ...], X: pd.DataFrame, y: np.ndarray,
                        groups: np.ndarray, cv) -> pd.DataFrame:
    """Grouped-CV ROC-AUC when only the k encoded columns with the largest ANOVA F are kept.

    `pipeline` is a single-model pipeline; SelectKBest goes between encoding and model
    (refitted inside every fold). Columns: k, columns (encoded columns available), cv_mean, cv_std.
    """
    available = clone(pipeline[:-1]).fit(X, y).transform(X.head(1)).shape[1]
    rows = []
    for k in sorted({min(k, available) for k in ks} | {available}):
        selected = Pipeline([*pipeline.steps[:-1], ("select", SelectKBest(f_classif, k=k)), pipeline.steps[-1]])
        result = cross_validate(selected, X, y, groups, cv)
        rows.append({"k": k, "columns": available, "cv_mean": result.mean, "cv_std": result.std})
    return pd.DataFrame(rows)


def useless_features(importances: pd.DataFrame, below: float = USELESS_IMPORTANCE) -> tuple[str, ...]:
    """Input columns whose shuffling cost less than `below` ROC-AUC on average, in table order."""
    useless = set(importances.loc[importances["importance"] < below, "feature"])
    return tuple(c for c in FEATURE_COLUMNS if c in useless)

