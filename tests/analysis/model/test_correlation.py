"""Correlation and multicollinearity on the real modelling table: phik, Spearman, VIF, collinear pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.model.correlation import (
    COLLINEAR_RHO, collinear_pairs, numeric_with_engineered, phik_matrix, spearman_matrix, variance_inflation,
    vif_table,
)
from analysis.data.features import FEATURE_COLUMNS, NUMERIC_FEATURES
from analysis.data.labels import TARGET
from analysis.model.model_features import ENGINEERED_FEATURES



@pytest.fixture(scope="module")
def phik_cells(table):
    return phik_matrix(table)


def as_square(cells: pd.DataFrame) -> pd.DataFrame:
    return cells.pivot(index="row", columns="column", values="value")


def test_phik_covers_every_feature_and_the_target_symmetrically(phik_cells):
    square = as_square(phik_cells)
    names = {TARGET, *FEATURE_COLUMNS}
    assert set(square.index) == set(square.columns) == names
    assert len(phik_cells) == len(names) ** 2
    assert np.allclose(square.to_numpy(), square.T.loc[square.index, square.columns].to_numpy())
    assert np.allclose(np.diag(square.loc[list(names), list(names)]), 1.0)
    assert phik_cells["value"].between(0, 1).all()
    assert phik_cells["row_label"].notna().all() and phik_cells["column_label"].notna().all()


def test_phik_orders_features_by_their_link_to_the_target(phik_cells):
    to_target = phik_cells.query("row_order == 0").sort_values("column_order")
    assert to_target["row"].eq(TARGET).all() and to_target["column"].iloc[0] == TARGET
    assert to_target["value"].iloc[1:].is_monotonic_decreasing
    # What the data chapter's single-feature ROC-AUC also says: pages per visit leads,
    # marketing contacts this month carry nothing.
    assert to_target["column"].iloc[1] == "pages_per_visit"
    assert to_target.set_index("column").loc["market_activity_current_month", "value"] < 0.05


def test_spearman_is_pandas_rank_correlation_of_the_numbers_and_engineered_features(table):
    cells = spearman_matrix(table)
    square = as_square(cells)
    assert set(square.index) == set(NUMERIC_FEATURES) | set(ENGINEERED_FEATURES)
    expected = table["revenue_previous_month"].corr(table["revenue_current_month"], method="spearman")
    assert square.loc["revenue_previous_month", "revenue_current_month"] == pytest.approx(expected, abs=0.005)
    assert cells["value"].between(-1, 1).all()


def test_vif_is_one_over_one_minus_r_squared(table):
    numbers = table[list(NUMERIC_FEATURES)].astype(float)
    vif = variance_inflation(numbers)
    target, others = numbers["revenue_current_month"], numbers.drop(columns="revenue_current_month")
    design = np.column_stack([np.ones(len(numbers)), others.to_numpy()])
    coefficients, *_ = np.linalg.lstsq(design, target.to_numpy(), rcond=None)
    residual = target.to_numpy() - design @ coefficients
    r_squared = 1 - residual.var() / target.var(ddof=0)
    assert vif["revenue_current_month"] == pytest.approx(1 / (1 - r_squared), rel=1e-6)


def test_adjacent_revenue_months_are_the_only_collinear_table_pair(table):
    pairs = collinear_pairs(table)
    assert (pairs["spearman"].abs() >= COLLINEAR_RHO).all()
    table_pairs = pairs.loc[~pairs["engineered"], ["first", "second"]].apply(frozenset, axis=1).tolist()
    assert table_pairs == [frozenset({"revenue_previous_month", "revenue_current_month"})]
    vif = vif_table(table).set_index("feature")
    table_only = vif.loc[~vif["engineered"], "vif_table"]
    assert set(table_only.nlargest(2).index) == {"revenue_previous_month", "revenue_current_month"}
    # Engineered features are functions of the table's columns: VIF can only grow with them.
    assert (vif.loc[table_only.index, "vif_model"] >= table_only - 1e-9).all()
    assert set(numeric_with_engineered(table).columns) == set(vif.index)
