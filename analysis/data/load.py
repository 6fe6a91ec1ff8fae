"""Read the four raw files as they really are, check them, and return typed frames.

Reading the text (dialects, encodings, the fast pyarrow path) is raw_text.py's;
here the cells are typed in each file's dialect and checked against the pandera
schemas (schemas.py). Every problem found in any file is collected first and
raised once, as one `InvalidInputError` whose `problems` list names file, column,
row (as in the file: 1-based, the header is row 1), the value as written and what
was expected. Numbers are typed with vectorised string operations, so a million
customers load in a few seconds (bench/loading.py).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..constants import RAW_FILES
from ..errors import InvalidInputError
from .labels import COLUMNS, per_distinct_value, raw_column
from .number_text import may_be_out_of_range, number_pattern, unreadable_number
from .raw_text import HEADER_ROW, RAW_FORMATS, Problem, read_text_table
from .schemas import (
    CUSTOMER_FILE, MONEY_FILE, NUMBER_RULES, ONE_ROW_PER_KEY, ROW_KEYS, canonical_frame, raw_schema,
)

MAX_LISTED_PER_KIND = 10


@dataclass(frozen=True)
class RawData:
    """The raw files, validated and typed, with the files' own column names and labels.

    Each frame's index (`row`) is the row number in the file, so later steps can
    point at the exact line. Labels are not fixed yet: that is cleaning's job.
    `money` is None when money.csv was allowed to be absent and was (scoring input).
    """

    market_file: pd.DataFrame
    market_money: pd.DataFrame
    market_time: pd.DataFrame
    money: pd.DataFrame | None

    def frames(self) -> dict[str, pd.DataFrame]:
        """`{file name: frame}` of the files present, in the order of RAW_FILES."""
        frames = zip(RAW_FILES, (self.market_file, self.market_money, self.market_time, self.money))
        return {name: frame for name, frame in frames if frame is not None}


def format_problems(problems: list[Problem], source: str) -> str:
    """One line per problem; long runs of the same kind are cut to a few lines and a count."""
    lines = [f"{source}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the raw data"]
    by_kind: dict[tuple, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_kind[(problem.file, problem.column, problem.expected)].append(problem)
    for (file, column, _), kind in by_kind.items():
        lines.extend(f"  {problem}" for problem in kind[:MAX_LISTED_PER_KIND])
        if len(kind) > MAX_LISTED_PER_KIND:
            rows = [problem.row for problem in kind if problem.row is not None]
            span = f" (rows {min(rows)}–{max(rows)})" if rows else ""
            lines.append(f"  … and {len(kind) - MAX_LISTED_PER_KIND} more like these in {file}, "
                         f"column '{column}'{span}")
    return "\n".join(lines)


def load_raw_data(data_dir: Path, *, require_target: bool = True, require_money: bool = True) -> RawData:
    """Read, type and validate the raw files; raise once with every problem found.

    The defaults describe the training data. Scoring inputs may lack what only
    hindsight gives: with `require_target=False` market_file.csv may leave out
    'Покупательская активность' (if present it is still checked), and with
    `require_money=False` money.csv may be absent (`RawData.money` is then None).
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for name in RAW_FILES:
        if name == MONEY_FILE and not require_money and not (data_dir / name).is_file():
            continue
        text, file_problems = read_text_table(data_dir / name)
        problems += file_problems
        if text is not None:
            typed[name], parse_problems = _typed_frame(name, text)
            problems += parse_problems
        del text  # the typed frame shares the text columns it keeps; the rest can go
    customer_ids = _customer_ids(typed.get(CUSTOMER_FILE))
    for name, frame in typed.items():
        schema = raw_schema(name, None if name == CUSTOMER_FILE else customer_ids, require_target=require_target)
        problems += _schema_problems(name, frame, _text_when_needed(data_dir / name), schema, problems)
    if problems:
        problems.sort(key=lambda p: (RAW_FILES.index(p.file), p.row or 0, p.column or ""))
        raise InvalidInputError(format_problems(problems, str(data_dir)), problems)
    return RawData(*(typed.get(name) for name in RAW_FILES))


def _text_when_needed(path: Path) -> Callable[[], pd.DataFrame]:
    """The file's cells as written, read again only if a schema problem must quote them.

    Keeping a million rows of number text through validation would cost more
    memory than the typed data; a second read costs time only when the data are bad.
    """
    return functools.cache(lambda: read_text_table(path)[0])


def _customer_ids(market_file: pd.DataFrame | None) -> pd.Index | None:
    """market_file.csv's ids, which the other files' ids must be among; None when the list is incomplete.

    An id there that is missing or could not be read (reported already) could be any
    customer, so no other file's id is called unknown for want of it.
    """
    column = raw_column(CUSTOMER_FILE, "id")
    if market_file is None or column not in market_file or market_file[column].isna().any():
        return None
    return pd.Index(pd.unique(market_file[column]))


# Typing -----------------------------------------------------------------------

def _typed_frame(name: str, text: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Numbers parsed in the file's dialect, text kept as written; empty cells become missing.

    A cell that cannot be read as this column's number — not a number, a whole
    number written as a decimal, beyond the 64-bit range, or not finite — is
    reported here (number_text.py says which) and left missing, so the schema step does
    not report it a second time and checks that depend on it (one row per id,
    ids listed in market_file.csv) leave it out. Text columns share the text
    frame's memory rather than copy it.
    """
    decimal = RAW_FORMATS[name]["decimal"]
    columns = dict(text.items())
    problems = []
    for raw, code_name in COLUMNS[name].items():
        if raw not in text:
            continue
        if code_name not in NUMBER_RULES:  # a few labels in many rows: strip each distinct label once
            missing = per_distinct_value(text[raw], lambda labels: labels.str.strip() == "")
            columns[raw] = text[raw].where(~missing) if missing.any() else text[raw]
            continue
        values = text[raw].str.strip()
        missing = values == ""
        dtype = NUMBER_RULES[code_name][0]
        valid = values.str.fullmatch(number_pattern(dtype, decimal))
        unreadable_rows = []
        for row, written in text.loc[(~valid & ~missing) | (valid & may_be_out_of_range(values, dtype)), raw].items():
            verdict = unreadable_number(written.strip(), dtype, decimal)
            if verdict is not None:
                problems.append(Problem(name, verdict.issue, verdict.expected, column=raw, row=int(row),
                                        value=written))
                unreadable_rows.append(row)
        if unreadable_rows:
            valid &= ~values.index.isin(unreadable_rows)
        number_text = values if valid.all() else values.where(valid)
        if decimal != ".":
            number_text = number_text.str.replace(decimal, ".", regex=False)
        parsed = _parse_numbers(number_text, dtype)
        columns[raw] = parsed.astype(dtype) if parsed.notna().all() else parsed.astype("float64")
    return pd.DataFrame(columns, index=text.index, copy=False), problems


def _parse_numbers(numbers: pd.Series, dtype: str) -> pd.Series:
    """`pd.to_numeric(numbers)`, exactly, without its cost on a million rows.

    A complete column of whole numbers is cast by pyarrow, which is exact for
    integers as to_numeric is. Anything else is parsed once per distinct text
    (to_numeric's result for a value, and its choice of dtype, depend only on
    which values occur): revenue, profit and shares repeat a great deal.
    """
    if dtype == "int64" and numbers.notna().all():
        try:
            return numbers.astype("int64[pyarrow]").astype("int64")
        except (TypeError, ValueError):  # e.g. '+5', or beyond int64: to_numeric decides
            pass
    return per_distinct_value(numbers, pd.to_numeric)


# Schema -----------------------------------------------------------------------

def _schema_problems(name: str, frame: pd.DataFrame, text: Callable[[], pd.DataFrame],
                     schema: pa.DataFrameSchema, earlier: list[Problem]) -> list[Problem]:
    """The schema's failures as problems, skipping cells the typing step already reported.

    `text()` gives the cells as written, to quote a failing value as the file has it.
    """
    try:
        schema.validate(frame, lazy=True, inplace=True)  # coerces nothing: in place only saves a copy
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    explained = {(p.column, p.row) for p in earlier if p.file == name}
    one_row = cases["check"] == _one_row_check(schema).error
    problems = _key_problems(name, text, cases[one_row], schema)
    for case in cases[~one_row].itertuples():
        column, check, value = case.column, str(case.check), case.failure_case
        row = None if pd.isna(case.index) else int(case.index)
        if check == "column_in_dataframe":
            problems.append(Problem(name, "column missing from the header", "columns " + str(list(schema.columns)),
                                    column=value, row=HEADER_ROW))
        elif check == "column_in_schema":
            problems.append(Problem(name, "unknown column: the export format has changed; review it rather "
                                    "than let the analysis ignore it", "only " + str(list(schema.columns)),
                                    column=value, row=HEADER_ROW))
        elif check.startswith("dtype(") and column in frame and frame[column].isna().any():
            continue  # a column left untyped by empty or unparseable cells, reported row by row
        elif row is None:
            problems.append(Problem(name, f"{check} failed: {value}", "", column=column))
        elif (column, row) in explained:
            continue
        elif check == "not_nullable":
            problems.append(Problem(name, "missing value", "a value in every row", column=column, row=row))
        else:
            written = text().at[row, column] if column in text() else str(value)
            problems.append(Problem(name, f"got {written!r}", check, column=column, row=row, value=written))
    return problems


def _one_row_check(schema: pa.DataFrameSchema) -> pa.Check:
    return next(check for check in schema.checks if check.name == ONE_ROW_PER_KEY)


def _key_problems(name: str, text: Callable[[], pd.DataFrame], cases: pd.DataFrame,
                  schema: pa.DataFrameSchema) -> list[Problem]:
    """One problem per conflicting key (labels compared after their fixes), naming every row that shares it."""
    if cases.empty:
        return []
    key = [raw_column(name, code) for code in ROW_KEYS[name]]
    rows = sorted({int(row) for row in cases["index"].dropna()})
    expected = _one_row_check(schema).error
    problems = []
    for key_value, group in canonical_frame(name, text().loc[rows]).groupby(key, sort=False):
        key_value = key_value if isinstance(key_value, tuple) else (key_value,)
        described = ", ".join(f"'{column}' = {value}" for column, value in zip(key, key_value))
        group_rows = [int(row) for row in group.index]
        problems.append(Problem(name, f"rows {', '.join(map(str, group_rows))} have {described} but differ",
                                expected, column=key[0] if len(key) == 1 else " + ".join(key),
                                row=group_rows[0], value=" / ".join(key_value)))
    return problems
