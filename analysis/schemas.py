"""pandera schemas of the four raw files, in the files' own (Russian) column names.

Every check's `error` text is the expectation a person reads in the problem list,
so `data.py` can report "row 17: got '-3'; expected a number ≥ 0" without a lookup table.
Labels are checked through `labels.canonical_labels`: a schema accepts a known
misspelling (cleaning fixes it) and rejects anything cleaning could not repair.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import pandera.pandas as pa

from .labels import ALLOWED_LABELS, COLUMNS, canonical_labels, canonical_series, label_key, raw_column

# Code column -> (dtype, smallest allowed, largest allowed). Profit may be negative:
# a customer can cost the store more than it earns; revenue, minutes and counts cannot.
NUMBER_RULES: dict[str, tuple[str, float | None, float | None]] = {
    "id": ("int64", 1, None),
    "market_activity_6m": ("float64", 0, None),
    "market_activity_current_month": ("int64", 0, None),
    "tenure_days": ("int64", 0, None),
    "promo_share": ("float64", 0, 1),
    "categories_per_visit": ("int64", 0, None),
    "unpaid_items_quarter": ("int64", 0, None),
    "service_errors": ("int64", 0, None),
    "pages_per_visit": ("int64", 0, None),
    "revenue": ("float64", 0, None),
    "minutes": ("int64", 0, None),
    "profit": ("float64", None, None),
}

# The columns that identify a row: one customer, or one customer in one period.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "market_file.csv": ("id",),
    "market_money.csv": ("id", "period"),
    "market_time.csv": ("id", "period"),
    "money.csv": ("id",),
}

ONE_ROW_PER_KEY = "one_row_per_key"
CUSTOMER_FILE = "market_file.csv"


def canonical_frame(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (raw column names) with every categorical label replaced by its allowed form."""
    fixed = frame.copy()
    for code_name in ALLOWED_LABELS[file]:
        column = raw_column(file, code_name)
        if column in fixed:
            fixed[column] = canonical_series(file, code_name, fixed[column])
    return fixed


def conflicting_key_rows(file: str, frame: pd.DataFrame) -> pd.Series:
    """True for rows whose key (after label fixes) is shared by a row with other values.

    Exact repeats are not conflicts: cleaning drops them and records it.
    """
    key = [raw_column(file, code) for code in ROW_KEYS[file]]
    if not set(key) <= set(frame.columns):
        return pd.Series(False, index=frame.index)
    fixed = canonical_frame(file, frame)
    distinct_rows = fixed.drop_duplicates().groupby(key, dropna=False).size()
    per_row = fixed.set_index(key).index.map(distinct_rows)
    return pd.Series(per_row > 1, index=frame.index)


def _label_check(file: str, code_name: str) -> pa.Check:
    allowed = ALLOWED_LABELS[file][code_name]
    keys = set(canonical_labels(file, code_name))
    expected = "one of " + ", ".join(f"'{label}'" for label in allowed)
    return pa.Check(lambda series: series.map(label_key).isin(keys), error=expected)


def _number_checks(code_name: str) -> list[pa.Check]:
    _, low, high = NUMBER_RULES[code_name]
    if low is not None and high is not None:
        return [pa.Check.in_range(low, high, error=f"a number from {low} to {high}")]
    if low is not None:
        return [pa.Check.ge(low, error=f"a number ≥ {low}")]
    return []


def raw_schema(file: str, customer_ids: Collection[int] | None = None) -> pa.DataFrameSchema:
    """The schema of one raw file.

    With `customer_ids`, every id must also be one of them (ids of market_file.csv).
    """
    columns = {}
    for raw, code_name in COLUMNS[file].items():
        if code_name in NUMBER_RULES:
            checks = _number_checks(code_name)
            if code_name == "id" and customer_ids is not None:
                known = set(customer_ids)
                checks.append(pa.Check(lambda series: series.isin(known),
                                       error=f"an id listed in {CUSTOMER_FILE}"))
            columns[raw] = pa.Column(NUMBER_RULES[code_name][0], checks, nullable=False)
        else:
            columns[raw] = pa.Column(str, _label_check(file, code_name), nullable=False)
    key_text = " and ".join(f"'{raw_column(file, code)}'" for code in ROW_KEYS[file])
    one_row = pa.Check(lambda frame: ~conflicting_key_rows(file, frame), name=ONE_ROW_PER_KEY,
                       error=f"one row per {key_text} (exact repeats are allowed)")
    return pa.DataFrameSchema(columns, checks=[one_row], strict=True, name=file)
