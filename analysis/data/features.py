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

A scoring input may come without the target or without money.csv: the table
then has the same columns, with the target or profit missing, and a missing
profit is not a reason to exclude anyone. Every step is vectorised: a million
customers take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cleaning import AUDIT_COLUMNS, CleanData
from ..constants import OUTLIER_REVENUE_FACTOR, RAW_FILES
from ..number_format import number_text
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
    """One row per id (sorted), one column per period (`wide_column` names); a missing record is NaN.

    What `long.pivot(index="id", columns="period")` gives — including its dtype:
    kept if every id has every period found, else float — without the pivot's
    MultiIndex, which costs hundreds of MB on three million rows.
    """
    id_codes, ids = pd.factorize(long["id"], sort=True)
    period_codes, found = pd.factorize(long["period"])
    values = long[measure].to_numpy()
    present = np.zeros((len(ids), len(found)), dtype=bool)
    present[id_codes, period_codes] = True
    if np.count_nonzero(present) != len(long):
        raise ValueError(f"{measure}: more than one row for an id and period; cannot make one column per period")
    grid = np.empty(present.shape, values.dtype) if present.all() else np.full(present.shape, np.nan)
    grid[id_codes, period_codes] = values
    wide = pd.DataFrame(grid, index=pd.Index(ids, name="id"), columns=[wide_column(measure, p) if p in periods
                                                                      else p for p in found])
    return wide.reindex(columns=[wide_column(measure, period) for period in periods])


def customers_wide(clean: CleanData) -> pd.DataFrame:
    """Every market_file.csv customer with revenue, minutes and profit columns, sorted by id.

    Profit is missing for everyone when money.csv was absent; so is the target
    when market_file.csv came without it. Built column by column, so a million
    customers are copied once (not at every join), and not at all if already sorted.
    """
    customers = clean.market_file
    if not customers["id"].is_monotonic_increasing:
        customers = customers.take(np.argsort(customers["id"].to_numpy(), kind="stable"))
    ids = pd.Index(customers["id"])
    columns = {column: customers[column].array for column in customers.columns}
    if TARGET not in columns:
        columns[TARGET] = pd.array(np.full(len(ids), np.nan), dtype="str")
    for measure in (period_columns(clean.market_money, "revenue", REVENUE_PERIODS),
                    period_columns(clean.market_time, "minutes", MINUTES_PERIODS),
                    _profit(clean)):
        for column in measure.columns:
            columns[column] = measure[column].reindex(ids).array
    order = ["id", *(column for column in columns if column != "id")]
    return pd.DataFrame(columns, columns=order, copy=False)


def _profit(clean: CleanData) -> pd.DataFrame:
    if clean.money is None:
        return pd.DataFrame({"profit": pd.Series(dtype="float64")}, index=pd.Index([], dtype="int64", name="id"))
    return clean.money.set_index("id")[["profit"]]


def revenue_outliers(market_money: pd.DataFrame, factor: float = OUTLIER_REVENUE_FACTOR) -> pd.DataFrame:
    """Customer-months whose revenue exceeds `factor` × the median month with a purchase.

    Columns: id, period, revenue, median_month, ratio_to_median, largest_other_month
    (the largest revenue of any other customer-month), other_months (the customer's
    own other months, as text). Empty when nothing is implausible.
    """
    revenue = market_money["revenue"].to_numpy()
    bought = revenue[revenue > 0]
    median = float(np.median(bought, overwrite_input=True)) if len(bought) else np.nan
    implausible = revenue > factor * median
    flagged = market_money.loc[implausible].copy()
    plausible = revenue <= factor * median
    unflagged_max = float(np.max(revenue, where=plausible, initial=-np.inf)) if plausible.any() else np.nan
    flagged["median_month"] = median
    flagged["ratio_to_median"] = flagged["revenue"] / median
    flagged["largest_other_month"] = unflagged_max
    months = market_money.loc[market_money["id"].isin(flagged["id"]), ["id", "period", "revenue"]]
    by_customer: dict[int, list[tuple[str, float]]] = {}
    for customer, period, amount in months.itertuples(index=False):
        by_customer.setdefault(customer, []).append((period, amount))
    flagged["other_months"] = [
        "; ".join(f"{PERIOD_LABELS.get(p, p)}: {number_text(v, 1)}" for p, v in by_customer[customer] if p != period)
        for customer, period in zip(flagged["id"], flagged["period"])
    ]
    columns = ["id", "period", "revenue", "median_month", "ratio_to_median", "largest_other_month",
               "other_months"]
    return flagged[columns].sort_values(["id", "period"]).reset_index(drop=True)


def exclusions(wide: pd.DataFrame, outliers: pd.DataFrame, *, profit_known: bool = True) -> pd.DataFrame:
    """One row per customer who is not modelled: id, reason (EXCLUSION_REASONS key), detail.

    Rows follow `wide` (sorted by id); a customer gets the first reason that
    applies. With `profit_known=False` (no money.csv) a missing profit excludes nobody.
    """
    measures = [*REVENUE_COLUMNS, *MINUTES_COLUMNS, *(["profit"] if profit_known else [])]
    missing = wide[measures].isna()
    zero = wide[list(REVENUE_COLUMNS)].eq(0)
    incomplete = missing.any(axis=1)
    inactive = zero.any(axis=1) & ~incomplete
    implausible = wide["id"].isin(outliers["id"]) & ~incomplete & ~inactive
    outlier_details = outliers.assign(text=[
        f"{PERIOD_LABELS[o.period]}: {number_text(o.revenue, 1)} — в {number_text(o.ratio_to_median, 1)} "
        f"раза больше медианы месяца ({number_text(o.median_month, 1)})" for o in outliers.itertuples()
    ]).groupby("id", sort=False)["text"].agg("; ".join)
    reason = pd.Series(None, index=wide.index, dtype="str")
    detail = pd.Series(None, index=wide.index, dtype="str")
    for flags, name, text in (
        (incomplete, "incomplete_records", _flag_lists(missing[incomplete], "нет данных: ",
                                                       [DISPLAY_LABELS[c] for c in measures])),
        (inactive, "inactive_month", _flag_lists(zero[inactive], "выручка 0: ",
                                                 [PERIOD_LABELS[p] for p in REVENUE_PERIODS])),
        (implausible, "revenue_outlier", wide.loc[implausible, "id"].map(outlier_details)),
    ):
        reason[flags] = name
        detail[flags] = text
    excluded = reason.notna()
    return pd.DataFrame({"id": wide.loc[excluded, "id"], "reason": reason[excluded], "detail": detail[excluded]},
                        columns=EXCLUSION_COLUMNS).reset_index(drop=True).astype(
        {"id": "int64", "reason": "str", "detail": "str"})


def _flag_lists(flags: pd.DataFrame, prefix: str, names: list[str]) -> pd.Series:
    """Per row, `prefix` + the names of its True columns joined by ', ' — built once per distinct pattern."""
    patterns = flags.to_numpy() @ (1 << np.arange(flags.shape[1]))
    texts = {code: prefix + ", ".join(name for bit, name in enumerate(names) if code >> bit & 1)
             for code in np.unique(patterns)}
    return pd.Series(patterns, index=flags.index).map(texts)


def copy_groups(table: pd.DataFrame) -> pd.Series:
    """The smallest id among the customers identical to this one in every feature.

    A customer with no copy gets its own id, so the result can be passed directly as
    `groups=` to a grouped cross-validation: copies never straddle a split. Rows
    are first hashed over the features; only rows sharing a hash (copies, and the
    rare collision) are compared column by column, which keeps a million rows cheap.
    """
    features = list(FEATURE_COLUMNS)
    maybe_copied = pd.util.hash_pandas_object(table[features], index=False).duplicated(keep=False).to_numpy()
    groups = table["id"].copy()
    if maybe_copied.any():
        candidates = table.loc[maybe_copied]
        groups[maybe_copied] = candidates.groupby(features, dropna=False)["id"].transform("min")
    return groups.rename("copy_group")


def orphan_ids(clean: CleanData) -> pd.DataFrame:
    """(file, id) for ids of the other files that market_file.csv does not list."""
    known = clean.market_file["id"]
    parts = [pd.DataFrame({"file": file, "id": np.unique(frame.loc[~frame["id"].isin(known), "id"])})
             for file, frame in clean.frames().items() if file != RAW_FILES[0]]
    return pd.concat(parts, ignore_index=True).astype({"file": "str", "id": "int64"})


def build_model_data(clean: CleanData) -> ModelData:
    """The modelling table and its complement; independent of the input rows' order."""
    wide = customers_wide(clean)
    outliers = revenue_outliers(clean.market_money)
    excluded = exclusions(wide, outliers, profit_known=clean.money is not None)
    modelled = ~wide["id"].isin(excluded["id"]).to_numpy()
    table = wide.loc[modelled, [column for column in MODEL_TABLE_COLUMNS if column != "copy_group"]]
    del wide  # a million rows: let it go before the next copy
    table = table.reset_index(drop=True)
    table.insert(MODEL_TABLE_COLUMNS.index("copy_group"), "copy_group", copy_groups(table))
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
                     "; ".join(f"id {o.id}, {PERIOD_LABELS[o.period]}: {number_text(o.revenue, 1)}" for o in flagged.itertuples()),
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
    roles = {"id": "идентификатор — не признак: порядок строк в выгрузке может выдавать класс (см. «Данные»)",
             TARGET: "целевой признак",
             "copy_group": "не признак: группа копий для разбиений",
             "profit": "не признак: прибыль для сегментации",
             **{column: "признак: число" for column in NUMERIC_FEATURES},
             **{column: "признак: категория" for column in CATEGORICAL_FEATURES}}
    return pd.DataFrame([{"column": column, "label": DISPLAY_LABELS[column], "role": roles[column],
                          "source": sources[column]} for column in MODEL_TABLE_COLUMNS])
