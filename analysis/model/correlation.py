"""How the features relate to each other and to the target: phik, Spearman, VIF.

phik (φK) works for any mix of numbers and categories and sees non-linear
dependence; Spearman is the familiar rank correlation of two numbers, with a
sign. VIF says how well the other numbers predict one number linearly — what
unsettles a linear model's coefficients. Matrices come back in long form
(one row per cell, rounded), small enough to ship to a heatmap.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..data.features import FEATURE_COLUMNS, FEATURE_LABELS, NUMERIC_FEATURES
from ..data.labels import DISPLAY_LABELS, TARGET
from .model_features import ENGINEERED_FEATURES, ENGINEERED_LABELS, engineered_columns

# A number with more distinct values than this is binned as an interval by phik;
# one with fewer (e.g. marketing contacts this month: 3, 4 or 5) is a category.
PHIK_INTERVAL_MIN_VALUES = 10
# φK below which a feature is called unrelated to the target.
UNRELATED_PHIK = 0.05
# |Spearman ρ| from which two numbers are called collinear.
COLLINEAR_RHO = 0.7
# VIF above which a number is called collinear with the rest (a common rule of thumb).
HIGH_VIF = 5.0

LABELS = {**FEATURE_LABELS, **ENGINEERED_LABELS, TARGET: DISPLAY_LABELS[TARGET]}


def _long(matrix: pd.DataFrame, order: list[str], digits: int = 2) -> pd.DataFrame:
    """Square matrix -> rows: row, column, row_label, column_label, row_order, column_order, value."""
    cells = matrix.loc[order, order].round(digits).stack().rename("value").reset_index()
    cells.columns = ["row", "column", "value"]
    position = {name: i for i, name in enumerate(order)}
    return cells.assign(row_label=cells["row"].map(LABELS), column_label=cells["column"].map(LABELS),
                        row_order=cells["row"].map(position), column_order=cells["column"].map(position))[
        ["row", "column", "row_label", "column_label", "row_order", "column_order", "value"]]


def interval_columns(table: pd.DataFrame) -> list[str]:
    """Numeric features phik should bin as intervals (more than PHIK_INTERVAL_MIN_VALUES values)."""
    return [c for c in NUMERIC_FEATURES if table[c].nunique() > PHIK_INTERVAL_MIN_VALUES]


def phik_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """φK between every pair of features and the target, long form; the target is listed first."""
    import phik  # noqa: F401  (registers DataFrame.phik_matrix)

    columns = [TARGET, *FEATURE_COLUMNS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # phik warns about bins it merges; the values are what we need
        matrix = table[columns].phik_matrix(interval_cols=interval_columns(table), verbose=False)
    order = [TARGET, *matrix[TARGET].drop(TARGET).sort_values(ascending=False).index]
    return _long(matrix, order)


def numeric_with_engineered(table: pd.DataFrame) -> pd.DataFrame:
    """The table's numeric features and the engineered ones the model adds."""
    return pd.concat([table[list(NUMERIC_FEATURES)], engineered_columns(table)[list(ENGINEERED_FEATURES)]], axis=1)


def spearman_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Spearman ρ between the numeric features (with the engineered ones), long form."""
    numbers = numeric_with_engineered(table)
    return _long(numbers.corr(method="spearman"), list(numbers.columns))


def variance_inflation(numbers: pd.DataFrame) -> pd.Series:
    """VIF of each column against all the others (with an intercept)."""
    from statsmodels.stats.outliers_influence import variance_inflation_factor  # slow import: only here

    design = np.column_stack([np.ones(len(numbers)), numbers.to_numpy(dtype=float)])
    return pd.Series([variance_inflation_factor(design, i + 1) for i in range(numbers.shape[1])],
                     index=numbers.columns)


def vif_table(table: pd.DataFrame) -> pd.DataFrame:
    """VIF of the table's numbers alone and together with the engineered features.

    Columns: feature, label, engineered (bool), vif_table (NaN for engineered), vif_model.
    Sorted by vif_model, highest first.
    """
    numbers = numeric_with_engineered(table)
    alone = variance_inflation(table[list(NUMERIC_FEATURES)])
    together = variance_inflation(numbers)
    frame = pd.DataFrame({"feature": numbers.columns, "label": [LABELS[c] for c in numbers.columns],
                          "engineered": [c in ENGINEERED_FEATURES for c in numbers.columns],
                          "vif_table": alone.reindex(numbers.columns).to_numpy(),
                          "vif_model": together.to_numpy()})
    return frame.sort_values("vif_model", ascending=False, ignore_index=True)


def collinear_pairs(table: pd.DataFrame, threshold: float = COLLINEAR_RHO) -> pd.DataFrame:
    """Pairs of numbers (table and engineered) with |Spearman ρ| ≥ threshold, strongest first.

    Columns: first, second, first_label, second_label, spearman, pearson, engineered (either is).
    """
    numbers = numeric_with_engineered(table)
    spearman, pearson = numbers.corr(method="spearman"), numbers.corr()
    rows = []
    columns = list(numbers.columns)
    for i, first in enumerate(columns):
        for second in columns[i + 1:]:
            if abs(spearman.loc[first, second]) >= threshold:
                rows.append({"first": first, "second": second, "first_label": LABELS[first],
                             "second_label": LABELS[second], "spearman": float(spearman.loc[first, second]),
                             "pearson": float(pearson.loc[first, second]),
                             "engineered": first in ENGINEERED_FEATURES or second in ENGINEERED_FEATURES})
    frame = pd.DataFrame(rows, columns=["first", "second", "first_label", "second_label", "spearman", "pearson",
                                        "engineered"])
    return frame.sort_values("spearman", key=abs, ascending=False, ignore_index=True)
