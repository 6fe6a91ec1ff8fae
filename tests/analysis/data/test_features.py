"""The modelling table: nothing lost, the right customers excluded, no leak from the row order."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from analysis.data.cleaning import CleanData
from analysis.constants import OUTLIER_REVENUE_FACTOR, POSITIVE_CLASS, RANDOM_STATE
from analysis.data.features import (
    CATEGORICAL_FEATURES, EXCLUSION_COLUMNS, EXCLUSION_REASONS, FEATURE_COLUMNS, FEATURE_LABELS,
    MODEL_TABLE_COLUMNS, NUMERIC_FEATURES, build_model_data, column_dictionary, customers_wide, period_columns,
    revenue_outliers,
)
from analysis.report.formatting import number
from analysis.data.labels import (
    CURRENT_MONTH, DISPLAY_LABELS, MINUTES_COLUMNS, MINUTES_PERIODS, PERIOD_LABELS, PREVIOUS_MONTH, REVENUE_COLUMNS,
    REVENUE_PERIODS, TARGET, wide_column,
)
from analysis.paths import RESULTS_DIR
from analysis.data.leakage import id_order_leak
from analysis.data.profile import feature_separation


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


# The real data's table is unchanged; the vectorised steps match plain code ----

def test_the_real_data_give_the_published_table_and_exclusions(model_data):
    """results/ was built from data/raw; the fast loader and vectorised steps reproduce it to the byte."""
    for name, frame in (("model_table", model_data.table), ("exclusions", model_data.exclusions),
                        ("feature_copies", model_data.copies)):
        path = RESULTS_DIR / f"{name}.csv"
        if not path.is_file():
            pytest.skip(f"{path} missing: run `python -m analysis build-results`")
        assert frame.to_csv(index=False) == path.read_text(encoding="utf-8"), name


def plain_exclusions(wide: pd.DataFrame, outliers: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """The definition, one customer at a time."""
    rows = []
    for customer in wide.itertuples(index=False):
        values = customer._asdict()
        missing = [DISPLAY_LABELS[c] for c in measures if pd.isna(values[c])]
        zero = [PERIOD_LABELS[p] for p, c in zip(REVENUE_PERIODS, REVENUE_COLUMNS) if values[c] == 0]
        implausible = outliers.loc[outliers["id"] == customer.id]
        if missing:
            rows.append((customer.id, "incomplete_records", "нет данных: " + ", ".join(missing)))
        elif zero:
            rows.append((customer.id, "inactive_month", "выручка 0: " + ", ".join(zero)))
        elif len(implausible):
            rows.append((customer.id, "revenue_outlier", "; ".join(
                f"{PERIOD_LABELS[o.period]}: {number(o.revenue, 1)} — в {number(o.ratio_to_median, 1)} раза больше "
                f"медианы месяца ({number(o.median_month, 1)})" for o in implausible.itertuples())))
    return pd.DataFrame(rows, columns=EXCLUSION_COLUMNS).astype({"id": "int64", "reason": "str", "detail": "str"})


def broken_variants(clean: CleanData) -> dict[str, CleanData]:
    """Missing records, zero and implausible months, orphan ids: everything the exclusions look at."""
    rng = np.random.default_rng(RANDOM_STATE)
    money, time = clean.market_money, clean.market_time
    zeros, huge = money.copy(), money.copy()
    zeros.loc[rng.choice(money.index, 15, replace=False), "revenue"] = 0.0
    huge.loc[rng.choice(money.index, 6, replace=False), "revenue"] = 99999.0
    huge.loc[money["id"] == money["id"].iloc[-1], "revenue"] = 88888.0  # every month implausible
    orphans = pd.DataFrame({"id": [1, 1, 7], "period": [CURRENT_MONTH, PREVIOUS_MONTH, CURRENT_MONTH],
                            "minutes": [5, 6, 7]})
    return {
        "missing months": dataclasses.replace(clean, market_time=time.drop(index=rng.choice(time.index, 25)),
                                              market_money=huge.drop(index=rng.choice(money.index, 25))),
        "missing profit": dataclasses.replace(clean, money=clean.money.drop(index=rng.choice(clean.money.index, 9))),
        "zero months": dataclasses.replace(clean, market_money=zeros),
        "orphans": dataclasses.replace(clean, market_time=pd.concat([time, orphans])),
    }


@pytest.mark.parametrize("variant", ["missing months", "missing profit", "zero months", "orphans"])
def test_vectorised_steps_match_their_plain_definitions(clean_data, variant):
    broken = broken_variants(clean_data)[variant]
    model = build_model_data(broken)
    for measure, periods, long in (("revenue", REVENUE_PERIODS, broken.market_money),
                                   ("minutes", MINUTES_PERIODS, broken.market_time)):
        pivoted = long.pivot(index="id", columns="period", values=measure)
        expected = pivoted.rename(columns={p: wide_column(measure, p) for p in periods})
        expected = expected.reindex(columns=[wide_column(measure, p) for p in periods])
        pd.testing.assert_frame_equal(period_columns(long, measure, periods), expected,
                                      check_names=False, check_column_type=False)
    wide = customers_wide(broken)
    outliers = revenue_outliers(broken.market_money)
    measures = [*REVENUE_COLUMNS, *MINUTES_COLUMNS, "profit"]
    pd.testing.assert_frame_equal(model.exclusions, plain_exclusions(wide, outliers, measures))
    plain_groups = model.table.groupby(list(FEATURE_COLUMNS), dropna=False)["id"].transform("min")
    assert (model.table["copy_group"] == plain_groups).all()


# Scoring inputs: no target, no money.csv ----------------------------------------

def test_without_money_profit_is_missing_and_excludes_nobody(clean_data, model_data):
    model = build_model_data(dataclasses.replace(clean_data, money=None))
    assert tuple(model.table.columns) == MODEL_TABLE_COLUMNS
    assert model.table["profit"].isna().all()
    pd.testing.assert_frame_equal(model.table.drop(columns="profit"), model_data.table.drop(columns="profit"))
    pd.testing.assert_frame_equal(model.exclusions, model_data.exclusions)
    assert model.orphans.empty


def test_without_money_a_missing_month_still_excludes(clean_data):
    time = clean_data.market_time
    customer = int(time["id"].iloc[0])
    broken = dataclasses.replace(clean_data, money=None, market_time=time.drop(index=time.index[0]))
    excluded = build_model_data(broken).exclusions.set_index("id")
    assert excluded.loc[customer, "reason"] == "incomplete_records"
    assert "Прибыль" not in excluded.loc[customer, "detail"]


def test_without_the_target_the_table_keeps_its_columns(clean_data, model_data):
    market_file = clean_data.market_file.drop(columns=TARGET)
    model = build_model_data(dataclasses.replace(clean_data, market_file=market_file))
    assert tuple(model.table.columns) == MODEL_TABLE_COLUMNS
    assert model.table[TARGET].isna().all() and pd.api.types.is_string_dtype(model.table[TARGET])
    pd.testing.assert_frame_equal(model.table.drop(columns=TARGET), model_data.table.drop(columns=TARGET))
