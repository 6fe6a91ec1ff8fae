"""The modelling table: one row per regular customer, every other customer accounted for.

Revenue (three months) and minutes (two months) are pivoted to one column per
period — named from the period labels, never by position — and joined to the
customer file and profit by id. A customer is modelled only if they are a regular
customer (bought in each of the three months, the store's definition) and their
revenue is believable; everyone else goes to the exclusions with one reason.

Which columns a model may use is decided here, once: `FEATURE_COLUMNS`. Not
features: `id` (market_file.csv is sorted by the target, so the id alone predicts
it — see leakage.py), `profit` (known only in hindsight; it is for the business
segmentation) and `copy_group` (for grouping folds, see `copy_groups`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .cleaning import AUDIT_COLUMNS, CleanData
from .constants import OUTLIER_REVENUE_FACTOR, RAW_FILES
from .formatting import number
from .labels import (
    COLUMNS, DISPLAY_LABELS, MINUTES_COLUMNS, MINUTES_PERIODS, PERIOD_LABELS, REVENUE_COLUMNS,
    REVENUE_PERIODS, TARGET, raw_column, wide_column,
)

CATEGORICAL_FEATURES = ("service_type", "allow_messages", "popular_category")
NUMERIC_FEATURES = (
    "market_activity_6m", "market_activity_current_month", "tenure_days", "promo_share",
    "categories_per_visit", "unpaid_items_quarter", "service_errors", "pages_per_visit",
    *REVENUE_COLUMNS, *MINUTES_COLUMNS,
)
FEATURE_COLUMNS = NUMERIC_FEATURES + CATEGORICAL_FEATURES
FEATURE_LABELS = {column: DISPLAY_LABELS[column] for column in FEATURE_COLUMNS}
MODEL_TABLE_COLUMNS = ("id", "copy_group", TARGET, *FEATURE_COLUMNS, "profit")

# Exclusion reasons, in precedence order: a customer gets the first that applies.
EXCLUSION_REASONS = {
    "incomplete_records": "нет выручки, минут или прибыли за какой-то период",
    "inactive_month": "не покупал хотя бы в одном из трёх месяцев",
    "revenue_outlier": "неправдоподобная выручка за месяц",
}
EXCLUSION_COLUMNS = ["id", "reason", "detail"]


@dataclass(frozen=True)
class ModelData:
    """Everything the modelling table is made of, and everything left out of it.

    table:      MODEL_TABLE_COLUMNS, one row per modelled customer, sorted by id.
    exclusions: EXCLUSION_COLUMNS, one row per excluded market_file.csv customer.
    orphans:    (file, id) for ids found in another file but not in market_file.csv.
    copies:     customers identical to another in every feature (copy_group, id, activity, profit).
    audit:      AUDIT_COLUMNS rows for the exclusions and copies.
    """

    table: pd.DataFrame
    exclusions: pd.DataFrame
    orphans: pd.DataFrame
    copies: pd.DataFrame
    audit: pd.DataFrame


def period_columns(long: pd.DataFrame, measure: str, periods: tuple[str, ...]) -> pd.DataFrame:
    """One row per id, one column per period (`wide_column` names); a missing record is NaN."""
    wide = long.pivot(index="id", columns="period", values=measure)
    wide = wide.rename(columns={period: wide_column(measure, period) for period in periods})
    return wide.reindex(columns=[wide_column(measure, period) for period in periods])


def customers_wide(clean: CleanData) -> pd.DataFrame:
    """Every market_file.csv customer with revenue, minutes and profit columns, sorted by id."""
    revenue = period_columns(clean.market_money, "revenue", REVENUE_PERIODS)
    minutes = period_columns(clean.market_time, "minutes", MINUTES_PERIODS)
    profit = clean.money.set_index("id")["profit"]
    wide = (clean.market_file.set_index("id")
            .join(revenue).join(minutes).join(profit)
            .sort_index().reset_index())
    return wide


def revenue_outliers(market_money: pd.DataFrame, factor: float = OUTLIER_REVENUE_FACTOR) -> pd.DataFrame:
    """Customer-months whose revenue exceeds `factor` × the median month with a purchase.

    Columns: id, period, revenue, median_month, ratio_to_median, largest_other_month
    (the largest revenue of any other customer-month), other_months (the customer's
    own other months, as text). Empty when nothing is implausible.
    """
    bought = market_money.loc[market_money["revenue"] > 0, "revenue"]
    median = float(bought.median())
    flagged = market_money.loc[market_money["revenue"] > factor * median].copy()
    unflagged_max = float(market_money.loc[market_money["revenue"] <= factor * median, "revenue"].max())
    flagged["median_month"] = median
    flagged["ratio_to_median"] = flagged["revenue"] / median
    flagged["largest_other_month"] = unflagged_max
    flagged["other_months"] = [
        "; ".join(f"{PERIOD_LABELS.get(p, p)}: {number(v, 1)}" for p, v in
                  market_money.loc[(market_money["id"] == row.id) & (market_money["period"] != row.period),
                                   ["period", "revenue"]].itertuples(index=False))
        for row in flagged.itertuples()
    ]
    columns = ["id", "period", "revenue", "median_month", "ratio_to_median", "largest_other_month",
               "other_months"]
    return flagged[columns].sort_values(["id", "period"]).reset_index(drop=True)


def exclusions(wide: pd.DataFrame, outliers: pd.DataFrame) -> pd.DataFrame:
    """One row per customer who is not modelled: id, reason (EXCLUSION_REASONS key), detail."""
    period_measures = [*REVENUE_COLUMNS, *MINUTES_COLUMNS, "profit"]
    rows = []
    for customer in wide.itertuples(index=False):
        values = customer._asdict()
        missing = [DISPLAY_LABELS[c] for c in period_measures if pd.isna(values[c])]
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


def copy_groups(table: pd.DataFrame) -> pd.Series:
    """The smallest id among the customers identical to this one in every feature.

    A customer with no copy gets its own id, so the result can be passed directly as
    `groups=` to a grouped cross-validation: copies never straddle a split.
    """
    return table.groupby(list(FEATURE_COLUMNS), dropna=False)["id"].transform("min").rename("copy_group")


def orphan_ids(clean: CleanData) -> pd.DataFrame:
    """(file, id) for ids of the other files that market_file.csv does not list."""
    known = set(clean.market_file["id"])
    rows = [(file, customer) for file, frame in clean.frames().items() if file != RAW_FILES[0]
            for customer in sorted(set(frame["id"]) - known)]
    return pd.DataFrame(rows, columns=["file", "id"]).astype({"file": "str", "id": "int64"})


def build_model_data(clean: CleanData) -> ModelData:
    """The modelling table and its complement; independent of the input rows' order."""
    wide = customers_wide(clean)
    outliers = revenue_outliers(clean.market_money)
    excluded = exclusions(wide, outliers)
    table = wide.loc[~wide["id"].isin(excluded["id"])].reset_index(drop=True)
    table["copy_group"] = copy_groups(table)
    table = table[list(MODEL_TABLE_COLUMNS)]
    copied = table["copy_group"].duplicated(keep=False)
    copies = table.loc[copied, ["copy_group", "id", TARGET, "profit"]].sort_values(["copy_group", "id"])
    audit = _model_audit(excluded, outliers, copies)
    return ModelData(table, excluded, orphan_ids(clean), copies.reset_index(drop=True), audit)


def _model_audit(excluded: pd.DataFrame, outliers: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    revenue = raw_column("market_money.csv", "revenue")
    counts = excluded["reason"].value_counts()
    rows = []
    if counts.get("incomplete_records"):
        rows.append(("exclude_customer", "market_money.csv, market_time.csv, money.csv", "id",
                     "нет записи за какой-то период", "покупатель исключён",
                     counts["incomplete_records"], "без полного набора месяцев покупателя нельзя описать"))
    if counts.get("inactive_month"):
        rows.append(("exclude_customer", "market_money.csv", revenue, "выручка 0 хотя бы в одном из трёх месяцев",
                     "покупатель исключён", counts["inactive_month"],
                     "постоянный покупатель — тот, кто покупал в каждом из трёх месяцев (определение магазина)"))
    if counts.get("revenue_outlier"):
        flagged = outliers.loc[outliers["id"].isin(excluded.loc[excluded["reason"] == "revenue_outlier", "id"])]
        rows.append(("exclude_customer", "market_money.csv", revenue,
                     "; ".join(f"id {o.id}, {PERIOD_LABELS[o.period]}: {number(o.revenue, 1)}" for o in flagged.itertuples()),
                     "покупатель исключён", counts["revenue_outlier"],
                     f"месяц дороже {OUTLIER_REVENUE_FACTOR} медианных месяцев: верное значение неизвестно, "
                     "поэтому не исправляем, а исключаем"))
    if len(copies):
        groups = copies["copy_group"].nunique()
        rows.append(("mark_copies", "market_file.csv", "id",
                     f"{groups} групп покупателей, одинаковых во всех признаках модели",
                     "оставлены все; общий copy_group = меньший id группы", len(copies),
                     "это разные id со своей прибылью; copy_group держит копии по одну сторону разбиения"))
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def column_dictionary() -> pd.DataFrame:
    """Every modelling-table column: code name, Russian label, role, and where it comes from."""
    sources = {"copy_group": "вычислен: меньший id среди покупателей с одинаковыми признаками"}
    for file, columns in COLUMNS.items():
        for raw, code in columns.items():
            sources.setdefault(code, f"{file}: {raw}")
    for measure, periods in (("revenue", REVENUE_PERIODS), ("minutes", MINUTES_PERIODS)):
        for period in periods:
            sources[wide_column(measure, period)] = f"{sources[measure]}, Период = {period}"
    roles = {"id": "идентификатор — не признак: порядок id выдаёт класс",
             TARGET: "целевой признак",
             "copy_group": "не признак: группа копий для разбиений",
             "profit": "не признак: прибыль для сегментации",
             **{column: "признак: число" for column in NUMERIC_FEATURES},
             **{column: "признак: категория" for column in CATEGORICAL_FEATURES}}
    return pd.DataFrame([{"column": column, "label": DISPLAY_LABELS[column], "role": roles[column],
                          "source": sources[column]} for column in MODEL_TABLE_COLUMNS])
