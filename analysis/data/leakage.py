"""The row order of market_file.csv gives the answer away; these measure by how much.

The file lists customers by id, and ids were assigned so that most «Снизилась»
customers come first. The id — or anything derived from the row position — would
let a model "predict" the target perfectly well and learn nothing about behaviour.
That is why `id` is not in `features.FEATURE_COLUMNS` and why every split must shuffle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.tree import DecisionTreeClassifier

from ..constants import POSITIVE_CLASS, RANDOM_STATE
from .labels import TARGET

CV_FOLDS = 5


def id_order_leak(market_file: pd.DataFrame) -> dict:
    """How well the id alone ranks customers by the target (JSON-ready).

    roc_auc_id: ROC-AUC of the id as a score, oriented so 0.5 is chance and 1 perfect;
    smaller_ids_dropped: True when small ids mean «Снизилась»;
    cv_roc_auc_tree: mean ROC-AUC of a depth-3 tree given only the id, in shuffled,
    stratified 5-fold cross-validation — what a model that saw the id would report.
    """
    dropped = (market_file[TARGET] == POSITIVE_CLASS).to_numpy()
    ids = market_file[["id"]].to_numpy()
    auc = roc_auc_score(dropped, ids[:, 0])
    folds = StratifiedKFold(CV_FOLDS, shuffle=True, random_state=RANDOM_STATE)
    tree = DecisionTreeClassifier(max_depth=3, random_state=RANDOM_STATE)
    cv_auc = cross_val_score(tree, ids, dropped, cv=folds, scoring="roc_auc")
    return {
        "customers": int(len(market_file)),
        "roc_auc_id": float(max(auc, 1 - auc)),
        "smaller_ids_dropped": bool(auc < 0.5),
        "cv_roc_auc_tree": float(cv_auc.mean()),
        "cv_folds": CV_FOLDS,
        "ids_sorted_in_file": bool(market_file.sort_index()["id"].is_monotonic_increasing),
    }


def class_share_by_position(market_file: pd.DataFrame, parts: int = 20) -> pd.DataFrame:
    """The share of «Снизилась» in consecutive, equal slices of the file (by row number).

    Columns: part (1 = top of the file), first_row, last_row, id_min, id_max,
    customers, dropped, share_dropped.
    """
    in_file_order = market_file.sort_index()
    rows = []
    for part, positions in enumerate(np.array_split(np.arange(len(in_file_order)), parts), start=1):
        chunk = in_file_order.iloc[positions]
        dropped = int((chunk[TARGET] == POSITIVE_CLASS).sum())
        rows.append({"part": part, "first_row": int(chunk.index.min()), "last_row": int(chunk.index.max()),
                     "id_min": int(chunk["id"].min()), "id_max": int(chunk["id"].max()),
                     "customers": len(chunk), "dropped": dropped, "share_dropped": dropped / len(chunk)})
    return pd.DataFrame(rows)
