"""pandera schemas of the four raw files, in the files' own (Russian) column names.

Every check's `error` text is the expectation a person reads in the problem list,
so `load.py` can report "row 17: got '-3'; expected a number ≥ 0" without a lookup table.
Labels are checked through `labels.canonical_labels`: a schema accepts a known
misspelling (cleaning fixes it) and rejects anything cleaning could not repair.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .labels import (
    ALLOWED_LABELS, COLUMNS, TARGET, canonical_labels, canonical_series, label_key, per_distinct_value, raw_column,
)

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
MONEY_FILE = "money.csv"


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

    Exact repeats are not conflicts: cleaning drops them and records it. A row
    whose key is missing or could not be read (the loader reported it) is left out:
    two unreadable ids are not the same id. Only
    rows whose key occurs more than once are compared in full, so a file with
    unique keys (the usual case, a million rows) costs one `duplicated` on the key.
    """
    key = [raw_column(file, code) for code in ROW_KEYS[file]]
    conflicting = pd.Series(False, index=frame.index)
    if not set(key) <= set(frame.columns):
        return conflicting
    readable = frame[key].notna().all(axis=1).to_numpy()
    if not readable.all():  # a key that is missing or could not be read conflicts with nothing
        conflicting[readable] = conflicting_key_rows(file, frame.loc[readable])
        return conflicting
    repeated_key = rows_sharing_a_key(canonical_frame(file, frame[key]), key)
    if not repeated_key.any():
        return conflicting
    candidates = canonical_frame(file, frame.loc[repeated_key])
    distinct_rows = candidates.drop_duplicates()
    shared = distinct_rows.loc[distinct_rows.duplicated(key, keep=False), key]
    conflicting[repeated_key] = pd.MultiIndex.from_frame(candidates[key]).isin(pd.MultiIndex.from_frame(shared))
    return conflicting


def rows_sharing_a_key(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """`frame.duplicated(key, keep=False)` as a bool array, at a fraction of its memory.

    The key columns become one integer per row (an integer column is offset by its
    minimum, anything else factorised; a missing value is a value) and equal
    integers are found by sorting a copy, instead of hashing every column.
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    scale = 1
    for column in reversed(key):
        values = frame[column]
        if isinstance(values.dtype, np.dtype) and values.dtype.kind == "i" and len(values):
            low, high = int(values.min()), int(values.max())
            size = high - low + 1
            codes = values.to_numpy() - low if scale * size < 2**62 else None
        else:
            codes, distinct = pd.factorize(values, use_na_sentinel=False)
            size = max(len(distinct), 1)
        if scale * size >= 2**62:  # too wide to combine into one integer
            return frame.duplicated(key, keep=False).to_numpy()
        combined += codes * scale
        scale *= size
    ordered = np.sort(combined)
    twins = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.isin(combined, twins) if len(twins) else np.zeros(len(frame), dtype=bool)


def _label_check(file: str, code_name: str) -> pa.Check:
    allowed = ALLOWED_LABELS[file][code_name]
    keys = set(canonical_labels(file, code_name))
    expected = "one of " + ", ".join(f"'{label}'" for label in allowed)
    return pa.Check(lambda series: per_distinct_value(series, lambda labels: labels.map(label_key).isin(keys)),
                    error=expected)


def _number_checks(code_name: str) -> list[pa.Check]:
    """One check per column, so a cell breaks at most one: its range, and for floats finiteness.

    `inf` passes `≥ 0` and `nan` passes as missing elsewhere; a model cannot use either.
    """
    dtype, low, high = NUMBER_RULES[code_name]
    finite = dtype == "float64"
    word = "a finite number" if finite else "a number"
    if low is not None and high is not None:
        return [pa.Check.in_range(low, high, error=f"{word} from {low} to {high}")]
    if low is not None and finite:
        return [pa.Check(lambda values: np.isfinite(values) & (values >= low), error=f"{word} ≥ {low}")]
    if low is not None:
        return [pa.Check.ge(low, error=f"{word} ≥ {low}")]
    if finite:
        return [pa.Check(np.isfinite, error=word)]
    return []


def raw_schema(file: str, customer_ids: Collection[int] | None = None, *,
               require_target: bool = True) -> pa.DataFrameSchema:
    """The schema of one raw file.

    With `customer_ids`, every id must also be one of them (ids of market_file.csv;
    a pd.Index spares a million Python ints). With `require_target=False` the
    target column may be absent (scoring input); if present it is checked all the same.
    """
    columns = {}
    for raw, code_name in COLUMNS[file].items():
        if code_name in NUMBER_RULES:
            checks = _number_checks(code_name)
            if code_name == "id" and customer_ids is not None:
                known = customer_ids if isinstance(customer_ids, pd.Index) else pd.Index(list(customer_ids))
                checks.append(pa.Check(lambda series: series.isin(known),
                                       error=f"an id listed in {CUSTOMER_FILE}"))
            columns[raw] = pa.Column(NUMBER_RULES[code_name][0], checks, nullable=False)
        else:
            required = require_target or code_name != TARGET
            columns[raw] = pa.Column(str, _label_check(file, code_name), nullable=False, required=required)
    key_text = " and ".join(f"'{raw_column(file, code)}'" for code in ROW_KEYS[file])
    one_row = pa.Check(lambda frame: ~conflicting_key_rows(file, frame), name=ONE_ROW_PER_KEY,
                       error=f"one row per {key_text} (exact repeats are allowed)")
    return pa.DataFrameSchema(columns, checks=[one_row], strict=True, name=file)
