"""The headline counts: what came in, what was modelled, where every customer went."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cleaning import CleanData
from ..constants import ACTIVITY_CLASSES, OUTLIER_REVENUE_FACTOR, RAW_FILES
from .load import RawData
from .features import CATEGORICAL_FEATURES, EXCLUSION_REASONS, FEATURE_COLUMNS, NUMERIC_FEATURES, ModelData
from .fetch import sha256_of
from .labels import TARGET


def raw_files_summary(data_dir: Path, raw: RawData) -> pd.DataFrame:
    """One row per raw file: rows, columns, bytes and SHA-256, for the provenance table."""
    rows = []
    for name, frame in raw.frames().items():
        path = Path(data_dir) / name
        rows.append({"file": name, "rows": len(frame), "columns": frame.shape[1],
                     "bytes": path.stat().st_size, "sha256": sha256_of(path)})
    return pd.DataFrame(rows)


def data_provenance(raw_files: pd.DataFrame, fetch_record: dict | None, checksums: dict[str, str],
                    data_dir: Path) -> dict:
    """Which dataset the results were built on, for the methods page and the summary's banner.

    `reference` is decided here from the files' own SHA-256 (`raw_files`) against
    data/SHA256SUMS, never taken from the fetch record: data/raw/ cannot claim to be
    the reference dataset while holding other data. The record (data/raw/PROVENANCE.json)
    only says where the files came from, and only when it describes these very files;
    otherwise the source is the folder the results were built from.
    """
    files = [{"file": row.file, "sha256": row.sha256, "bytes": int(row.bytes),
              "reference_sha256": checksums.get(row.file),
              "matches_reference": row.sha256 == checksums.get(row.file)}
             for row in raw_files.itertuples()]
    recorded = fetch_record is not None and (
        {item["file"]: item["sha256"] for item in fetch_record.get("files", [])}
        == {item["file"]: item["sha256"] for item in files})
    return {
        "reference": all(item["matches_reference"] for item in files),
        "source": fetch_record["source"] if recorded else str(data_dir),
        "source_recorded": recorded,
        "checksums_file": "data/SHA256SUMS",
        "differing_files": [item["file"] for item in files if not item["matches_reference"]],
        "files": files,
    }


def activity_class_counts(market_file: pd.DataFrame) -> pd.DataFrame:
    """Customers per purchasing-activity class (clean labels), in the business's fixed class order."""
    counts = market_file[TARGET].value_counts().reindex(list(ACTIVITY_CLASSES), fill_value=0)
    return pd.DataFrame({"activity": counts.index, "customers": counts.to_numpy(),
                         "share": (counts / counts.sum()).to_numpy()})


def data_summary(clean: CleanData, model: ModelData) -> dict:
    """JSON-ready counts; `raw_customers == modelled_customers + sum(excluded.values())`."""
    excluded = model.exclusions["reason"].value_counts()
    audit = clean.audit
    return {
        "raw_customers": int(len(clean.market_file)),
        "modelled_customers": int(len(model.table)),
        "excluded": {reason: int(excluded.get(reason, 0)) for reason in EXCLUSION_REASONS},
        "excluded_total": int(len(model.exclusions)),
        "ids_only_in_other_files": {file: int((model.orphans["file"] == file).sum()) for file in RAW_FILES[1:]},
        "rows_after_cleaning": {file: int(len(frame)) for file, frame in clean.frames().items()},
        "repeated_rows_dropped": int(audit.loc[audit["step"] == "drop_duplicate_row", "rows"].sum()),
        "label_cells_fixed": int(audit.loc[audit["step"] == "fix_label", "rows"].sum()),
        "modelled_by_activity": {activity: int((model.table[TARGET] == activity).sum())
                                 for activity in ACTIVITY_CLASSES},
        "copy_groups": int(model.copies["copy_group"].nunique()),
        "copy_customers": int(len(model.copies)),
        "features": len(FEATURE_COLUMNS),
        "numeric_features": len(NUMERIC_FEATURES),
        "categorical_features": len(CATEGORICAL_FEATURES),
        "outlier_revenue_factor": OUTLIER_REVENUE_FACTOR,
    }
