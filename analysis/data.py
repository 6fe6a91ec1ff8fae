"""Read the four raw files as they really are, check them, and return typed frames.

The files do not share one format: money.csv uses `;`, decimal commas and CRLF.
`RAW_FORMATS` records each file's dialect in one place. Files must be UTF-8 (a BOM
is fine). There is deliberately no fallback encoding: a guessed encoding turns
Cyrillic labels into mojibake that may still look like text, and the published
files (data/SHA256SUMS) are UTF-8. A non-UTF-8 file is reported with the byte
offset, row and column, and with a hint when it decodes as Windows-1251.

Every problem found in any file is collected first and raised once, as one
`InvalidInputError` whose `problems` list names file, column, row (as in the file:
1-based, the header is row 1), the value as written and what was expected.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .constants import RAW_FILES
from .errors import InvalidInputError
from .labels import COLUMNS, raw_column
from .schemas import (
    CUSTOMER_FILE, NUMBER_RULES, ONE_ROW_PER_KEY, ROW_KEYS, canonical_frame, raw_schema,
)

RAW_FORMATS = {
    "market_file.csv": {"sep": ",", "decimal": "."},
    "market_money.csv": {"sep": ",", "decimal": "."},
    "market_time.csv": {"sep": ",", "decimal": "."},
    "money.csv": {"sep": ";", "decimal": ","},
}
OTHER_SEPARATORS = (",", ";", "\t", "|")
HEADER_ROW = 1
MAX_LISTED_PER_KIND = 10


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input; `str()` is the line a person reads."""

    file: str
    issue: str
    expected: str = ""
    column: str | None = None
    row: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = ", ".join(where) + ": " + self.issue
        return f"{text}; expected {self.expected}" if self.expected else text


@dataclass(frozen=True)
class RawData:
    """The four files, validated and typed, with the files' own column names and labels.

    Each frame's index (`row`) is the row number in the file, so later steps can
    point at the exact line. Labels are not fixed yet: that is cleaning's job.
    """

    market_file: pd.DataFrame
    market_money: pd.DataFrame
    market_time: pd.DataFrame
    money: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """`{file name: frame}` in the order of RAW_FILES."""
        return dict(zip(RAW_FILES, (self.market_file, self.market_money, self.market_time, self.money)))


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


def load_raw_data(data_dir: Path) -> RawData:
    """Read, type and validate all four files; raise once with every problem found."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    texts: dict[str, pd.DataFrame] = {}
    typed: dict[str, pd.DataFrame] = {}
    for name in RAW_FILES:
        text, file_problems = _read_text_table(data_dir / name)
        problems += file_problems
        if text is not None:
            texts[name] = text
            typed[name], parse_problems = _typed_frame(name, text)
            problems += parse_problems
    customer_ids = _customer_ids(typed.get(CUSTOMER_FILE))
    for name, frame in typed.items():
        schema = raw_schema(name, None if name == CUSTOMER_FILE else customer_ids)
        problems += _schema_problems(name, frame, texts[name], schema, problems)
    if problems:
        problems.sort(key=lambda p: (RAW_FILES.index(p.file), p.row or 0, p.column or ""))
        raise InvalidInputError(format_problems(problems, str(data_dir)), problems)
    return RawData(*(typed[name] for name in RAW_FILES))


def _customer_ids(market_file: pd.DataFrame | None) -> set[int] | None:
    column = raw_column(CUSTOMER_FILE, "id")
    if market_file is None or column not in market_file:
        return None
    return set(market_file[column].dropna())


# Reading text -----------------------------------------------------------------

def _read_text_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    name = path.name
    if not path.is_file():
        return None, [Problem(name, f"file not found in {path.parent}",
                              "the file (python -m analysis fetch-data puts it there)")]
    data = path.read_bytes()
    sep = RAW_FORMATS[name]["sep"]
    text, problem = _decode(name, data, sep)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(name, "the file is empty", "a header row and one row per record")]
    try:
        records = _records(text, sep)
    except csv.Error as error:
        return None, [Problem(name, f"not readable as CSV ({error})", f"'{sep}'-separated values")]
    (_, header), body = records[0], records[1:]
    problems = _header_problems(name, header, sep)
    if problems:
        return None, problems
    for row, fields in body:
        if len(fields) != len(header):
            problems.append(Problem(name, f"{len(fields)} fields", f"{len(header)} fields as in the header "
                                    f"(separated by '{sep}')", row=row, value=sep.join(fields)))
    if not body:
        problems.append(Problem(name, "only a header, no data rows", "one row per record", row=HEADER_ROW))
    if problems:
        return None, problems
    frame = pd.DataFrame([fields for _, fields in body], columns=header,
                         index=pd.Index([row for row, _ in body], name="row"), dtype="str")
    return frame, []


def _decode(name: str, data: bytes, sep: str) -> tuple[str, Problem | None]:
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = start + error.start
        line_start = data.rfind(b"\n", 0, offset) + 1
        row = data.count(b"\n", 0, offset) + 1
        field = data.count(sep.encode(), line_start, offset)
        header = data[start:data.find(b"\n")].decode("utf-8", errors="replace").rstrip("\r").split(sep)
        column = header[field] if row > HEADER_ROW and field < len(header) else None
        hint = ""
        try:
            data.decode("cp1251")
            hint = " (the file decodes as Windows-1251: convert it, e.g. iconv -f cp1251 -t utf-8)"
        except UnicodeDecodeError:
            pass
        return "", Problem(name, f"byte {data[offset:offset + 1].hex(' ')} at byte offset {offset} is not "
                                 f"valid UTF-8, so the file is not UTF-8{hint}", "UTF-8 text (a BOM is fine)",
                           column=column, row=row)


def _records(text: str, sep: str) -> list[tuple[int, list[str]]]:
    """(row number, fields) of every non-blank record; blank lines carry no data and are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    return [(reader.line_num, fields) for fields in reader if fields and any(f.strip() for f in fields)]


def _header_problems(name: str, header: list[str], sep: str) -> list[Problem]:
    expected_columns = list(COLUMNS[name])
    if len(header) == 1 and len(expected_columns) > 1:
        found = [other for other in OTHER_SEPARATORS if other != sep and other in header[0]]
        seen = f"it is separated by '{found[0]}'" if found else "it has a single column"
        return [Problem(name, f"the header is not separated by '{sep}': {seen}",
                        f"'{sep}'-separated columns {expected_columns}", row=HEADER_ROW, value=header[0])]
    repeated = sorted({column for column in header if header.count(column) > 1})
    return [Problem(name, "the column appears more than once in the header", "each column once",
                    column=column, row=HEADER_ROW) for column in repeated]


# Typing -----------------------------------------------------------------------

def _number_pattern(dtype: str, decimal: str) -> re.Pattern:
    if dtype == "int64":
        return re.compile(r"[+-]?\d+")
    point = re.escape(decimal)
    return re.compile(rf"[+-]?(\d+({point}\d*)?|{point}\d+)([eE][+-]?\d+)?")


def _typed_frame(name: str, text: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Numbers parsed in the file's dialect, text kept as written; empty cells become missing.

    Unparseable cells are reported here and left missing, so the schema step
    does not report them a second time.
    """
    decimal = RAW_FORMATS[name]["decimal"]
    typed = text.copy()
    problems = []
    for raw, code_name in COLUMNS[name].items():
        if raw not in text:
            continue
        values = text[raw].str.strip()
        missing = values == ""
        if code_name not in NUMBER_RULES:
            typed[raw] = text[raw].where(~missing)
            continue
        dtype = NUMBER_RULES[code_name][0]
        valid = values.str.fullmatch(_number_pattern(dtype, decimal))
        expected = ("a whole number" if dtype == "int64" else
                    f"a number with a decimal {'comma, like 4,16' if decimal == ',' else 'point, like 4.16'}")
        for row in values.index[~valid & ~missing]:
            problems.append(Problem(name, f"{text.at[row, raw]!r} is not a number in this file's format",
                                    expected, column=raw, row=int(row), value=text.at[row, raw]))
        numbers = pd.to_numeric(values.where(valid).str.replace(decimal, ".", regex=False))
        typed[raw] = numbers.astype(dtype) if numbers.notna().all() else numbers.astype("float64")
    return typed, problems


# Schema -----------------------------------------------------------------------

def _schema_problems(name: str, frame: pd.DataFrame, text: pd.DataFrame, schema: pa.DataFrameSchema,
                     earlier: list[Problem]) -> list[Problem]:
    """The schema's failures as problems, skipping cells the typing step already reported."""
    try:
        schema.validate(frame, lazy=True)
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
            written = text.at[row, column] if column in text else str(value)
            problems.append(Problem(name, f"got {written!r}", check, column=column, row=row, value=written))
    return problems


def _one_row_check(schema: pa.DataFrameSchema) -> pa.Check:
    return next(check for check in schema.checks if check.name == ONE_ROW_PER_KEY)


def _key_problems(name: str, text: pd.DataFrame, cases: pd.DataFrame,
                  schema: pa.DataFrameSchema) -> list[Problem]:
    """One problem per conflicting key (labels compared after their fixes), naming every row that shares it."""
    if cases.empty:
        return []
    key = [raw_column(name, code) for code in ROW_KEYS[name]]
    rows = sorted({int(row) for row in cases["index"].dropna()})
    expected = _one_row_check(schema).error
    problems = []
    for key_value, group in canonical_frame(name, text.loc[rows]).groupby(key, sort=False):
        key_value = key_value if isinstance(key_value, tuple) else (key_value,)
        described = ", ".join(f"'{column}' = {value}" for column, value in zip(key, key_value))
        group_rows = [int(row) for row in group.index]
        problems.append(Problem(name, f"rows {', '.join(map(str, group_rows))} have {described} but differ",
                                expected, column=key[0] if len(key) == 1 else " + ".join(key),
                                row=group_rows[0], value=" / ".join(key_value)))
    return problems
