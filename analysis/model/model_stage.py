"""The model stage of `build-results`: search, compare, choose, set the threshold, test once.

Order matters for honesty, and is the order of `run_model_stage`:

1. the hold-out split the published solutions use (0.25, seed 42, stratified);
2. on the training part only: every family's grid search, then every winner (and a
   soft vote of the best three) on fresh repeated grouped folds, side by side; the
   best mean is the chosen model; calibration, the cost-minimising threshold and
   the feature evidence all come from out-of-fold predictions;
3. the chosen pipeline is fitted on the training part and predicts the test part —
   the only time the test part is used.

The result is deterministic (fixed seeds) and is cached by `pipeline.py` under
`cache_key`: the modelling table's content plus this stage's source files.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, train_test_split

from . import evaluation, feature_evidence, modeling
from ..constants import HORIZON_MONTHS, OFFER_COST_SHARE, POSITIVE_CLASS, RANDOM_STATE
from .correlation import COLLINEAR_RHO
from ..data.features import FEATURE_COLUMNS
from .model_features import ENGINEERED_FEATURES
from ..paths import PROJECT_ROOT

TEST_SIZE = 0.25
SPLIT_RANDOM_STATE = 42          # the published solutions' seed; equals RANDOM_STATE by design
COMPARISON_SEED = RANDOM_STATE + 100  # fresh folds: the search's luck on its own folds does not carry
EVIDENCE_REPEATS = 2
CALIBRATION_MIN_GAIN = 0.002     # calibrate only if out-of-fold Brier falls by at least this
SELECT_K = (4, 8, 12, 16, 20)
EXACT_PREFERENCE_SE = 2.0        # choose_model: how much better a sampled-explanation model must be,
EXACT_PREFERENCE_ROC_AUC = 0.005  # both beyond noise (SE) and by at least this much ROC-AUC
SOURCES = ("analysis/model/modeling.py", "analysis/model/evaluation.py", "analysis/model/feature_evidence.py",
           "analysis/model/model_features.py", "analysis/model/model_stage.py", "analysis/model/model_store.py",
           "analysis/constants.py", "analysis/model/correlation.py")
OUTPUT_TABLES = ("customers", "model_families", "model_cv_folds", "model_curves", "model_calibration",
                 "threshold_costs", "threshold_sensitivity", "feature_engineering", "feature_drop",
                 "permutation_importance", "select_k_best")
OUTPUT_DOCUMENTS = ("metrics",)


def cache_key(model_table_csv: str) -> str:
    """SHA-256 of the modelling table (as written) and of everything that decides the model stage."""
    digest = hashlib.sha256(model_table_csv.encode("utf-8"))
    for source in SOURCES:
        digest.update(source.encode())
        digest.update((PROJECT_ROOT / source).read_bytes())
    digest.update(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class HoldoutSplit:
    """Row positions of the modelling table (in train_test_split's own order)."""

    train: np.ndarray
    test: np.ndarray


def holdout_split(table: pd.DataFrame) -> HoldoutSplit:
    """`train_test_split(test_size=0.25, random_state=42, stratify=y)` on the modelling table (sorted by id)."""
    positions = np.arange(len(table))
    train, test = train_test_split(positions, test_size=TEST_SIZE, random_state=SPLIT_RANDOM_STATE,
                                   stratify=modeling.target_vector(table))
    return HoldoutSplit(train, test)


def straddling_groups(table: pd.DataFrame, split: HoldoutSplit) -> np.ndarray:
    """Copy groups with customers on both sides of the hold-out split."""
    groups = table["copy_group"].to_numpy()
    return np.intersect1d(groups[split.train], groups[split.test])


@dataclass(frozen=True)
class ModelStage:
    """What the model stage hands to `pipeline.py`: tables (CSV), documents (JSON) and the fitted model."""

    tables: dict[str, pd.DataFrame]
    documents: dict[str, dict]
    model: object
    seconds: dict[str, float]


FINAL_MODEL = "final"


def fold_model_name(fold: int) -> str:
    """customers.csv's `scored_by` for a training customer of fold `fold` (1-based)."""
    return f"fold_{fold}"


def first_pass_folds() -> modeling.RepeatedStratifiedGroupKFold:
    """One pass (first repeat) of the comparison's grouped folds: calibration is judged on them,
    and the fold models that give every training customer's out-of-fold risk are fitted on them."""
    return modeling.RepeatedStratifiedGroupKFold(modeling.COMPARISON_SPLITS, 1, COMPARISON_SEED)


def cross_fit_training_part(pipeline, table: pd.DataFrame) -> evaluation.CrossFit:
    """The fold models that score the training customers out of fold: `pipeline` fitted once per
    fold of the comparison's first-repeat grouped folds on the training part of `table`.

    Deterministic (fixed split, folds and the pipeline's own seeds), so the explain stage
    refits the very models the model stage used instead of storing them (skops writes
    each of a forest's thousands of trees as its own objects: tens of seconds per model).
    `table` is the modelling table in the model stage's order (sorted by id).
    """
    split = holdout_split(table)
    X, y = modeling.model_inputs(table).iloc[split.train], modeling.target_vector(table)[split.train]
    groups = table["copy_group"].to_numpy()[split.train]
    return evaluation.cross_fit(pipeline, X, y, groups, first_pass_folds())


def named_fold_models(crossfit: evaluation.CrossFit) -> dict[str, object]:
    """customers.csv's `scored_by` name -> the fold model that scored those customers."""
    return {fold_model_name(k): fitted for k, fitted in enumerate(crossfit.models, start=1)}


# choose_model's `decided_by`: which part of its rule made the choice (see its docstring).
SELECTION_DECISIONS = ("no_exact", "best_is_exact", "within_noise", "within_loss", "beats_exact")


def choose_model(cvs: dict, candidates: dict, max_se: float = EXACT_PREFERENCE_SE,
                 max_loss: float = EXACT_PREFERENCE_ROC_AUC) -> dict:
    """The model with the best mean grouped-CV ROC-AUC, unless one with exact contributions is as good.

    A model whose probability splits exactly over the features (modeling.has_exact_contributions)
    gives each customer drivers that do not depend on an explainer's sampling; only the forest's
    own randomness moves them (modeling.STABLE_DEPTH/STABLE_TREES; explain.json's seed check),
    while a model explained by sampled contributions adds the sampling's noise on top, within
    the explain stage's budget. The exact one is therefore chosen unless the best beats it fold by
    fold both beyond noise — by more than `max_se` standard errors of the paired difference
    (std / √folds, which folds sharing training rows make optimistic) — and by more than
    `max_loss` ROC-AUC, the most the report gives up for stable exact drivers (0.005: the
    difference under which it calls two ROC-AUC figures the same; the 95 % CI of the test
    ROC-AUC is ±0.035 wide).

    Returns the record metrics.json keeps as `selection`: `chosen`, the candidates compared,
    the paired difference, and `decided_by`, the part of the rule that decided — "no_exact",
    "best_is_exact", "within_noise" (exact kept: not better beyond `max_se` SE),
    "within_loss" (exact kept: better beyond noise but by ≤ `max_loss`) or "beats_exact" —
    which the model chapter words (report/model_words.selection_text).
    """
    best = max(cvs, key=lambda n: round(cvs[n].mean, 10))
    exact = [name for name in cvs if modeling.has_exact_contributions(candidates[name])]
    result = {"chosen": best, "best_by_mean": best, "best_exact": None, "paired_best_minus_exact": None,
              "max_standard_errors": max_se, "max_roc_auc_loss": max_loss}
    if not exact:
        return {**result, "decided_by": "no_exact", "reason": "no candidate has exact contributions; best mean"}
    best_exact = max(exact, key=lambda n: round(cvs[n].mean, 10))
    result["best_exact"] = best_exact
    if best_exact == best:
        return {**result, "decided_by": "best_is_exact", "reason": "the best mean has exact contributions"}
    paired = evaluation.paired_difference(cvs[best], cvs[best_exact])
    standard_error = paired["std"] / np.sqrt(paired["folds"])
    result["paired_best_minus_exact"] = {**paired, "standard_error": float(standard_error)}
    if paired["mean"] <= max_se * standard_error:
        return {**result, "chosen": best_exact, "decided_by": "within_noise",
                "reason": f"{best} is not better than {best_exact} by more than {max_se} SE: exact contributions"}
    if paired["mean"] <= max_loss:
        return {**result, "chosen": best_exact, "decided_by": "within_loss",
                "reason": f"{best} beats {best_exact} by more than {max_se} SE but by no more than "
                          f"{max_loss} ROC-AUC: exact contributions"}
    return {**result, "decided_by": "beats_exact",
            "reason": f"{best} beats {best_exact} by more than {max_se} SE and {max_loss} ROC-AUC"}


def run_model_stage(table: pd.DataFrame, log: Callable[[str], None] = lambda _: None,
                    family_list: tuple[modeling.Family, ...] | None = None) -> ModelStage:
    """Everything the "Модель" chapters show, from the modelling table. See the module docstring."""
    clock, seconds = time.perf_counter(), {}

    def lap(name: str) -> None:
        nonlocal clock
        seconds[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    y, X, groups = modeling.target_vector(table), modeling.model_inputs(table), table["copy_group"].to_numpy()
    profit, ids = table["profit"].to_numpy(dtype=float), table["id"].to_numpy()
    split = holdout_split(table)
    X_train, y_train, g_train = X.iloc[split.train], y[split.train], groups[split.train]

    log("model search (grouped folds on the training part):")
    searches = modeling.search_all(X_train, y_train, g_train, family_list, log=log)
    lap("search")

    comparison = modeling.RepeatedStratifiedGroupKFold(modeling.COMPARISON_SPLITS, modeling.COMPARISON_REPEATS,
                                                       COMPARISON_SEED)
    log(f"comparison ({comparison.n_splits}×{comparison.n_repeats} grouped folds, fresh seeds):")
    candidates = {name: search.probabilistic for name, search in searches.items()}
    cvs = {}

    def compare(name: str, note: str = "") -> None:
        cvs[name] = evaluation.cross_validate(candidates[name], X_train, y_train, g_train, comparison)
        log(f"  {name:<17} ROC-AUC {cvs[name].mean:.4f} ± {cvs[name].std:.4f}{note}")

    for name in searches:
        compare(name)
    members = sorted(cvs, key=lambda n: -cvs[n].mean)[:modeling.ENSEMBLE_SIZE]
    candidates["ensemble"] = modeling.soft_vote({name: candidates[name] for name in members})
    compare("ensemble", f"  (soft vote: {', '.join(members)})")
    # Feature selection as a candidate: columns whose shuffling does not hurt the ensemble on
    # the search's folds are left out, and the result is compared on the comparison's folds.
    search_pass = modeling.RepeatedStratifiedGroupKFold(modeling.SEARCH_SPLITS, 1, RANDOM_STATE)
    importance = feature_evidence.permutation_importances(candidates["ensemble"], X_train, y_train, g_train,
                                                          search_pass)
    useless = feature_evidence.useless_features(importance)
    if useless:
        candidates["ensemble_selected"] = modeling.variant(candidates["ensemble"], drop=useless)
        compare("ensemble_selected", f"  (without {', '.join(useless)})")
    selection = choose_model(cvs, candidates)
    chosen = selection["chosen"]
    log(f"chosen: {chosen} ({selection['reason']})")
    params = {name: search.params for name, search in searches.items()}
    params["ensemble"] = {"voting": "soft", "members": members}
    if useless:
        params["ensemble_selected"] = {**params["ensemble"], "without": list(useless)}
    lap("comparison")

    # Calibration, judged on one pass of the comparison's first-repeat folds.
    calibrated = CalibratedClassifierCV(candidates[chosen], method="sigmoid", ensemble=False,
                                        cv=StratifiedKFold(5, shuffle=True, random_state=RANDOM_STATE))
    calibrated_cv = evaluation.cross_validate(calibrated, X_train, y_train, g_train, first_pass_folds())
    brier_raw = brier_score_loss(y_train, cvs[chosen].out_of_fold)
    brier_calibrated = brier_score_loss(y_train, calibrated_cv.out_of_fold)
    # A sigmoid over the trees' probability would turn exact contributions into sampled ones:
    # a model chosen for its exact contributions keeps its own probabilities (both Briers are reported).
    use_calibration = (brier_calibrated <= brier_raw - CALIBRATION_MIN_GAIN
                       and not modeling.has_exact_contributions(candidates[chosen]))
    final_pipeline = calibrated if use_calibration else modeling.with_stable_trees(candidates[chosen])
    # One fixed set of fold models gives every training customer's risk; the explain stage
    # refits the same ones, so each customer is explained by the very model that scored them.
    crossfit = cross_fit_training_part(final_pipeline, table)
    out_of_fold = crossfit.out_of_fold
    log(f"chosen: {chosen}; out-of-fold Brier {brier_raw:.4f}, sigmoid-calibrated {brier_calibrated:.4f} -> "
        f"{'calibrated' if use_calibration else 'as is'}")
    lap("calibration")

    costs = evaluation.threshold_costs(y_train, out_of_fold, profit[split.train])
    threshold = evaluation.best_threshold(costs)
    sensitivity = evaluation.threshold_sensitivity(y_train, out_of_fold, profit[split.train])

    evidence = {"permutation_importance": importance,
                **_feature_evidence(searches, candidates, members, chosen, X_train, y_train, g_train, log)}
    # What ignoring the copies would report: the same model on plain stratified folds.
    plain = evaluation.cross_validate(candidates[chosen], X_train, y_train, None, RepeatedStratifiedKFold(
        n_splits=comparison.n_splits, n_repeats=EVIDENCE_REPEATS, random_state=COMPARISON_SEED))
    grouped_folds = cvs[chosen].folds.query("repeat <= @EVIDENCE_REPEATS")["roc_auc"]
    copies_effect = {"plain_mean": plain.mean, "grouped_mean": float(grouped_folds.mean()),
                     "splits": comparison.n_splits, "repeats": EVIDENCE_REPEATS}
    log(f"  {chosen} on plain folds {plain.mean:.4f} vs grouped {grouped_folds.mean():.4f}")
    lap("evidence")

    # The only use of the test part: the chosen pipeline, fitted on the training part, predicts it.
    model = clone(final_pipeline).fit(X_train, y_train)
    test_probability = model.predict_proba(X.iloc[split.test])[:, 1]
    memorised = evaluation.memorisation(model, X_train, y_train, out_of_fold)
    log(f"in-sample ROC-AUC {memorised['in_sample_roc_auc']:.4f} vs out-of-fold {memorised['out_of_fold_roc_auc']:.4f}"
        f" (gap {memorised['gap']:.4f}, allowed {modeling.MAX_MEMORISATION_GAP})")
    lap("final fit")

    metrics = _metrics(table, split, y, profit, params, cvs, chosen, use_calibration,
                       (brier_raw, brier_calibrated), out_of_fold, test_probability, threshold, evidence)
    metrics["cv"]["copies_ignored"] = copies_effect
    metrics["memorisation"] = {**memorised, "max_gap": modeling.MAX_MEMORISATION_GAP,
                               "families": {name: search.memorisation_gap for name, search in searches.items()},
                               "set_aside": {name: search.memorising for name, search in searches.items()}}
    metrics["selection"] = {key: value for key, value in selection.items() if key != "chosen"}
    metrics["cross_fit"] = {"folds": len(crossfit.models), "seed": COMPARISON_SEED, "grouped_by": "copy_group",
                            "fold_sizes": [int((crossfit.fold == k).sum()) for k in range(1, len(crossfit.models) + 1)]}
    customers = pd.DataFrame({
        "id": np.concatenate([ids[split.train], ids[split.test]]),
        "split": ["train"] * len(split.train) + ["test"] * len(split.test),
        "probability_drop": np.concatenate([out_of_fold, test_probability]).round(6),
        "scored_by": [fold_model_name(k) for k in crossfit.fold] + [FINAL_MODEL] * len(split.test),
    })
    customers["predicted_drop"] = (customers["probability_drop"] >= threshold).astype(int)
    customers = customers.sort_values("id", ignore_index=True)

    tables = {
        "customers": customers,
        "model_families": _families_table(searches, cvs, params, chosen),
        "model_cv_folds": pd.concat([cv.folds.assign(family=name) for name, cv in cvs.items()],
                                    ignore_index=True)[["family", "repeat", "fold", "roc_auc"]].round(6),
        "model_curves": pd.concat([evaluation.curves(y_train, out_of_fold, "train_oof"),
                                   evaluation.curves(y[split.test], test_probability, "test")], ignore_index=True),
        "model_calibration": pd.concat([evaluation.calibration(y_train, out_of_fold, "train_oof"),
                                        evaluation.calibration(y[split.test], test_probability, "test")],
                                       ignore_index=True),
        "threshold_costs": costs.round(6),
        "threshold_sensitivity": sensitivity.round(6),
        **{name: frame.round(6) for name, frame in evidence.items()},
    }
    seconds["total"] = round(sum(seconds.values()), 1)
    return ModelStage(tables, {"metrics": metrics}, model, seconds)


def _feature_evidence(searches: dict, candidates: dict, members: list[str], chosen: str, X: pd.DataFrame,
                      y: np.ndarray, groups: np.ndarray, log: Callable[[str], None]) -> dict[str, pd.DataFrame]:
    """Engineered-feature gains, collinear-column drops and SelectKBest, on grouped training folds.

    References are the ensemble's members as searched (an SVC ranks by its decision function:
    no Platt scaling needed for ROC-AUC), plus the chosen model and the linear model for drops.
    """
    started = time.perf_counter()
    cv = modeling.RepeatedStratifiedGroupKFold(modeling.COMPARISON_SPLITS, EVIDENCE_REPEATS, COMPARISON_SEED)
    references = {name: searches[name].pipeline for name in members}
    engineering = feature_evidence.engineered_feature_gains(references, X, y, groups, cv)
    log(f"  engineered features: {len(engineering)} grouped-CV runs ({time.perf_counter() - started:.1f} s)")
    drop_references = {**references, chosen: candidates[chosen]}
    if "logreg" in searches:
        drop_references["logreg"] = searches["logreg"].pipeline
    dropped = feature_evidence.drop_gains(drop_references, {"all": (), **_collinear_drops(X)}, X, y, groups, cv)
    log(f"  collinear columns dropped: {len(dropped)} grouped-CV runs ({time.perf_counter() - started:.1f} s)")
    best_single = members[0]
    select = feature_evidence.select_k_best_curve(searches[best_single].pipeline, SELECT_K, X, y, groups, cv)
    select.insert(0, "family", best_single)
    log(f"  SelectKBest on {best_single}: {len(select)} values of k ({time.perf_counter() - started:.1f} s)")
    return {"feature_engineering": engineering, "feature_drop": dropped, "select_k_best": select}


def _collinear_drops(X: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """For each pair of table numbers with |Spearman ρ| ≥ COLLINEAR_RHO: drop one, drop the other."""
    numbers = X.select_dtypes("number")
    rho = numbers.corr(method="spearman")
    drops = {}
    columns = list(numbers.columns)
    for i, first in enumerate(columns):
        for second in columns[i + 1:]:
            if abs(rho.loc[first, second]) >= COLLINEAR_RHO:
                drops[f"without_{first}"] = (first,)
                drops[f"without_{second}"] = (second,)
    return drops


def _families_table(searches: dict, cvs: dict, params: dict, chosen: str) -> pd.DataFrame:
    rows = []
    for name, cv in cvs.items():
        search = searches.get(name)
        rows.append({"family": name, "label": modeling.FAMILY_LABELS[name], "role": modeling.FAMILY_ROLES[name],
                     "candidates": search.candidates if search else 1,
                     "search_mean": search.search_mean if search else np.nan,
                     "search_std": search.search_std if search else np.nan,
                     "cv_mean": cv.mean, "cv_std": cv.std, "cv_min": float(cv.folds["roc_auc"].min()),
                     "memorisation_gap": search.memorisation_gap if search else np.nan,
                     "params": _params_text(params[name]), "chosen": name == chosen})
    return pd.DataFrame(rows).sort_values("cv_mean", ascending=False, ignore_index=True).round(6)


def _params_text(params: dict) -> str:
    return ", ".join(f"{key}={', '.join(map(str, value)) if isinstance(value, list) else value}"
                     for key, value in params.items())


def _metrics(table, split, y, profit, params, cvs, chosen, use_calibration, briers, out_of_fold,
             test_probability, threshold, evidence) -> dict:
    y_train, y_test = y[split.train], y[split.test]
    straddling = straddling_groups(table, split)
    honest = ~np.isin(table["copy_group"].to_numpy()[split.test], straddling)
    low, high = evaluation.bootstrap_roc_auc(y_test, test_probability)
    honest_low, honest_high = evaluation.bootstrap_roc_auc(y_test[honest], test_probability[honest])
    test = evaluation.classification_summary(y_test, test_probability, threshold)
    test_costs = evaluation.threshold_costs(y_test, test_probability, profit[split.test], thresholds=np.array(
        [0.0, threshold, 1.0 + 1e-9]))
    published = {name: cv for name, cv in cvs.items() if modeling.FAMILY_ROLES[name] == "published"}
    best_published = max(published, key=lambda n: published[n].mean)
    chosen_params = params[chosen]
    if "members" in chosen_params:
        chosen_params = {**chosen_params, "members": {name: params[name] for name in chosen_params["members"]}}
    return {
        "positive_class": POSITIVE_CLASS,
        "split": {"test_size": TEST_SIZE, "random_state": SPLIT_RANDOM_STATE, "stratify": True,
                  "train": int(len(split.train)), "test": int(len(split.test)),
                  "straddling_copy_groups": [int(g) for g in straddling],
                  "test_rows_without_straddling": int(honest.sum())},
        "cv": {"splits": modeling.COMPARISON_SPLITS, "repeats": modeling.COMPARISON_REPEATS, "grouped_by": "copy_group",
               "search_splits": modeling.SEARCH_SPLITS, "search_repeats": modeling.SEARCH_REPEATS},
        "families": {name: {"label": modeling.FAMILY_LABELS[name], "role": modeling.FAMILY_ROLES[name],
                            "cv_mean": cv.mean, "cv_std": cv.std, "params": params[name]}
                     for name, cv in cvs.items()},
        "chosen": {"name": chosen, "label": modeling.FAMILY_LABELS[chosen], "params": chosen_params,
                   "members": list(params[chosen].get("members", [chosen])),
                   "without": list(params[chosen].get("without", [])), "calibrated": bool(use_calibration),
                   "cv_mean": cvs[chosen].mean, "cv_std": cvs[chosen].std,
                   "best_published_family": best_published,
                   "paired_vs_best_published_family": evaluation.paired_difference(cvs[chosen],
                                                                                   cvs[best_published])},
        "features": {"input": list(FEATURE_COLUMNS), "engineered": list(ENGINEERED_FEATURES),
                     "useless_by_permutation": list(feature_evidence.useless_features(
                         evidence["permutation_importance"]))},
        "test": {"roc_auc": test["roc_auc"], "ci_low": low, "ci_high": high, "confidence": evaluation.CONFIDENCE,
                 "bootstrap_resamples": evaluation.BOOTSTRAP_RESAMPLES,
                 "roc_auc_without_straddling": evaluation.classification_summary(
                     y_test[honest], test_probability[honest], threshold)["roc_auc"],
                 "ci_low_without_straddling": honest_low, "ci_high_without_straddling": honest_high,
                 "average_precision": test["average_precision"], "brier": test["brier"]},
        "threshold": {"value": threshold, "chosen_on": "out-of-fold predictions of the training part",
                      "offer_cost_share": OFFER_COST_SHARE, "horizon_months": HORIZON_MONTHS},
        "at_threshold": {key: test[key] for key in ("recall", "precision", "f1", "tp", "fp", "fn", "tn")},
        "at_threshold_train_oof": {key: value for key, value in evaluation.classification_summary(
            y_train, out_of_fold, threshold).items() if key != "threshold"},
        "at_half": {key: value for key, value in evaluation.classification_summary(
            y_test, test_probability, 0.5).items() if key in ("recall", "precision", "f1")},
        "brier": {"test": test["brier"], "train_oof": float(brier_score_loss(y_train, out_of_fold)),
                  "train_oof_uncalibrated": float(briers[0]), "train_oof_sigmoid": float(briers[1]),
                  "calibrated": bool(use_calibration)},
        "test_costs": {"offer_everyone": float(test_costs["total_cost"].iloc[0]),
                       "model": float(test_costs["total_cost"].iloc[1]),
                       "offer_nobody": float(test_costs["total_cost"].iloc[2]),
                       "offers": int(test_costs["offers"].iloc[1]), "customers": int(len(y_test)),
                       "dropping_customers": int(y_test.sum())},
        "published": {"test_roc_auc": evaluation.PUBLISHED_TEST_ROC_AUC, "recall": evaluation.PUBLISHED_RECALL,
                      "best_honest_test_roc_auc": evaluation.PUBLISHED_BEST_HONEST_TEST_ROC_AUC},
        "target": {"test_roc_auc": evaluation.TARGET_TEST_ROC_AUC, "cv_mean": evaluation.TARGET_CV_MEAN,
                   "test_met": bool(test["roc_auc"] >= evaluation.TARGET_TEST_ROC_AUC),
                   "cv_met": bool(cvs[chosen].mean >= evaluation.TARGET_CV_MEAN),
                   "above_every_published_family": bool(cvs[chosen].mean > published[best_published].mean)},
    }
