"""The model search: one pipeline shape, a search space per family, folds that keep copies together.

Every candidate is the same `Pipeline`: engineered features → `ColumnTransformer`
(one-hot for the popular category, ordinal for the ordered service type and
permission, a scaler for the numbers — the scaler is part of the search) → model.
Each family is tuned by `GridSearchCV` on ROC-AUC over repeated stratified folds
that keep each copy group (`features.copy_groups`) on one side, so a customer's
copy is never both learnt from and scored. Pipelines take exactly
`FEATURE_COLUMNS`: no id, copy group or profit.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier,
                              VotingClassifier)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from ..constants import POSITIVE_CLASS, RANDOM_STATE
from ..data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, NUMERIC_FEATURES
from ..data.labels import ALLOWED_LABELS, TARGET
from .model_features import ENGINEERED_FEATURES, add_engineered_features

# Categories with a natural order are encoded as one ordered number (low -> high);
# the rest are one-hot encoded.
ORDERED_CATEGORIES = {"service_type": ("стандарт", "премиум"), "allow_messages": ("нет", "да")}
NOMINAL_CATEGORIES = tuple(c for c in CATEGORICAL_FEATURES if c not in ORDERED_CATEGORIES)

SCALERS = {"standard": StandardScaler(), "minmax": MinMaxScaler(), "none": "passthrough"}
SCALER_LABELS = {"standard": "StandardScaler", "minmax": "MinMaxScaler", "none": "без масштабирования"}

SEARCH_SPLITS, SEARCH_REPEATS = 5, 2        # folds the grid search scores every candidate on
COMPARISON_SPLITS, COMPARISON_REPEATS = 5, 5  # fresh folds the families' winners are compared on
ENSEMBLE_SIZE = 3
# A candidate memorises when its ROC-AUC on the rows it was fitted on exceeds its ROC-AUC on
# the held-out fold by more than this (both averaged over the search's folds). Such a model
# returns near-copies of the training labels, so its in-sample predictions — what `score`
# returns for a known customer, what an explanation of the final model explains — mean nothing.
MAX_MEMORISATION_GAP = 0.05


def target_vector(table: pd.DataFrame) -> np.ndarray:
    """1 for the positive class («Снизилась»), else 0."""
    return (table[TARGET] == POSITIVE_CLASS).to_numpy(dtype=int)


def model_inputs(table: pd.DataFrame) -> pd.DataFrame:
    """The columns a model may see, in `FEATURE_COLUMNS` order."""
    return table[list(FEATURE_COLUMNS)]


class RepeatedStratifiedGroupKFold:
    """`StratifiedGroupKFold` with shuffling, repeated with seeds random_state, random_state+1, ...

    scikit-learn's RepeatedStratifiedKFold cannot keep groups together; this can.
    Usable as `cv=` wherever `groups=` is passed on to `split`.
    """

    def __init__(self, n_splits: int = 5, n_repeats: int = 5, random_state: int = RANDOM_STATE):
        self.n_splits, self.n_repeats, self.random_state = n_splits, n_repeats, random_state

    def split(self, X, y, groups) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if groups is None:
            raise ValueError("RepeatedStratifiedGroupKFold needs groups (the copy groups)")
        for repeat in range(self.n_repeats):
            folds = StratifiedGroupKFold(self.n_splits, shuffle=True, random_state=self.random_state + repeat)
            yield from folds.split(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits * self.n_repeats


def preprocessor(scaler="standard", numeric: tuple[str, ...] | None = None,
                 categorical: tuple[str, ...] = CATEGORICAL_FEATURES) -> ColumnTransformer:
    """One-hot for nominal categories, ordinal for ordered ones, a scaler for numbers.

    `scaler` is a `SCALERS` name or a scaler (or "passthrough"). `numeric` defaults
    to the table's numbers plus the engineered features; columns not listed are
    dropped (that is how a feature is left out).
    """
    numeric = tuple(NUMERIC_FEATURES + ENGINEERED_FEATURES) if numeric is None else numeric
    scaler = SCALERS.get(scaler, scaler) if isinstance(scaler, str) else scaler
    nominal = [c for c in categorical if c in NOMINAL_CATEGORIES]
    ordered = [c for c in categorical if c in ORDERED_CATEGORIES]
    parts = [("numeric", clone(scaler) if scaler != "passthrough" else "passthrough", list(numeric))]
    if nominal:
        parts.append(("nominal", OneHotEncoder(categories=[list(ALLOWED_LABELS["market_file.csv"][c]) for c in nominal],
                                               handle_unknown="ignore", sparse_output=False), nominal))
    if ordered:
        parts.append(("ordered", OrdinalEncoder(categories=[list(ORDERED_CATEGORIES[c]) for c in ordered]), ordered))
    return ColumnTransformer(parts, verbose_feature_names_out=False)


def build_pipeline(model, scaler="standard", engineered: tuple[str, ...] = ENGINEERED_FEATURES,
                   drop: tuple[str, ...] = ()) -> Pipeline:
    """engineered features -> encoding and scaling -> `model`; `drop` leaves input columns out."""
    numeric = tuple(c for c in NUMERIC_FEATURES + tuple(engineered) if c not in drop)
    categorical = tuple(c for c in CATEGORICAL_FEATURES if c not in drop)
    return Pipeline([
        ("features", FunctionTransformer(add_engineered_features, kw_args={"names": tuple(engineered)})),
        ("prepare", preprocessor(scaler, numeric, categorical)),
        ("model", model),
    ])


def variant(model, engineered: tuple[str, ...] | None = None, drop: tuple[str, ...] = ()):
    """The same (unfitted) pipeline — or soft vote of pipelines — on other columns.

    Keeps each pipeline's scaler, model settings and the columns it already leaves out;
    `engineered` (None: keep) replaces the engineered features, `drop` leaves more out.
    """
    if isinstance(model, VotingClassifier):
        return VotingClassifier([(name, variant(member, engineered, drop)) for name, member in model.estimators],
                                voting=model.voting)
    current = tuple(model.named_steps["features"].kw_args["names"])
    listed = {c for _, _, columns in model.named_steps["prepare"].transformers for c in columns}
    already = tuple(c for c in FEATURE_COLUMNS + current if c not in listed)
    scaler = model.named_steps["prepare"].transformers[0][1]
    return build_pipeline(clone(model.named_steps["model"]), scaler,
                          current if engineered is None else tuple(engineered), tuple(dict.fromkeys(already + drop)))


@dataclass(frozen=True)
class Family:
    """A model family: its estimator, its grid (pipeline parameter names) and how it is shown."""

    name: str
    label: str
    role: str            # "published" (every published solution uses it), "challenger" or "ensemble"
    model: object
    grid: dict
    # Trees get no engineered features: they form interactions by their own splits, and a
    # column computed from two features (pages × minutes) would stop TreeSHAP from crediting
    # each original feature exactly.
    engineered: tuple[str, ...] = ENGINEERED_FEATURES

    def pipeline(self) -> Pipeline:
        """The family's unfitted pipeline before its grid is applied."""
        return build_pipeline(clone(self.model), engineered=self.engineered)


# Trees of a forest that scores customers (fold models, final model), and how deep they grow.
# Issue 15 asks that a customer's top driver be the same whichever seed grew the trees (explain.json's
# seed check, aim ≥ 95 % of customers); scoring pays for every tree on every customer
# (`bench/scoring.py`: 1M customers in ≤ 60 s on 2 cores). Measured here, top driver between seeds
# 42/43 with every fold model and the final model refitted / comparison-fold ROC-AUC (200 trees) /
# `python -m analysis score` on 1M synthetic customers with sklearn's predict_proba:
#   grown to the leaves (depth ~10), 1 000 trees: 0.888 / 0.9129 / 35 s;
#   depth 5, 2 000 trees: 0.930 / 0.9114 / 44 s;  depth 5, 4 000 trees: 0.955 / 0.9114 / 73 s;
#   depth 4, 4 000 trees: 0.958 / ~0.909;  depth 5 with max_features 0.5, 3 000 trees: 0.961 / 0.9076
#   (both too far below the best model for choose_model's rule).
# Scoring now predicts with forest_inference.py (sklearn's average, ~3× faster), so more trees are
# affordable. Top driver between seed pairs 42/43, 44/43 and 7/43 (forests refitted as above):
#   4 000 trees 0.955 / 0.954 / 0.948;  5 000 trees 0.960 / – / 0.955;  6 000 trees 0.964 / – / 0.960.
# So depth 5 with 5 000 trees: ≥ 95 % for every pair tried, the ROC-AUC held, and 1M customers
# scored well within the budget. The search compares 200-tree forests of this depth; only the kept
# forests get STABLE_TREES. Only the final model is saved (skops); the explain stage refits the fold
# models (model_stage.cross_fit_training_part).
STABLE_DEPTH = 5
STABLE_TREES = 5000


def _scaler_grid(names=tuple(SCALERS)) -> dict:
    return {"prepare__numeric": [clone(SCALERS[n]) if n != "none" else "passthrough" for n in names]}


def families() -> tuple[Family, ...]:
    """The searched families. Trees are searched without scalers: scaling cannot change a split."""
    return (
        Family("knn", "k ближайших соседей", "published", KNeighborsClassifier(), {
            **_scaler_grid(), "model__n_neighbors": [15, 25, 40, 60],
            "model__weights": ["uniform", "distance"], "model__p": [1, 2]}),
        Family("tree", "Дерево решений", "published", DecisionTreeClassifier(random_state=RANDOM_STATE), {
            **_scaler_grid(("none",)), "model__max_depth": [3, 4, 5, 6, 8],
            "model__min_samples_leaf": [5, 10, 20, 40], "model__criterion": ["gini", "entropy"]}, ()),
        Family("logreg", "Логистическая регрессия", "published",
               LogisticRegression(solver="saga", max_iter=300, random_state=RANDOM_STATE), {
            **_scaler_grid(), "model__C": [0.003, 0.01, 0.03, 0.1, 0.3, 1.0],
            "model__l1_ratio": [0.0, 0.5, 1.0]}),
        Family("svc", "Метод опорных векторов", "published", SVC(kernel="rbf"), {
            **_scaler_grid(), "model__C": [0.25, 0.5, 1.0, 2.0],
            "model__gamma": [0.01, 0.02, 0.04, "scale"]}),
        Family("boosting", "Градиентный бустинг", "challenger",
               HistGradientBoostingClassifier(early_stopping=False, random_state=RANDOM_STATE), {
            **_scaler_grid(("none",)), "model__learning_rate": [0.03, 0.1], "model__max_depth": [2, 3],
            "model__max_iter": [100, 300], "model__l2_regularization": [0.0, 1.0]}),
        Family("extra_trees", "Extra Trees (случайные деревья)", "challenger",
               ExtraTreesClassifier(n_estimators=200, n_jobs=1, random_state=RANDOM_STATE), {
            **_scaler_grid(("none",)), "model__max_depth": [STABLE_DEPTH], "model__max_features": ["sqrt", 0.5],
            "model__min_samples_leaf": [10, 20, 40]}, ()),
    )


FAMILY_LABELS = {f.name: f.label for f in families()} | {
    "ensemble": "Ансамбль: мягкое голосование",
    "ensemble_selected": "Ансамбль без бесполезных признаков",
}
FAMILY_ROLES = {f.name: f.role for f in families()} | {"ensemble": "ensemble", "ensemble_selected": "ensemble"}


def readable_params(params: dict) -> dict:
    """Grid-search parameters as plain JSON values: `{"scaler": "standard", "C": 0.5, ...}`."""
    readable = {}
    for key, value in params.items():
        if key == "prepare__numeric":
            readable["scaler"] = next(name for name, scaler in SCALERS.items()
                                      if (scaler == "passthrough" and value == "passthrough")
                                      or (scaler != "passthrough" and type(value) is type(scaler)))
        else:
            readable[key.removeprefix("model__")] = value.item() if isinstance(value, np.generic) else value
    return readable


def with_probabilities(pipeline: Pipeline) -> Pipeline:
    """The pipeline able to `predict_proba`: an SVC gets Platt scaling on inner shuffled folds.

    (`SVC(probability=True)` is deprecated; with `ensemble=False` the SVC is refitted on
    all the rows it is given, so its ranking — and ROC-AUC — is the decision function's.)
    """
    model = pipeline.named_steps["model"]
    if not isinstance(model, SVC):
        return pipeline
    calibrated = CalibratedClassifierCV(model, cv=StratifiedKFold(5, shuffle=True, random_state=RANDOM_STATE),
                                        ensemble=False)
    return Pipeline([*pipeline.steps[:-1], ("model", calibrated)])


# Forests of classification trees: more trees, less of the trees' own randomness (STABLE_TREES);
# their probability is the trees' average, which model/forest_inference.py computes fast.
FORESTS = (ExtraTreesClassifier, RandomForestClassifier)
# Estimators whose predict_proba is an average of leaf class frequencies: TreeSHAP credits
# every probability point to the features exactly, in probability space.
EXACT_TREE_ESTIMATORS = (DecisionTreeClassifier, *FORESTS)


def final_forest(model):
    """The forest (one of FORESTS) a pipeline ends in — or `model` itself if it is one — else None."""
    last = model.steps[-1][1] if isinstance(model, Pipeline) else model
    return last if isinstance(last, FORESTS) else None


def has_exact_contributions(pipeline) -> bool:
    """True if the pipeline's probability splits exactly over the original features (TreeSHAP).

    Needs a probability-averaging tree model behind transforms that map each column to one
    original feature: no engineered features (pages × minutes mixes two features).
    """
    if not isinstance(pipeline, Pipeline) or not isinstance(pipeline.steps[-1][1], EXACT_TREE_ESTIMATORS):
        return False
    return not pipeline.named_steps["features"].kw_args["names"]


def with_stable_trees(pipeline):
    """The pipeline with STABLE_TREES trees if it ends in a forest (threads: 2 cores), else unchanged."""
    if not isinstance(pipeline, Pipeline) or final_forest(pipeline) is None:
        return pipeline
    return clone(pipeline).set_params(model__n_estimators=STABLE_TREES, model__n_jobs=2)


def soft_vote(members: dict[str, Pipeline]) -> VotingClassifier:
    """Average of the members' probabilities (each member is a whole pipeline)."""
    return VotingClassifier([(name, with_probabilities(p)) for name, p in members.items()], voting="soft")


@dataclass(frozen=True)
class FamilySearch:
    """One family's grid search: the winning (unfitted) pipeline and how it scored.

    `pipeline` is the winner as searched (an SVC ranks by its decision function);
    `probabilistic` is the same pipeline able to `predict_proba`. The winner is the
    best mean held-out ROC-AUC among candidates whose `memorisation_gap` (mean
    ROC-AUC on their own training rows minus held-out, over the search's folds) is at
    most MAX_MEMORISATION_GAP; `memorising` candidates were set aside for exceeding it.
    """

    family: str
    pipeline: Pipeline
    params: dict
    search_mean: float
    search_std: float
    candidates: int
    seconds: float
    memorisation_gap: float = float("nan")
    memorising: int = 0

    @property
    def probabilistic(self) -> Pipeline:
        return with_probabilities(self.pipeline)


def best_candidate(cv_results: dict, max_gap: float = MAX_MEMORISATION_GAP) -> int:
    """Index of the best mean held-out score among candidates that do not memorise.

    `cv_results` is GridSearchCV's (fitted with return_train_score=True). If every
    candidate memorises, the one with the smallest gap is returned (it is reported as such).
    """
    test = np.asarray(cv_results["mean_test_score"], float)
    gap = np.asarray(cv_results["mean_train_score"], float) - test
    eligible = gap <= max_gap
    if not eligible.any():
        return int(np.argmin(gap))
    return int(np.flatnonzero(eligible)[np.argmax(test[eligible])])


def search_family(family: Family, X: pd.DataFrame, y: np.ndarray, groups: np.ndarray,
                  cv: RepeatedStratifiedGroupKFold | None = None, n_jobs: int = -1) -> FamilySearch:
    """Grid-search one family on ROC-AUC over grouped folds; returns the best non-memorising pipeline unfitted."""
    cv = cv or RepeatedStratifiedGroupKFold(SEARCH_SPLITS, SEARCH_REPEATS, RANDOM_STATE)
    started = time.perf_counter()
    search = GridSearchCV(family.pipeline(), family.grid, scoring="roc_auc", cv=cv,
                          n_jobs=n_jobs, refit=False, error_score="raise", return_train_score=True)
    with warnings.catch_warnings():
        # saga on unscaled numbers (the "none" scaler) stops at max_iter; those candidates lose anyway.
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y, groups=groups)
    results = search.cv_results_
    best = best_candidate(results)
    gaps = np.asarray(results["mean_train_score"], float) - np.asarray(results["mean_test_score"], float)
    params = results["params"][best]
    pipeline = family.pipeline().set_params(**params)
    return FamilySearch(family.name, pipeline, readable_params(params),
                        float(results["mean_test_score"][best]), float(results["std_test_score"][best]),
                        len(results["params"]), time.perf_counter() - started,
                        float(gaps[best]), int((gaps > MAX_MEMORISATION_GAP).sum()))


def search_all(X: pd.DataFrame, y: np.ndarray, groups: np.ndarray, family_list: tuple[Family, ...] | None = None,
               log: Callable[[str], None] = lambda _: None, n_jobs: int = -1) -> dict[str, FamilySearch]:
    """Every family's search, in order, with one progress line per family through `log`."""
    found = {}
    for family in family_list or families():
        result = search_family(family, X, y, groups, n_jobs=n_jobs)
        found[family.name] = result
        log(f"  {family.name:<12} {result.candidates:>3} candidates × "
            f"{SEARCH_SPLITS * SEARCH_REPEATS} folds: ROC-AUC {result.search_mean:.4f} ± {result.search_std:.4f}, "
            f"gap {result.memorisation_gap:.3f} ({result.memorising} memorising set aside)"
            f"  ({result.seconds:.1f} s)  {result.params}")
    return found
