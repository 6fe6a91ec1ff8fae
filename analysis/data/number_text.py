"""Numbers as the raw files write them, and why a cell of a number column cannot be read.

A number column holds 64-bit integers or 64-bit floats. Text that looks like a
number can still not be one of those: `99999999999999999999` is beyond int64
(numpy would raise OverflowError, or wrap a uint64 to a negative number),
`1e400` parses as infinity, `215348.0` is a whole number written the way pandas
writes an integer column that once held a missing value. Each gets its own
one-line verdict, so the problem list says what is wrong rather than guessing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

INT64 = np.iinfo(np.int64)
INT64_DIGITS = len(str(INT64.max))  # 19: fewer digits always fit
FLOAT_DIGITS = 308  # without an exponent, a float literal beyond float64 needs more digits than this
NON_FINITE = re.compile(r"[+-]?(inf|infinity|nan)", re.IGNORECASE)


def number_pattern(dtype: str, decimal: str) -> re.Pattern:
    """The text of a number in a file whose decimal separator is `decimal` (no thousands separators)."""
    if dtype == "int64":
        return re.compile(r"[+-]?\d+")
    point = re.escape(decimal)
    return re.compile(rf"[+-]?(\d+({point}\d*)?|{point}\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Verdict:
    issue: str
    expected: str


def may_be_out_of_range(values: pd.Series, dtype: str) -> pd.Series:
    """True where text that matches `number_pattern` might still not fit the dtype (a cheap vectorised filter).

    Only these cells are looked at one by one by `unreadable_number`.
    """
    if dtype == "int64":
        return values.str.lstrip("+-").str.lstrip("0").str.len() >= INT64_DIGITS
    return values.str.contains("[eE]", regex=True) | (values.str.len() > FLOAT_DIGITS)


def unreadable_number(written: str, dtype: str, decimal: str) -> Verdict | None:
    """Why `written` (stripped, not empty) cannot be a value of a `dtype` column; None if it can."""
    if dtype == "int64":
        return _whole_number_verdict(written, decimal)
    expected = f"a finite number with a decimal {'comma, like 4,16' if decimal == ',' else 'point, like 4.16'}"
    if number_pattern(dtype, decimal).fullmatch(written):
        if math.isfinite(float(written.replace(decimal, "."))):
            return None
        return Verdict(f"{written!r} is out of range: beyond the largest 64-bit floating-point number "
                       f"(about 1.8e308)", expected)
    if NON_FINITE.fullmatch(written):
        return Verdict(f"{written!r} is not a finite number", expected)
    return Verdict(f"{written!r} is not a number in this file's format", expected)


def _whole_number_verdict(written: str, decimal: str) -> Verdict | None:
    expected = "a whole number"
    if number_pattern("int64", decimal).fullmatch(written):
        if INT64.min <= int(written) <= INT64.max:
            return None
        return Verdict(f"{written!r} is out of range: beyond the 64-bit whole numbers",
                       f"a whole number from {INT64.min} to {INT64.max}")
    as_float = _float_or_none(written, decimal)
    if as_float is None:
        if NON_FINITE.fullmatch(written):
            return Verdict(f"{written!r} is not a finite number", expected)
        return Verdict(f"{written!r} is not a number in this file's format", expected)
    if not math.isfinite(as_float):
        return Verdict(f"{written!r} is out of range: not a finite number", expected)
    if as_float.is_integer():
        return Verdict(f"{written!r} is a whole number written with a decimal point or exponent",
                       f"a whole number written as digits only, like {int(as_float)}")
    return Verdict(f"{written!r} is not a whole number", expected)


def _float_or_none(written: str, decimal: str) -> float | None:
    for point in dict.fromkeys((decimal, ".")):
        if number_pattern("float64", point).fullmatch(written):
            return float(written.replace(point, "."))
    return None
