"""The headline counts: what came in, what was modelled, where every customer went."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cleaning import CleanData
from .constants import ACTIVITY_CLASSES, OUTLIER_REVENUE_FACTOR, RAW_FILES
from .data import RawData
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
