"""Per-customer drivers at any scale: each feature's SHAP value read off its dependence curve.

The report's SHAP values are exact for the chosen model but cost about 40 ms per
customer (a permutation explainer on a soft vote with an SVC), so a million
customers would take hours. The scorer therefore approximates a new customer's
SHAP value of a feature by the model's *average* SHAP value, among the reference
customers, at the same value of that feature: one dependence curve per feature,
computed once from results/shap_values.csv. It is an additive approximation — it
keeps each feature's own effect and drops interactions — and costs one
interpolation per feature and customer.

How far it is from the exact values is measured, not assumed:
`fidelity` compares both on the reference customers out of fold, and
bench/scoring.py prints the agreement of the top driver and of the driver that
picks the offer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.features import CATEGORICAL_FEATURES

# A numeric feature with at most this many distinct values gets one point per value;
# a finer one gets this many quantile bins (the mean value and mean SHAP of each).
CURVE_POINTS = 20
CURVE_COLUMNS = ["feature", "kind", "value", "category", "shap"]


def fit_curves(features: pd.DataFrame, shap: pd.DataFrame) -> pd.DataFrame:
    """The dependence curve of every feature in `shap` (rows aligned with `features`).

    Long format, CURVE_COLUMNS: numeric features have (value, shap) points sorted by
    value; categorical ones (category, shap) rows. Features whose SHAP is zero for
    everyone (unused by the model) get a flat zero curve.
    """
    rows = []
    for feature in shap.columns:
        x, s = features[feature].reset_index(drop=True), shap[feature].reset_index(drop=True)
        if feature in CATEGORICAL_FEATURES:
            means = s.groupby(x, sort=True).mean()
            rows += [(feature, "category", np.nan, category, value) for category, value in means.items()]
            continue
        if x.nunique() <= CURVE_POINTS:
            points = pd.DataFrame({"x": x, "s": s}).groupby("x", sort=True)["s"].mean()
            rows += [(feature, "numeric", float(value), None, shap_value) for value, shap_value in points.items()]
        else:
            bins = pd.qcut(x.rank(method="first"), CURVE_POINTS, labels=False)
            points = pd.DataFrame({"x": x, "s": s}).groupby(bins).mean().sort_values("x")
            rows += [(feature, "numeric", float(p.x), None, float(p.s)) for p in points.itertuples()]
    curves = pd.DataFrame(rows, columns=CURVE_COLUMNS)
    return curves.astype({"feature": "str", "kind": "str", "value": "float64", "shap": "float64"})


def approximate_shap(curves: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """Approximate SHAP values of `features`, one column per curve feature, same index.

    Numeric values between curve points are interpolated linearly and held constant
    beyond the ends (the model was never shown values outside the reference range);
    a category the reference customers never had contributes 0.
    """
    columns = {}
    for feature, curve in curves.groupby("feature", sort=False):
        values = features[feature]
        if curve["kind"].iloc[0] == "category":
            lookup = dict(zip(curve["category"], curve["shap"]))
            columns[feature] = values.map(lookup).astype("float64").fillna(0.0).to_numpy()
        else:
            columns[feature] = np.interp(values.to_numpy(dtype="float64"), curve["value"].to_numpy(),
                                         curve["shap"].to_numpy())
    return pd.DataFrame(columns, index=features.index)


def fidelity(features: pd.DataFrame, shap: pd.DataFrame, rank_key, folds: int = 5,
             random_state: int = 0) -> pd.Series:
    """How often the approximation agrees with the exact SHAP values, out of fold.

    Curves are fitted on 4/5 of the reference customers and applied to the rest, so
    the figures are what a new customer can expect. `rank_key(shap) -> Series` maps
    SHAP values to the choice being compared (the top driver, the offer's driver).
    Returns the share of customers for which both give the same choice.
    """
    from sklearn.model_selection import KFold

    approximated = pd.DataFrame(index=shap.index, columns=shap.columns, dtype="float64")
    for fit_rows, apply_rows in KFold(folds, shuffle=True, random_state=random_state).split(shap):
        curves = fit_curves(features.iloc[fit_rows], shap.iloc[fit_rows])
        approximated.iloc[apply_rows] = approximate_shap(curves, features.iloc[apply_rows])[shap.columns].to_numpy()
    exact_choice = rank_key(shap).fillna("—")
    approximate_choice = rank_key(approximated).fillna("—")
    return pd.Series({"agreement": float((exact_choice == approximate_choice).mean()),
                      "customers": len(shap)})
