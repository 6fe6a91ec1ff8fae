"""Edit a copy of a raw CSV in its own dialect, so a test can plant exactly one defect.

Rows are numbered as in the file: the header is row 1, the first customer row 2.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.raw_text import RAW_FORMATS


def read_rows(path: Path) -> list[list[str]]:
    sep = RAW_FORMATS[path.name]["sep"]
    return [line.split(sep) for line in path.read_bytes().decode("utf-8-sig").splitlines()]


def write_rows(path: Path, rows: list[list[str]], sep: str | None = None) -> None:
    sep = sep or RAW_FORMATS[path.name]["sep"]
    path.write_bytes("".join(sep.join(row) + "\r\n" for row in rows).encode("utf-8"))


def cell(path: Path, row: int, column: str) -> str:
    rows = read_rows(path)
    return rows[row - 1][rows[0].index(column)]


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def append_row(path: Path, fields: list[str]) -> int:
    """Append a row; return its row number."""
    rows = read_rows(path) + [fields]
    write_rows(path, rows)
    return len(rows)


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    index = rows[0].index(column)
    write_rows(path, [row[:index] + row[index + 1:] for row in rows])


def column_values(path: Path, column: str) -> list[str]:
    rows = read_rows(path)
    index = rows[0].index(column)
    return [row[index] for row in rows[1:]]
