"""Cleaning with an audit trail: every change to the raw data is a row someone can check.

Three fixes, in this order, for each file:
1. columns get their English code names (`labels.COLUMNS`);
2. every categorical label becomes its allowed spelling: the known misspellings
   (`labels.LABEL_FIXES`) and any difference of case, spacing or ё/е;
3. rows that repeat an earlier row exactly (after 2.) are dropped, the first kept:
   they carry no extra information. Two different rows for one key are not a
   cleaning matter — nobody can tell which is true — and validation rejects them.

Cleaning is idempotent: cleaning clean data changes nothing and audits nothing.
Scoring inputs may lack the target column and money.csv; cleaning cleans what
is there (`CleanData.money` is then None).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import RAW_FILES
from .load import RawData
from ..errors import InvalidInputError
from .labels import ALLOWED_LABELS, COLUMNS, LABEL_FIXES, canonical_series, label_key, raw_column
from .schemas import ROW_KEYS, rows_sharing_a_key

AUDIT_COLUMNS = ["step", "file", "column", "before", "after", "rows", "rule"]
LABEL_COLUMNS = ["file", "column", "label", "rows", "clean_label", "fix"]

RENAME_RULE = "имена столбцов в коде — английские snake_case; русские подписи — labels.DISPLAY_LABELS"
TYPO_RULE = "известная опечатка (labels.LABEL_FIXES)"
SPELLING_RULE = "та же метка с другим регистром, пробелами или ё/е"
DUPLICATE_RULE = "строка целиком повторяет более раннюю: оставлена первая, повтор удалён"


@dataclass(frozen=True)
class CleanData:
    """The four files with code column names, allowed labels and no repeated rows.

    Frames keep the raw row numbers as index. `audit` has AUDIT_COLUMNS, one row per
    change; `labels` lists every distinct raw label of every categorical column
    with its row count and clean form, so a reader can see nothing else needed fixing.
    `money` is None when money.csv was absent (scoring input).
    """

    market_file: pd.DataFrame
    market_money: pd.DataFrame
    market_time: pd.DataFrame
    money: pd.DataFrame | None
    audit: pd.DataFrame
    labels: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """`{file name: frame}` of the files present, in the order of RAW_FILES."""
        frames = zip(RAW_FILES, (self.market_file, self.market_money, self.market_time, self.money))
        return {name: frame for name, frame in frames if frame is not None}


def clean(raw: RawData) -> CleanData:
    """Clean every file present; the audit lists files in RAW_FILES order."""
    frames, audits, labels = {}, [], []
    for file, frame in raw.frames().items():
        frames[file], audit, inventory = clean_table(file, frame)
        audits.append(audit)
        labels.append(inventory)
    return CleanData(*(frames.get(file) for file in RAW_FILES), audit=_concat(audits, AUDIT_COLUMNS),
                     labels=_concat(labels, LABEL_COLUMNS))


def clean_table(file: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(clean frame, audit rows, label inventory) for one file, raw or already clean."""
    audit = [
        _audit("rename_column", file, raw, raw, code, len(frame), RENAME_RULE)
        for raw, code in COLUMNS[file].items() if raw in frame and raw != code
    ]
    cleaned = frame.rename(columns=COLUMNS[file])
    inventory = []
    for column in ALLOWED_LABELS[file]:
        if column not in cleaned:  # the target, absent from a scoring input
            continue
        raw = raw_column(file, column)
        before = cleaned[column]
        after = canonical_series(file, column, before)
        unknown = before.notna() & after.isna()
        if unknown.any():
            raise InvalidInputError(f"{file}, column '{raw}': labels "
                                    f"{sorted(set(before[unknown]))} cannot be cleaned; validate first")
        for (label, clean_label), rows in _label_counts(file, column, before).items():
            fix = "" if label == clean_label else _fix_kind(column, label)
            inventory.append({"file": file, "column": raw, "label": label, "rows": int(rows),
                              "clean_label": clean_label, "fix": fix})
            if fix:
                audit.append(_audit("fix_label", file, raw, label, clean_label, int(rows),
                                    TYPO_RULE if fix == "typo" else SPELLING_RULE))
        cleaned[column] = after
    cleaned, dropped = drop_repeated_rows(file, cleaned)
    if len(dropped):
        audit.append(_audit("drop_duplicate_row", file, "(все столбцы)",
                            f"строки {_row_list(dropped.index)} повторяют более ранние",
                            "удалены", len(dropped), DUPLICATE_RULE))
    return cleaned, _concat([pd.DataFrame(audit)], AUDIT_COLUMNS), _concat([pd.DataFrame(inventory)], LABEL_COLUMNS)


def _label_counts(file: str, column: str, labels: pd.Series) -> pd.Series:
    """Rows per (raw label, clean label), in order of first appearance, missing labels left out.

    The clean label is a function of the raw one, so the raw labels are counted
    and each distinct one is cleaned once.
    """
    codes, distinct = pd.factorize(labels)
    clean_labels = canonical_series(file, column, pd.Series(distinct, dtype=labels.dtype))
    rows = pd.Series(np.bincount(codes[codes >= 0], minlength=len(distinct)),
                     index=pd.MultiIndex.from_arrays([distinct, clean_labels]))
    return rows[clean_labels.notna().to_numpy()]


def drop_repeated_rows(file: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, dropped): exact repeats of an earlier row are dropped.

    Raises InvalidInputError if a key is still shared by different rows. Only rows
    whose key occurs more than once can be repeats or conflicts, so a frame with
    unique keys (the usual case) is returned as it is after one check of the key.
    """
    key = list(ROW_KEYS[file])
    shared_key = rows_sharing_a_key(frame, key)
    if not shared_key.any():
        return frame, frame.iloc[:0]
    repeated = np.zeros(len(frame), dtype=bool)
    repeated[shared_key] = frame.loc[shared_key].duplicated(keep="first").to_numpy()
    kept = frame.loc[~repeated]
    conflicts = kept[kept.duplicated(key, keep=False)]
    if len(conflicts):
        raise InvalidInputError(f"{file}: rows {_row_list(conflicts.index)} share {key} but differ; "
                                "expected one row per key — validate first")
    return kept, frame.loc[repeated]


def _fix_kind(column: str, label: str) -> str:
    typos = {label_key(typo) for typo in LABEL_FIXES.get(column, {})}
    return "typo" if label_key(label) in typos else "spelling"


def _audit(step: str, file: str, column: str, before: str, after: str, rows: int, rule: str) -> dict:
    return {"step": step, "file": file, "column": column, "before": before, "after": after,
            "rows": rows, "rule": rule}


def _row_list(rows, limit: int = 10) -> str:
    rows = [str(row) for row in rows]
    return ", ".join(rows[:limit]) + (f" и ещё {len(rows) - limit}" if len(rows) > limit else "")


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype="int64" if column == "rows" else "str")
                             for column in columns})
    return pd.concat(frames, ignore_index=True)[columns]
