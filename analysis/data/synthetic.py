"""Synthetic customers in the raw four-file format, for scale tests and benchmarks.

The real data have 1300 customers; scoring must cope with a million. Made-up
distributions would test a loader against data nobody will ever send, so the
synthetic files resample the real ones instead: every value, label (typos
included) and number is written exactly as it appears in a real file, in that
file's dialect (`data.RAW_FORMATS` separator and decimal mark, the reference's
line ending). What is new is the combination: each synthetic customer gets a
new id, the market_file.csv row of one random real customer and the
market_money / market_time / money records of other, independently drawn real
customers — so feature vectors are new mixes, not copies of real customers
(though, as with any resampling, a few coincide by chance).

This is one of the few places outside `pipeline.py` and `cli.py` that write files: producing
files is its purpose. Same reference, N and seed give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..constants import RANDOM_STATE, RAW_FILES
from .raw_text import RAW_FORMATS
from .labels import TARGET, raw_column
from .schemas import CUSTOMER_FILE

ID = "id"
LINES_PER_WRITE = 500_000


def write_synthetic_dataset(reference_dir: Path, out_dir: Path, customers: int, *, seed: int = RANDOM_STATE,
                            with_target: bool = True, with_money: bool = True) -> Path:
    """Write `customers` synthetic customers as the four raw files into `out_dir`; return `out_dir`.

    `reference_dir` must hold a valid dataset (e.g. data/raw). Ids are new:
    consecutive from one above the reference's largest id, in file order.
    `with_target=False` leaves out the 'Покупательская активность' column and
    `with_money=False` leaves out money.csv (removing a stale one), as scoring
    inputs may. Every random draw happens whatever those flags say, so the files
    that are written do not depend on them.
    """
    reference_dir, out_dir = Path(reference_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    market_file = _read_as_written(reference_dir / CUSTOMER_FILE)
    first_id = int(pd.to_numeric(market_file[ID]).max()) + 1
    new_ids = np.arange(first_id, first_id + customers, dtype=np.int64)
    for name in RAW_FILES:
        reference = market_file if name == CUSTOMER_FILE else _read_as_written(reference_dir / name)
        ids, rows = _resampled_rows(reference[ID], new_ids, rng)
        if name == CUSTOMER_FILE and not with_target:
            reference = reference.drop(columns=raw_column(CUSTOMER_FILE, TARGET))
        if name == "money.csv" and not with_money:
            (out_dir / name).unlink(missing_ok=True)
            continue
        _write_rows(out_dir / name, reference, ids, rows, _line_ending(reference_dir / name))
    return out_dir


def _read_as_written(path: Path) -> pd.DataFrame:
    """Every cell as text, exactly as in the file (no number parsing, no missing-value guessing)."""
    return pd.read_csv(path, sep=RAW_FORMATS[path.name]["sep"], dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


def _line_ending(path: Path) -> str:
    with path.open("rb") as file:
        return "\r\n" if file.readline().endswith(b"\r\n") else "\n"


def _resampled_rows(reference_ids: pd.Series, new_ids: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(id, reference row position) of every output row: each new id gets all rows of one drawn
    reference customer, in their file order. Vectorised: one gather, no loop over customers."""
    codes, _ = pd.factorize(reference_ids)
    by_customer = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    starts = np.cumsum(sizes) - sizes
    drawn = rng.integers(0, len(sizes), size=len(new_ids))
    rows_per_new = sizes[drawn]
    first_out_row = np.cumsum(rows_per_new) - rows_per_new
    within = np.arange(rows_per_new.sum()) - np.repeat(first_out_row, rows_per_new)
    return np.repeat(new_ids, rows_per_new), by_customer[np.repeat(starts[drawn], rows_per_new) + within]


def _write_rows(path: Path, reference: pd.DataFrame, ids: np.ndarray, rows: np.ndarray, line_end: str) -> None:
    """Write `id` + the reference row's other cells, unquoted as in the real files.

    The rest of each reference line is joined once per reference row and the
    output lines are built with vectorised string operations: pandas' to_csv
    quotes and joins cell by cell in Python (≈ 8 s for a million customers,
    ≈ 4 s this way; the bytes are the same).
    """
    sep = RAW_FORMATS[path.name]["sep"]
    others = reference.drop(columns=ID)
    needs_quotes = others.apply(lambda column: column.str.contains(f'[{sep}"\r\n]')).to_numpy().any()
    if needs_quotes:
        raise ValueError(f"{path.name}: a reference cell would need quoting; the real files have none")
    rest = others.iloc[:, 0].str.cat([others[column] for column in others.columns[1:]], sep=sep)
    lines = pd.Series(ids).astype("str") + sep + rest.iloc[rows].reset_index(drop=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(sep.join(reference.columns) + line_end)
        for start in range(0, len(lines), LINES_PER_WRITE):
            file.write(line_end.join(lines.iloc[start:start + LINES_PER_WRITE].tolist()) + line_end)
