"""What the modelled customers look like, by activity class: small frames for the charts.

Everything is aggregated here (bins, quantiles), so a chart ships a few hundred
rows instead of every customer, and the page stays small.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from ..constants import ACTIVITY_CLASSES, POSITIVE_CLASS
from .features import CATEGORICAL_FEATURES, FEATURE_COLUMNS
from .labels import (
    ALLOWED_LABELS, DISPLAY_LABELS, MINUTES_PERIODS, PERIOD_LABELS, REVENUE_PERIODS, TARGET, wide_column,
)

MAX_DISCRETE_VALUES = 25
TARGET_BINS = 12
QUANTILES = {"p05": 0.05, "q1": 0.25, "median": 0.5, "q3": 0.75, "p95": 0.95}
# feature_separation's direction columns, missing where they do not apply (a number has no category).
SEPARATION_DIRECTION = {"direction": float("nan"), "riskiest_category": None, "riskiest_share": float("nan")}


def period_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Quantiles and mean of revenue and minutes per period and activity class.

    Columns: measure, measure_label, period, period_label, period_order, activity,
    customers, p05, q1, median, q3, p95, mean.
    """
    rows = []
    for measure, periods in (("revenue", REVENUE_PERIODS), ("minutes", MINUTES_PERIODS)):
        for order, period in enumerate(periods):
            column = wide_column(measure, period)
            for activity in ACTIVITY_CLASSES:
                values = table.loc[table[TARGET] == activity, column]
                rows.append({"measure": measure, "measure_label": DISPLAY_LABELS[measure], "period": period,
                             "period_label": PERIOD_LABELS[period], "period_order": order,
                             "activity": activity, "customers": int(values.count()),
                             **{name: float(values.quantile(q)) for name, q in QUANTILES.items()},
                             "mean": float(values.mean())})
    return pd.DataFrame(rows)


def feature_separation(table: pd.DataFrame) -> pd.DataFrame:
    """How well each feature alone ranks customers by activity, in-sample (descriptive only).

    roc_auc is oriented (0.5 = no information, 1 = perfect). A number's score is its
    value; a category's score is its share of «Снизилась». Columns: feature, label,
    kind, roc_auc, and the direction as codes (report/data_words.py words it):
    direction (numbers: +1 higher among «Снизилась», −1 lower; NaN for categories),
    riskiest_category and riskiest_share (categories: the category with the largest
    share of «Снизилась» and that share; NaN for numbers). Sorted by roc_auc, strongest first.
    """
    dropped = table[TARGET] == POSITIVE_CLASS
    rows = []
    for feature in FEATURE_COLUMNS:
        if feature in CATEGORICAL_FEATURES:
            share = dropped.groupby(table[feature]).mean()
            auc = roc_auc_score(dropped, table[feature].map(share))
            direction = {"riskiest_category": share.idxmax(), "riskiest_share": float(share.max())}
            kind = "category"
        else:
            auc = roc_auc_score(dropped, table[feature])
            direction = {"direction": 1 if auc > 0.5 else -1}
            kind = "number"
        rows.append({"feature": feature, "label": DISPLAY_LABELS[feature], "kind": kind,
                     "roc_auc": float(max(auc, 1 - auc)), **SEPARATION_DIRECTION, **direction})
    return pd.DataFrame(rows).sort_values("roc_auc", ascending=False, ignore_index=True)


def feature_distributions(table: pd.DataFrame) -> pd.DataFrame:
    """Every feature's distribution per activity class, as bins in display order.

    Numbers with few whole values get one bin per value; other numbers get about
    TARGET_BINS round-edged bins; categories one bin per allowed label.
    Columns: feature, label, kind, bin (the category or whole value as text; empty
    for a range bin), bin_start, bin_end, bin_digits (a range bin's edges and the
    decimals they are rounded to; NaN otherwise — report/data_words.py labels the
    range), bin_order, activity, customers, share (of the activity class, so
    classes of different size compare).
    """
    frames = []
    for feature in FEATURE_COLUMNS:
        if feature in CATEGORICAL_FEATURES:
            order = list(ALLOWED_LABELS["market_file.csv"][feature])
            bins = pd.Categorical(table[feature], categories=order)
            kind = "category"
            edges = None
        else:
            order, bins, edges = _numeric_bins(table[feature])
            kind = "number"
        counts = (pd.crosstab(pd.Series(bins, index=table.index, name="bin"), table[TARGET], dropna=False)
                  .reindex(index=order, columns=list(ACTIVITY_CLASSES), fill_value=0))
        long = counts.stack().rename("customers").reset_index()
        long.columns = ["bin", "activity", "customers"]
        long["share"] = long["customers"] / long["activity"].map(counts.sum())
        long["bin_order"] = long["bin"].map({label: i for i, label in enumerate(order)})
        long.insert(0, "kind", kind)
        long.insert(0, "label", DISPLAY_LABELS[feature])
        long.insert(0, "feature", feature)
        if edges is None:
            long = long.assign(bin=long["bin"].astype("str"), bin_start=np.nan, bin_end=np.nan, bin_digits=np.nan)
        else:
            long = long.assign(bin="", **{name: long["bin_order"].map(dict(enumerate(values)))
                                          for name, values in edges.items()})
        frames.append(long)
    columns = ["feature", "label", "kind", "bin", "bin_start", "bin_end", "bin_digits", "bin_order", "activity",
               "customers", "share"]
    return pd.concat(frames, ignore_index=True)[columns].astype({"bin": "str", "customers": "int64"})


def revenue_histogram(market_money: pd.DataFrame, bins_per_decade: int = 40) -> pd.DataFrame:
    """Customer-months by revenue on a log scale, per period, for showing an outlier in context.

    Months without a purchase (revenue 0) have no place on a log scale and are
    counted in `zero_months` instead. Columns: period, period_label, bin_start,
    bin_end, months, zero_months.
    """
    bought = market_money.loc[market_money["revenue"] > 0]
    low = math.floor(np.log10(bought["revenue"].min()))
    high = math.ceil(np.log10(bought["revenue"].max()))
    edges = 10 ** np.linspace(low, high, (high - low) * bins_per_decade + 1)
    rows = []
    for period in REVENUE_PERIODS:
        values = bought.loc[bought["period"] == period, "revenue"]
        counts, _ = np.histogram(values, edges)
        zero = int(((market_money["period"] == period) & (market_money["revenue"] == 0)).sum())
        rows += [{"period": period, "period_label": PERIOD_LABELS[period], "bin_start": float(start),
                  "bin_end": float(end), "months": int(count), "zero_months": zero}
                 for start, end, count in zip(edges[:-1], edges[1:], counts) if count]
    return pd.DataFrame(rows)


def _numeric_bins(values: pd.Series) -> tuple[list[str], pd.Series, dict[str, list[float]] | None]:
    """(bin keys in order, each value's key, the range bins' bin_start/bin_end/bin_digits by position or
    None): one bin per whole value when there are few, else round-edged ranges keyed by position."""
    whole = np.allclose(values, values.round())
    if whole and values.max() - values.min() + 1 <= MAX_DISCRETE_VALUES:
        order = [str(v) for v in range(int(values.min()), int(values.max()) + 1)]
        return order, values.round().astype(int).astype(str), None
    step = _nice_step((values.max() - values.min()) / TARGET_BINS)
    start = math.floor(values.min() / step) * step
    count = int(math.floor((values.max() - start) / step)) + 1
    digits = next(d for d in range(10) if abs(round(step, d) - step) < 1e-9)
    edges = [round(start + i * step, digits) for i in range(count + 1)]
    order = [str(i) for i in range(count)]
    index = np.clip(((values - start) // step).astype(int), 0, count - 1)
    return order, index.astype(str), {"bin_start": edges[:-1], "bin_end": edges[1:], "bin_digits": [digits] * count}


def _nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at least `raw`: bin edges a reader can read."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
