"""The modelling table: nothing lost, the right customers excluded, no leak from the row order."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from analysis.cleaning import CleanData
from analysis.constants import OUTLIER_REVENUE_FACTOR, POSITIVE_CLASS, RANDOM_STATE
from analysis.features import (
    CATEGORICAL_FEATURES, EXCLUSION_REASONS, FEATURE_COLUMNS, FEATURE_LABELS, MODEL_TABLE_COLUMNS,
    NUMERIC_FEATURES, build_model_data, column_dictionary, revenue_outliers,
)
from analysis.labels import REVENUE_PERIODS, TARGET, wide_column
from analysis.leakage import id_order_leak
from analysis.profile import feature_separation


def shuffled(clean: CleanData, seed: int = RANDOM_STATE) -> CleanData:
    """The same data with every frame's rows in a random order."""
    frames = {field.name: getattr(clean, field.name) for field in dataclasses.fields(clean)}
    for name in ("market_file", "market_money", "market_time", "money"):
        frames[name] = frames[name].sample(frac=1, random_state=seed)
    return CleanData(**frames)


def test_every_customer_is_modelled_or_excluded_exactly_once(clean_data, model_data):
    raw_ids = set(clean_data.market_file["id"])
    modelled, excluded = set(model_data.table["id"]), set(model_data.exclusions["id"])
    assert modelled | excluded == raw_ids
    assert not modelled & excluded
    assert model_data.table["id"].is_unique and model_data.exclusions["id"].is_unique
    assert set(model_data.exclusions["reason"]) <= set(EXCLUSION_REASONS)
    assert model_data.orphans.empty


def test_inactive_customers_are_those_with_a_zero_month(clean_data, model_data):
    money = clean_data.market_money
    zero_month = set(money.loc[money["revenue"] == 0, "id"])
    assert zero_month, "the real data have customers without a purchase in some month"
    inactive = set(model_data.exclusions.query("reason == 'inactive_month'")["id"])
    assert inactive == zero_month


def test_the_revenue_outlier_is_excluded_and_far_from_everything_else(clean_data, model_data):
    money = clean_data.market_money
    largest = money.loc[money["revenue"].idxmax()]
    typical = money.loc[money["revenue"] > 0, "revenue"].median()
    assert largest["revenue"] > OUTLIER_REVENUE_FACTOR * typical
    assert set(model_data.exclusions.query("reason == 'revenue_outlier'")["id"]) == {largest["id"]}
    assert model_data.table[list(NUMERIC_FEATURES)].max().max() < OUTLIER_REVENUE_FACTOR * typical


def test_the_outlier_decision_does_not_hinge_on_the_factor(clean_data):
    flagged = {factor: tuple(revenue_outliers(clean_data.market_money, factor)["id"]) for factor in range(2, 21)}
    assert len(set(flagged.values())) == 1


def test_period_columns_come_from_the_labels_not_the_position(clean_data, model_data):
    money = clean_data.market_money
    for period in REVENUE_PERIODS:
        expected = money.loc[money["period"] == period].set_index("id")["revenue"]
        table = model_data.table.set_index("id")[wide_column("revenue", period)]
        assert (table == expected.loc[table.index]).all(), period


def test_nothing_depends_on_the_order_of_rows(clean_data, model_data):
    again = build_model_data(shuffled(clean_data))
    pd.testing.assert_frame_equal(again.table, model_data.table)
    pd.testing.assert_frame_equal(again.exclusions, model_data.exclusions)
    pd.testing.assert_frame_equal(again.copies, model_data.copies)


def test_the_table_has_the_documented_columns_and_no_missing_values(model_data):
    assert tuple(model_data.table.columns) == MODEL_TABLE_COLUMNS
    assert not model_data.table.isna().any().any()
    assert set(FEATURE_COLUMNS) == set(NUMERIC_FEATURES) | set(CATEGORICAL_FEATURES)
    assert all(FEATURE_LABELS[column] for column in FEATURE_COLUMNS)
    roles = column_dictionary().set_index("column")["role"]
    assert all(roles[column].startswith("признак") for column in FEATURE_COLUMNS)
    assert not any(roles[column].startswith("признак") for column in set(MODEL_TABLE_COLUMNS) - set(FEATURE_COLUMNS))


def test_id_profit_and_copy_group_are_never_features():
    assert {"id", "profit", "copy_group", TARGET}.isdisjoint(FEATURE_COLUMNS)


def test_the_id_leaks_the_target_and_no_feature_is_a_disguised_id(clean_data, model_data):
    """The guard matters (the id alone nearly predicts the class) and holds: no feature is a
    re-labelled id or row number (those would rank-correlate with the id at about 1) and
    none alone ranks customers as well as the id does."""
    dropped = clean_data.market_file[TARGET] == POSITIVE_CLASS
    auc = roc_auc_score(dropped, -clean_data.market_file["id"])
    assert auc > 0.9
    assert id_order_leak(clean_data.market_file)["roc_auc_id"] == pytest.approx(auc)
    ranks = model_data.table[["id", *NUMERIC_FEATURES]].rank()
    assert (ranks.corr()["id"].drop("id").abs() < 0.9).all()
    assert feature_separation(model_data.table)["roc_auc"].max() < auc


def test_copies_are_exactly_the_customers_with_identical_features(model_data):
    table = model_data.table
    identical = table.duplicated(list(FEATURE_COLUMNS), keep=False)
    assert identical.any(), "the real data contain feature-identical customers"
    assert set(model_data.copies["id"]) == set(table.loc[identical, "id"])
    for _, group in table.loc[identical].groupby(list(FEATURE_COLUMNS)):
        assert group["copy_group"].nunique() == 1
        assert group["copy_group"].iloc[0] == group["id"].min()
    alone = table.loc[~identical]
    assert (alone["copy_group"] == alone["id"]).all()


def test_a_customer_missing_a_month_is_excluded_as_incomplete(clean_data):
    customer = clean_data.market_file["id"].iloc[len(clean_data.market_file) // 2]
    time = clean_data.market_time
    first_row = time.index[time["id"] == customer][0]
    broken = dataclasses.replace(clean_data, market_time=time.drop(index=first_row))
    model = build_model_data(broken)
    assert model.exclusions.set_index("id").loc[customer, "reason"] == "incomplete_records"
    assert customer not in set(model.table["id"])


def test_ids_only_in_other_files_are_reported(clean_data):
    extra = pd.DataFrame({"id": [1, 1], "period": ["текущий_месяц", "предыдущий_месяц"], "minutes": [5, 6]})
    broken = dataclasses.replace(clean_data, market_time=pd.concat([clean_data.market_time, extra]))
    model = build_model_data(broken)
    assert model.orphans.to_dict("records") == [{"file": "market_time.csv", "id": 1}]
    assert 1 not in set(model.table["id"]) | set(model.exclusions["id"])


def test_features_keep_their_types(model_data):
    table = model_data.table
    for column in NUMERIC_FEATURES:
        assert pd.api.types.is_numeric_dtype(table[column]), column
    for column in CATEGORICAL_FEATURES:
        assert pd.api.types.is_string_dtype(table[column]), column
    assert np.issubdtype(table["copy_group"].dtype, np.integer)
