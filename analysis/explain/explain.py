"""Why a customer is at risk: SHAP values of the chosen pipeline, per customer and original feature.

`explain_model` takes any fitted scikit-learn classifier (usually a Pipeline) that
accepts a DataFrame of `FEATURE_COLUMNS`, and returns one SHAP value per customer
and *original* feature: one-hot and other derived columns are summed back to the
feature they come from, so a reader sees «Популярная категория», not
`cat__popular_category_Товары для детей`.

The explainer is chosen by the pipeline's final estimator, fastest exact one first:

- linear (LogisticRegression, SGD, ...): shap.LinearExplainer on the transformed
  matrix, background = every explained customer; output space log-odds;
- tree ensembles (forests, HistGradientBoosting, LightGBM, ...): shap.TreeExplainer
  (tree_path_dependent, base value = average over the training data); the output
  space is the one the trees report — probability for scikit-learn forests,
  log-odds for boosting — and is recognised by checking additivity against both;
- anything else (SVC, KNN, voting, stacking, calibrated models), and any pipeline
  whose transformed columns cannot be attributed to single original features:
  antithetic permutation sampling over the original features with an independent
  masker on a fixed background sample (the algorithm of shap.PermutationExplainer,
  vectorised over customers — see `permutation_shapley`); output space probability.

Every path is checked: base value + sum of SHAP values must equal the model output
for every customer within `ADDITIVITY_TOLERANCE`, or the next path is tried / an
error is raised. Seeds are fixed, so the same pipeline and customers give the same
values on every run (the result can be cached on the model file and model table).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import POSITIVE_CLASS, RANDOM_STATE
from ..errors import OneClickError
from ..data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, FEATURE_LABELS, NUMERIC_FEATURES
from ..data.labels import TARGET
from .shapley import background_sample, permutation_shapley

# |base value + sum of SHAP values − model output| allowed, in the output space.
ADDITIVITY_TOLERANCE = 1e-6
# Decimals of model_output in shap_values.csv (see shap_table).
OUTPUT_DECIMALS = 12
# Model-agnostic path: customers in the masking background, and antithetic permutations
# per customer. 50 × 2 explains the chosen soft vote (SVC + ExtraTrees + KNN) of all
# customers in about a minute on 2 cores (bench/explain.py); the chapter states the
# resulting standard error of a single value.
BACKGROUND_SIZE = 50
PERMUTATIONS = 2
N_JOBS = 2

# What a SHAP value is measured in (report/explain_words.py words each).
OUTPUT_SPACES = ("probability", "log-odds", "decision function")
# The explainer paths, fastest first (report/explain_words.py names each).
EXPLAINERS = ("linear", "tree", "permutation")

# Conclusions of published solutions of this project, to agree or disagree with (their wording:
# report/explain_words.CLAIMS, by the code). expected_sign: +1 = a larger value means a higher
# risk of «Снизилась», −1 = a smaller one; 0 for a category (the claim is that the category matters).
PUBLISHED_CLAIMS = (
    ("less_time_on_site", ("minutes_previous_month", "minutes_current_month"), -1),
    ("fewer_pages", ("pages_per_visit",), -1),
    ("fewer_marketing_contacts", ("market_activity_6m",), -1),
    ("more_unpaid_items", ("unpaid_items_quarter",), 1),
    ("more_promo_purchases", ("promo_share",), 1),
    ("popular_category_matters", ("popular_category",), 0),
)
# A claim is confirmed when its feature is among this many strongest (by mean |SHAP|),
# partly confirmed when among twice as many.
STRONG_RANK = 5
# compare_with_published's verdicts, strongest agreement first.
VERDICTS = ("agree", "partly", "disagree")
# A feature whose |SHAP| never exceeds this is not used by the model: what remains is
# floating-point noise (the same row can score 1e-17 apart in different batches).
NUMERICAL_ZERO = 1e-12
# Mean contributions of categories closer than this (probability, 1 p.p.) are not a claim.
CATEGORY_SPREAD = 0.01


class ExplainError(OneClickError):
    """The pipeline cannot be explained, or its explanation failed the additivity check."""


class _NotExact(Exception):
    """A fast explainer does not apply to this pipeline exactly; try the next one.

    `reason` is the code and its details ({"code": ..., ...}; report/explain_words.py words
    it as Explanation.fallback_reason); the message says the same in English, for errors."""

    def __init__(self, message: str, code: str, **details):
        super().__init__(message)
        self.reason = {"code": code, **details}


@dataclass(frozen=True)
class _PathResult:
    """What one explainer path computed (arrays in FEATURE_COLUMNS order)."""

    values: np.ndarray
    base: float
    output: np.ndarray
    space: str
    explainer: str
    background: dict
    background_size: int | None = None
    permutations: int | None = None
    standard_error: np.ndarray | None = None


@dataclass(frozen=True)
class Explanation:
    """SHAP values of one fitted pipeline for a set of customers.

    values:         index id, columns FEATURE_COLUMNS; in `output_space`.
    base_value:     the expected model output the values start from (same for everyone).
    model_output:   index id; base_value + values.sum(axis=1) equals it within `tolerance`.
    probability:    index id; P(«Снизилась») from the pipeline (NaN if it has no predict_proba).
    output_space:   one of OUTPUT_SPACES.
    explainer:      one of EXPLAINERS; `fallback_reason` says why a faster path was not used
                    (None, or {"code": ..., details}: see _NotExact).
    background:     what the base value averages over, as a code and its details:
                    {"code": "explained_customers" | "training_data"} for the exact paths,
                    {"code": "background_sample", "customers": n, "random_state": seed}.
    standard_error: like `values`, for the permutation path only: how much each value
                    would move with another background sample (exact paths: None).
    """

    values: pd.DataFrame
    base_value: float
    model_output: pd.Series
    probability: pd.Series
    output_space: str
    explainer: str
    background: dict
    background_size: int | None
    permutations: int | None
    seconds: float
    tolerance: float = ADDITIVITY_TOLERANCE
    fallback_reason: dict | None = None
    n_jobs: int = 1
    standard_error: pd.DataFrame | None = None
    estimator: str = ""
    base_values: pd.Series | None = None

    @property
    def base_by_customer(self) -> pd.Series:
        """Each customer's base value: one model's is the same for all; cross-fitted
        explanations (crossfit_explain.py) start each customer from their own model's."""
        if self.base_values is not None:
            return self.base_values
        return pd.Series(self.base_value, index=self.values.index, name="base_value")

    def additivity_error(self) -> pd.Series:
        """|base + sum of values − model output| per customer."""
        return (self.base_by_customer + self.values.sum(axis=1) - self.model_output).abs()


def positive_class_index(classes) -> int:
    """Position of «Снизилась» among the estimator's classes (also accepts 0/1 or False/True)."""
    classes = list(classes)
    for candidate in (POSITIVE_CLASS, 1, True):
        if candidate in classes:
            return classes.index(candidate)
    raise ExplainError(f"model classes {classes}: expected «{POSITIVE_CLASS}» (or 1) among them")


def explain_model(pipeline, customers: pd.DataFrame, *, background_size: int = BACKGROUND_SIZE,
                  permutations: int = PERMUTATIONS, random_state: int = RANDOM_STATE,
                  n_jobs: int = N_JOBS, method: str = "auto",
                  background: pd.DataFrame | None = None) -> Explanation:
    """SHAP values of `pipeline` for `customers` (an `id` column plus FEATURE_COLUMNS).

    `method`: "auto" picks linear → tree → permutation, the first that applies exactly;
    "linear" / "tree" insist on that explainer (ExplainError if it does not apply);
    "permutation" forces the model-agnostic path. `background_size`, `permutations`
    and `n_jobs` (threads) apply to the permutation path only, as does `background`:
    the customers the masking sample is drawn from (default: `customers` themselves;
    the scorer passes the reference customers, so new customers are explained against
    the report's background). Raises ExplainError if the additivity check fails.
    """
    started = time.perf_counter()
    ids = pd.Index(customers["id"], name="id")
    features = customers[list(FEATURE_COLUMNS)].reset_index(drop=True)
    positive = positive_class_index(pipeline.classes_)
    probability = (pipeline.predict_proba(features)[:, positive] if hasattr(pipeline, "predict_proba")
                   else np.full(len(features), np.nan))
    reason = None
    result = None
    if method in ("auto", "linear", "tree"):
        try:
            result = _explain_transformed(pipeline, features, positive, probability, method)
        except _NotExact as why:
            reason = why.reason
            if method != "auto":
                raise ExplainError(f"cannot use the {method} explainer: {why}") from None
    if result is None:
        reference = features if background is None else background[list(FEATURE_COLUMNS)].reset_index(drop=True)
        result = _explain_permutation(pipeline, features, reference, background_size, permutations,
                                      random_state, n_jobs)

    def per_feature(array: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(array, index=ids, columns=list(FEATURE_COLUMNS))

    explanation = Explanation(
        values=per_feature(result.values), base_value=float(result.base),
        model_output=pd.Series(result.output, index=ids, name="model_output"),
        probability=pd.Series(probability, index=ids, name="probability"),
        output_space=result.space, explainer=result.explainer, background=result.background,
        background_size=result.background_size, permutations=result.permutations,
        seconds=time.perf_counter() - started, fallback_reason=reason, estimator=_estimator_name(pipeline),
        n_jobs=n_jobs if result.explainer == "permutation" else 1,
        standard_error=None if result.standard_error is None else per_feature(result.standard_error))
    worst = float(explanation.additivity_error().max())
    if not worst <= ADDITIVITY_TOLERANCE:
        customer = explanation.additivity_error().idxmax()
        raise ExplainError(f"the {result.explainer} explainer on {explanation.estimator}: base value + SHAP values "
                           f"differ from the model output by {worst:.3g} for id {customer} "
                           f"(tolerance {ADDITIVITY_TOLERANCE:g})")
    return explanation


def _estimator_name(model) -> str:
    """The final estimator's class, with members for ensembles and calibration wrappers:
    `VotingClassifier(CalibratedClassifierCV(SVC), ExtraTreesClassifier, KNeighborsClassifier)`."""
    steps = getattr(model, "steps", None)
    if steps:
        return _estimator_name(steps[-1][1])
    members = getattr(model, "estimators", None)
    if isinstance(members, list) and members:
        return f"{type(model).__name__}(" + ", ".join(
            _estimator_name(member[1] if isinstance(member, tuple) else member) for member in members) + ")"
    from sklearn.ensemble import BaseEnsemble

    inner = getattr(model, "estimator", None)  # calibration and other wrappers, not tree ensembles
    if inner is not None and not isinstance(inner, str) and not isinstance(model, BaseEnsemble):
        return f"{type(model).__name__}({_estimator_name(inner)})"
    return type(model).__name__


def _explain_transformed(pipeline, features: pd.DataFrame, positive: int, probability: np.ndarray,
                         method: str):
    from sklearn.linear_model._base import LinearClassifierMixin

    steps = getattr(pipeline, "steps", None)
    preprocess = pipeline[:-1] if steps and len(steps) > 1 else None
    estimator = steps[-1][1] if steps else pipeline
    is_linear = isinstance(estimator, LinearClassifierMixin) and np.shape(estimator.coef_)[0] == 1
    if method == "linear" and not is_linear:
        raise _NotExact(f"{type(estimator).__name__} is not a binary linear model", "not_binary_linear",
                        estimator=type(estimator).__name__)
    if method == "tree" and is_linear:
        raise _NotExact(f"{type(estimator).__name__} is a linear model, not a tree ensemble", "linear_not_tree",
                        estimator=type(estimator).__name__)
    tree_explainer = None if is_linear else _tree_explainer(estimator)
    matrix = _transform(preprocess, features)
    sources = column_sources(preprocess, features, matrix)
    _check_sources(sources, _column_names(preprocess, matrix.shape[1]))
    if is_linear:
        values, base, output, space = _linear_values(estimator, matrix, positive)
        explainer, background = "linear", {"code": "explained_customers"}
    else:
        values, base, output, space = _tree_values(tree_explainer, estimator, matrix, positive, probability)
        explainer, background = "tree", {"code": "training_data"}
    return _PathResult(_sum_by_source(values, sources), base, output, space, explainer, background)


def _transform(preprocess, features: pd.DataFrame) -> np.ndarray:
    matrix = features if preprocess is None else preprocess.transform(features)
    if hasattr(matrix, "toarray"):
        matrix = matrix.toarray()
    try:
        return np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise _NotExact("the model's input is not a numeric matrix", "not_numeric") from None


def column_sources(preprocess, features: pd.DataFrame, matrix: np.ndarray) -> list[tuple[str, ...]]:
    """For each transformed column, the original features it is computed from.

    Found by experiment, so it works for any preprocessing: each original feature in
    turn is replaced by other customers' values (two different shifts), and a
    transformed column depends on the feature if it changes. A constant column has
    no source.
    """
    if preprocess is None:
        return [(column,) for column in features.columns]
    sources: list[set[str]] = [set() for _ in range(matrix.shape[1])]
    for column in features.columns:
        for shift in (1, len(features) // 3 + 1):
            moved = features.copy()
            moved[column] = np.roll(features[column].to_numpy(), shift)
            changed = ~np.isclose(_transform(preprocess, moved), matrix, rtol=0, atol=0, equal_nan=True)
            for index in np.flatnonzero(changed.any(axis=0)):
                sources[index].add(column)
    return [tuple(sorted(found, key=list(features.columns).index)) for found in sources]


def _column_names(preprocess, width: int) -> list[str]:
    """The estimator's input column names (for messages), or #0, #1, ... when no step can name them."""
    candidates = [preprocess] + ([preprocess.steps[-1][1]] if hasattr(preprocess, "steps") else [])
    for candidate in candidates:
        try:
            names = [str(name) for name in candidate.get_feature_names_out()]
        except Exception:  # not every transformer can name its outputs
            continue
        if len(names) == width:
            return names
    return [f"#{index}" for index in range(width)]


def _check_sources(sources: list[tuple[str, ...]], names: list[str]) -> None:
    mixed = [(names[index], found) for index, found in enumerate(sources) if len(found) > 1]
    if mixed:
        name, found = mixed[0]
        raise _NotExact(f"the model's input column {name!r} is computed from several original features "
                        f"({', '.join(found)}): its contribution cannot be split between them exactly",
                        "mixed_column", column=name, features=list(found))


def _sum_by_source(values: np.ndarray, sources: list[tuple[str, ...]]) -> np.ndarray:
    grouped = np.zeros((values.shape[0], len(FEATURE_COLUMNS)))
    for index, found in enumerate(sources):
        if found:
            grouped[:, FEATURE_COLUMNS.index(found[0])] += values[:, index]
        elif np.abs(values[:, index]).max() > ADDITIVITY_TOLERANCE:
            raise _NotExact(f"the model's input column #{index} depends on no feature but has non-zero "
                            "SHAP values", "unattributed_column", index=index)
    return grouped


def _linear_values(estimator, matrix: np.ndarray, positive: int):
    import shap

    sign = 1.0 if positive == 1 else -1.0
    coef, intercept = sign * np.asarray(estimator.coef_, float)[0], sign * float(np.ravel(estimator.intercept_)[0])
    mean = matrix.mean(axis=0)
    explainer = shap.LinearExplainer((coef, intercept), (mean, np.cov(matrix, rowvar=False)))
    explained = explainer(matrix)
    output = sign * np.ravel(estimator.decision_function(matrix))
    space = "log-odds" if hasattr(estimator, "predict_proba") and _is_logistic(estimator) else "decision function"
    return explained.values, float(np.ravel(explained.base_values)[0]), output, space


def _is_logistic(estimator) -> bool:
    return type(estimator).__name__ in ("LogisticRegression", "LogisticRegressionCV") or \
        getattr(estimator, "loss", None) == "log_loss"


def _tree_explainer(estimator):
    import shap

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return shap.TreeExplainer(estimator, feature_perturbation="tree_path_dependent")
    except Exception:  # shap raises assorted errors for models it cannot walk
        raise _NotExact(f"{type(estimator).__name__} is neither a linear model nor a tree ensemble "
                        "shap.TreeExplainer can walk", "not_tree", estimator=type(estimator).__name__) from None


def _tree_values(explainer, estimator, matrix: np.ndarray, positive: int, probability: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explained = explainer(matrix, check_additivity=False)
    values, base = np.asarray(explained.values, float), np.asarray(explained.base_values, float)
    if values.ndim == 3:  # one output per class: take «Снизилась»'s
        values, base = values[:, :, positive], base[:, positive] if base.ndim == 2 else base[positive]
    elif positive == 0:  # a single output scores classes_[1]
        values, base = -values, -base
    base = float(np.ravel(base)[0])
    total = base + values.sum(axis=1)
    candidates = {"probability": probability}
    if hasattr(estimator, "decision_function"):
        decision = np.ravel(estimator.decision_function(matrix))
        candidates["log-odds"] = decision if positive == 1 else -decision
    else:
        clipped = np.clip(probability, 1e-15, 1 - 1e-15)
        candidates["log-odds"] = np.log(clipped / (1 - clipped))
    for space, output in candidates.items():
        if np.abs(total - output).max() <= ADDITIVITY_TOLERANCE:
            return values, base, output, space
    raise _NotExact(f"shap.TreeExplainer's SHAP values for {_estimator_name(estimator)} add up to neither "
                    "the probability nor the log-odds", "tree_not_additive", estimator=_estimator_name(estimator))


class FeatureCodec:
    """Original features ⇄ a float matrix (categories as codes), so masking keeps every
    category valid and rebuilt DataFrames have the columns and dtypes the pipeline was fitted on."""

    def __init__(self, features: pd.DataFrame):
        self.columns = list(features.columns)
        self.dtypes = features.dtypes
        self.categories = {column: np.array(sorted(features[column].dropna().unique()), dtype=object)
                           for column in self.columns if column in CATEGORICAL_FEATURES}

    def encode(self, features: pd.DataFrame) -> np.ndarray:
        return np.column_stack([
            np.searchsorted(self.categories[column], features[column].to_numpy(dtype=object)).astype(float)
            if column in self.categories else features[column].to_numpy(dtype=float)
            for column in self.columns])

    def decode(self, matrix: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame({
            column: (self.categories[column][matrix[:, index].astype(int)] if column in self.categories
                     else matrix[:, index])
            for index, column in enumerate(self.columns)})
        return frame.astype(self.dtypes.to_dict())


class ProbabilityOfDrop:
    """The pipeline as a function of the encoded matrix: P(«Снизилась») per row."""

    def __init__(self, pipeline, codec: FeatureCodec):
        self.pipeline, self.codec = pipeline, codec
        self.positive = positive_class_index(pipeline.classes_)

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        return self.pipeline.predict_proba(self.codec.decode(matrix))[:, self.positive]


def _explain_permutation(pipeline, features, reference, background_size, permutations, random_state, n_jobs):
    if not hasattr(pipeline, "predict_proba"):
        raise ExplainError(f"{_estimator_name(pipeline)} has no predict_proba: "
                           "the model-agnostic explainer explains P(«Снизилась»)")
    codec = FeatureCodec(pd.concat([reference, features], ignore_index=True))
    rows = codec.encode(features)
    background = background_sample(codec.encode(reference), background_size, random_state)
    estimate = permutation_shapley(ProbabilityOfDrop(pipeline, codec), rows, background,
                                   permutations=permutations, random_state=random_state, n_jobs=n_jobs)
    described = {"code": "background_sample", "customers": len(background), "random_state": random_state}
    return _PathResult(estimate.values, estimate.base, estimate.outputs, "probability", "permutation", described,
                       len(background), permutations, estimate.standard_error)


def shap_table(explanation: Explanation) -> pd.DataFrame:
    """The results-file format: id, base_value, one column per original feature, model_output."""
    values = explanation.values
    table = values.reset_index()
    table.insert(1, "base_value", explanation.base_by_customer.loc[values.index].to_numpy())
    # A forest predicts on 2 threads whose sums arrive in any order: the last bit of the output
    # varies between runs. 12 decimals keep the file byte-identical build to build.
    table["model_output"] = explanation.model_output.round(OUTPUT_DECIMALS).to_numpy()
    return table


def values_from_table(shap_values: pd.DataFrame) -> pd.DataFrame:
    """SHAP values (index id, columns FEATURE_COLUMNS) from a `shap_table` read back from results/."""
    return shap_values.set_index("id")[list(FEATURE_COLUMNS)]


def importance(values: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Global importance: mean |SHAP| per original feature, strongest first.

    `values` is Explanation.values (or `values_from_table`); `customers` has id and the
    features. Columns: feature, label, kind ("number" or "category"), mean_abs_shap,
    share (of the total), rank (1 = strongest), used (False: every |SHAP| ≤ NUMERICAL_ZERO,
    the model ignores the feature), correlation (Spearman, feature value vs SHAP; numbers
    only), direction (+1: a larger value raises the risk, −1: a smaller one, 0: a category
    or an unused feature), riskiest_category / safest_category (categories only: the value
    with the highest / lowest mean SHAP), dropped_when_raised / dropped_when_lowered
    (share of «Снизилась» among customers whose prediction the feature raises / lowers;
    NaN without an `activity` column or without such customers), and a used category's
    claim as `category_claim` codes (category_claim, category_spread,
    riskiest_in_data; None/NaN otherwise). report/explain_words.worded_importance turns
    kind and the direction into words (`direction_text`), as results/ holds them.
    """
    features = customers.set_index("id").loc[values.index]
    mean_abs = values.abs().mean()
    dropped = (features[TARGET] == POSITIVE_CLASS) if TARGET in features else None
    rows = []
    for feature in FEATURE_COLUMNS:
        used = bool(values[feature].abs().max() > NUMERICAL_ZERO)
        row = {"feature": feature, "label": FEATURE_LABELS[feature], "mean_abs_shap": float(mean_abs[feature]),
               "used": used, "riskiest_category": None, "safest_category": None, "correlation": np.nan,
               "dropped_when_raised": np.nan, "dropped_when_lowered": np.nan, **NO_CATEGORY_CLAIM}
        if dropped is not None:
            raised, lowered = values[feature] > 0, values[feature] < 0
            row["dropped_when_raised"] = float(dropped[raised].mean()) if raised.any() else np.nan
            row["dropped_when_lowered"] = float(dropped[lowered].mean()) if lowered.any() else np.nan
        if not used:
            row.update(kind="category" if feature in CATEGORICAL_FEATURES else "number", direction=0)
        elif feature in CATEGORICAL_FEATURES:
            by_category = values[feature].groupby(features[feature]).mean().sort_values()
            row.update(kind="category", direction=0, riskiest_category=by_category.index[-1],
                       safest_category=by_category.index[0],
                       **category_claim(by_category, None if dropped is None
                                        else dropped.groupby(features[feature]).mean()))
        else:
            correlation = features[feature].corr(values[feature], method="spearman")
            direction = 0 if not np.isfinite(correlation) or correlation == 0 else int(np.sign(correlation))
            row.update(kind="number", correlation=correlation, direction=direction)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["share"] = table["mean_abs_shap"] / table["mean_abs_shap"].sum()
    table = table.sort_values(["mean_abs_shap", "feature"], ascending=[False, True], ignore_index=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return table[IMPORTANCE_COLUMNS]


NO_CATEGORY_CLAIM = {"category_claim": None, "category_spread": np.nan, "riskiest_in_data": None}
IMPORTANCE_COLUMNS = ["feature", "label", "kind", "mean_abs_shap", "share", "rank", "used", "correlation", "direction",
                      "riskiest_category", "safest_category", "dropped_when_raised", "dropped_when_lowered",
                      *NO_CATEGORY_CLAIM]
# category_claim's codes: the contributions barely differ / the riskiest by contribution is not
# the riskiest in the data / the data back the riskiest category.
CATEGORY_CLAIMS = ("small_spread", "contradicted", "backed")


def category_claim(mean_shap: pd.Series, drop_share: pd.Series | None) -> dict:
    """Which category carries a higher risk — claimed only when the data back it.

    `mean_shap` is the mean SHAP per category (sorted ascending), `drop_share` the share
    of «Снизилась» per category. A category is named riskiest only if the model's
    contributions differ between categories by at least CATEGORY_SPREAD (probability
    space) and the same category has the highest drop share in the data.
    Returns {"category_claim": one of CATEGORY_CLAIMS, "category_spread": the largest
    difference of mean contributions, "riskiest_in_data": the category with the highest
    drop share, or None without `drop_share`}.
    """
    spread = float(mean_shap.iloc[-1] - mean_shap.iloc[0])
    riskiest_in_data = None if drop_share is None else drop_share.idxmax()
    if spread < CATEGORY_SPREAD:
        code = "small_spread"
    elif riskiest_in_data is not None and riskiest_in_data != mean_shap.index[-1]:
        code = "contradicted"
    else:
        code = "backed"
    return {"category_claim": code, "category_spread": spread, "riskiest_in_data": riskiest_in_data}


def strongest_correlation(customers: pd.DataFrame, features: list[str]) -> dict:
    """The most correlated pair (Spearman, by |ρ|) among the numeric `features`:
    {"labels": [two labels], "rho": value}. SHAP splits credit between such features."""
    numeric = [feature for feature in features if feature in NUMERIC_FEATURES]
    matrix = customers[numeric].corr(method="spearman").abs().to_numpy(copy=True)
    np.fill_diagonal(matrix, -1)
    first, second = np.unravel_index(np.argmax(matrix), matrix.shape)
    rho = float(customers[numeric[first]].corr(customers[numeric[second]], method="spearman"))
    return {"labels": [FEATURE_LABELS[numeric[first]], FEATURE_LABELS[numeric[second]]], "rho": rho}


def probability_from_output(output, output_space: str):
    """P(«Снизилась») from the model output where the space allows it (else NaN)."""
    output = np.asarray(output, float)
    if output_space == "probability":
        return output
    if output_space == "log-odds":
        return 1 / (1 + np.exp(-output))
    return np.full_like(output, np.nan)


ROLES = ("highest_risk", "borderline", "safest")


def representative_customers(explanation: Explanation, threshold: float = 0.5,
                             among: pd.Index | None = None) -> pd.DataFrame:
    """The highest-risk, the most borderline (probability closest to `threshold`) and the
    safest customer, among the ids `among` (default: everyone). Ties go to the smallest
    id. Columns: role (one of ROLES; report/explain_words.py adds its label), id, probability,
    model_output."""
    scores = pd.DataFrame({"probability": explanation.probability, "model_output": explanation.model_output})
    scores = scores.loc[scores.index if among is None else scores.index.intersection(among)].sort_index()
    has_probability = scores["probability"].notna().all()
    risk = scores["probability"] if has_probability else scores["model_output"]
    borderline = (scores["probability"] - threshold) if has_probability else scores["model_output"]
    chosen = {"highest_risk": risk.idxmax(), "borderline": borderline.abs().idxmin(), "safest": risk.idxmin()}
    return pd.DataFrame([{"role": role, "id": int(chosen[role]),
                          "probability": float(scores.loc[chosen[role], "probability"]),
                          "model_output": float(scores.loc[chosen[role], "model_output"])} for role in ROLES])


def waterfall_steps(values: pd.DataFrame, base_values: float | pd.Series, customers: pd.DataFrame,
                    chosen: pd.DataFrame, max_features: int = 9) -> pd.DataFrame:
    """Waterfall data for the customers in `chosen` (columns role, id);
    `base_values` is one base value for everyone or a Series by id (cross-fitted models).

    One row per step, in display order: the `max_features` features with the largest
    |SHAP|, then the rest summed as one step. Each step runs from `start` to `end`; the
    first starts at the base value and the last ends at the customer's model output
    (base + sum of all SHAP values). Columns: role, id, order, feature (None for the
    rest), value (the customer's value of the feature, as the table holds it; None for
    the rest), rest_features (how many features the rest sums; 0 for a feature), shap,
    start, end, base_value, model_output. report/explain_words.worded_waterfalls adds
    the role's label and the step's («Страниц за визит = 2», «Остальные признаки (7)»).
    """
    features = customers.set_index("id")
    rows = []
    for chosen_row in chosen.itertuples(index=False):
        base_value = float(base_values.loc[chosen_row.id]) if isinstance(base_values, pd.Series) else base_values
        customer = values.loc[chosen_row.id]
        ordered = customer.reindex(customer.abs().sort_values(ascending=False, kind="stable").index)
        shown, rest = ordered.iloc[:max_features], ordered.iloc[max_features:]
        steps = [(feature, features.loc[chosen_row.id, feature], 0, float(shap)) for feature, shap in shown.items()]
        if len(rest):
            steps.append((None, None, len(rest), float(rest.sum())))
        level = base_value
        output = base_value + float(customer.sum())
        for order, (feature, value, rest_features, shap) in enumerate(steps, start=1):
            rows.append({"role": chosen_row.role, "id": int(chosen_row.id), "order": order, "feature": feature,
                         "value": value, "rest_features": rest_features, "shap": shap,
                         "start": level, "end": level + shap, "base_value": base_value, "model_output": output})
            level += shap
    return pd.DataFrame(rows)


def compare_with_published(importance_table: pd.DataFrame, strong_rank: int = STRONG_RANK) -> pd.DataFrame:
    """Agree or disagree with each of PUBLISHED_CLAIMS, with the figures.

    Verdict (one of VERDICTS): "disagree" if a feature the claim names pushes the risk
    the other way; otherwise by the best rank among the claim's features — "agree"
    within the `strong_rank` strongest drivers, "partly" within twice as many (the
    direction holds, the effect is modest), else "disagree" (the effect is weak).
    Columns: claim (PUBLISHED_CLAIMS' code), features (labels), claim_features (the
    features, by the table's order: strongest first), rank (the best of the claim's
    features), mean_abs_shap (of that feature), direction_holds (every feature pushes
    the claimed way; None for a category), verdict. report/explain_words.worded_claims
    words the claim, the evidence (ranks, mean |SHAP| and directions) and the verdict.
    """
    by_feature = importance_table.set_index("feature")
    rows = []
    for claim, features, expected in PUBLISHED_CLAIMS:
        found = by_feature.loc[list(features)].sort_values("rank")
        best = found.iloc[0]
        if expected != 0 and (found["direction"] == -expected).any():
            verdict = "disagree"
        elif best["rank"] <= strong_rank and (expected == 0 or (found["direction"] == expected).all()):
            verdict = "agree"
        elif best["rank"] <= 2 * strong_rank and best["used"]:
            verdict = "partly"
        else:
            verdict = "disagree"
        holds = None if expected == 0 else bool((found["direction"] == expected).all())
        rows.append({"claim": claim, "features": ", ".join(found["label"]), "claim_features": list(found.index),
                     "rank": int(best["rank"]), "mean_abs_shap": float(best["mean_abs_shap"]),
                     "direction_holds": holds, "verdict": verdict})
    return pd.DataFrame(rows)


def explain_metadata(explanation: Explanation, importance_table: pd.DataFrame, representatives: pd.DataFrame,
                     threshold: float, examples_from_test: bool = False, top: int = 5) -> dict:
    """What the chapter states about the computation (JSON-serialisable), as codes: the explainer,
    output space, background, fallback reason and the representatives' roles are worded, and the
    top drivers' directions added, by report/explain_words.worded_metadata."""
    import shap

    leaders = importance_table.head(top)
    return {
        "estimator": explanation.estimator,
        "explainer": explanation.explainer,
        "fallback_reason": explanation.fallback_reason,
        "output_space": explanation.output_space,
        "base_value": explanation.base_value,
        "base_probability": float(probability_from_output(explanation.base_value, explanation.output_space)),
        "background": explanation.background,
        "background_size": explanation.background_size,
        "permutations": explanation.permutations,
        "customers": int(len(explanation.values)),
        "features": len(FEATURE_COLUMNS),
        "tolerance": explanation.tolerance,
        "max_additivity_error": float(explanation.additivity_error().max()),
        "mean_abs_shap": float(explanation.values.abs().to_numpy().mean()),
        "mean_standard_error": None if explanation.standard_error is None
        else float(np.nanmean(explanation.standard_error.to_numpy())),
        "seconds": round(explanation.seconds, 2),
        "n_jobs": explanation.n_jobs,
        "threshold": float(threshold),
        "examples_from": "test" if examples_from_test else "all",
        "random_state": RANDOM_STATE,
        "shap_version": shap.__version__,
        "representatives": representatives.to_dict(orient="records"),
        "unused_features": importance_table.loc[~importance_table["used"], "label"].tolist(),
        "top_drivers": [{"feature": row.feature, "label": row.label, "mean_abs_shap": row.mean_abs_shap,
                         "share": row.share} for row in leaders.itertuples()],
    }


def build_explain_results(pipeline, model_table: pd.DataFrame, *, customers: pd.DataFrame | None = None,
                          threshold: float = 0.5, background_size: int = BACKGROUND_SIZE,
                          permutations: int = PERMUTATIONS, random_state: int = RANDOM_STATE,
                          n_jobs: int = N_JOBS) -> dict:
    """Everything the «Почему» chapter reads, keyed by results-file stem.

    `pipeline` is the chosen fitted model, `model_table` the modelling table (every
    customer is explained), `customers` (optional: id, split, ...) lets the example
    customers be picked from the test part, where the model's probability is the one
    customers.csv reports; `threshold` is the model's decision threshold.
    DataFrames go to `<stem>.csv`, the dict to `<stem>.json` (after
    report/explain_words.with_words words their codes): shap_values,
    shap_importance, shap_waterfalls, shap_claims, explain. Deterministic for a
    given pipeline and model table (only `explain["seconds"]` varies).
    """
    explanation = explain_model(pipeline, model_table, background_size=background_size,
                                permutations=permutations, random_state=random_state, n_jobs=n_jobs)
    ranking = importance(explanation.values, model_table)
    test_ids = None
    if customers is not None and "split" in customers:
        test_ids = pd.Index(customers.loc[customers["split"] == "test", "id"])
    chosen = representative_customers(explanation, threshold, among=test_ids)
    return {
        "shap_values": shap_table(explanation),
        "shap_importance": ranking,
        "shap_waterfalls": waterfall_steps(explanation.values, explanation.base_value, model_table, chosen),
        "shap_claims": compare_with_published(ranking),
        "explain": explain_metadata(explanation, ranking, chosen, threshold, test_ids is not None),
    }
