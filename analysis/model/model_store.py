"""The chosen fitted pipeline on disk: skops, never pickle, loaded with an explicit trust list.

skops refuses to build any type it has not been told to trust, so a tampered
model file cannot run arbitrary code when it is loaded. The list below is every
type a pipeline of `modeling.families()` (and their soft vote) needs beyond the
ones skops trusts by default; `load_model` trusts exactly these.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import skops.io as sio

from ..paths import RESULTS_DIR

MODEL_FILE = "model.skops"
# The cross-fitted fold models are not stored: the explain stage refits them (deterministic,
# model_stage.cross_fit_training_part), which is faster than skops for thousands of trees.

TRUSTED_TYPES = (
    "analysis.model.model_features.add_engineered_features",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.tree._tree.Tree",
    "sklearn.utils._bunch.Bunch",
)


def serialise(model) -> bytes:
    """The fitted model as skops bytes (compressed); `pipeline.py` writes them to results/model.skops."""
    return sio.dumps(model, compression=zipfile.ZIP_DEFLATED)


def untrusted_types(path: Path) -> list[str]:
    """Types in the file that skops would refuse without being told to trust them."""
    return sio.get_untrusted_types(file=path)


def load_model(path: Path = RESULTS_DIR / MODEL_FILE):
    """The fitted pipeline saved by `build-results`; it takes a DataFrame of FEATURE_COLUMNS
    and `predict_proba(...)[:, 1]` is P(«Снизилась»). Fails on any type not in TRUSTED_TYPES."""
    return sio.load(path, trusted=list(TRUSTED_TYPES))

