"""Nested grouped CV: the whole model selection repeated inside each outer fold.

The model chapter's «CV mean» is the chosen model's mean over the comparison folds —
the same folds that chose it among many candidates, so it is optimistic. Here every
outer fold (grouped by copy pair, stratified, repeated with fresh seeds) runs the
selection of model_stage on its own training rows only: each family's grid search
(with the memorisation rule), the comparison on fresh grouped folds, the soft vote of
the best three and `model_stage.choose_model`. The chosen pipeline is fitted on the
outer training rows and scores the outer held-out rows. The mean of those scores is
the honest figure. (Not repeated inside: the feature-selection candidate and the
sigmoid calibration — neither changes the ranking the ROC-AUC measures much.)

It costs the model stage's search once per outer fold, so it is not part of
`make results`: run it, and it writes bench/results/nested_cv.json, which the model
chapter quotes. Options: --outer-splits, --outer-repeats, --comparison-repeats, --jobs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from analysis.model import evaluation, model_stage, modeling
from analysis.constants import RANDOM_STATE
from analysis.paths import PROJECT_ROOT, RESULTS_DIR

OUTPUT = PROJECT_ROOT / "bench" / "results" / "nested_cv.json"
OUTER_SEED = RANDOM_STATE + 500


def select(X: pd.DataFrame, y: np.ndarray, groups: np.ndarray, comparison_repeats: int, jobs: int):
    """model_stage's choice on these rows only: (name, unfitted pipeline, its comparison mean)."""
    searches = modeling.search_all(X, y, groups, n_jobs=jobs)
    candidates = {name: search.probabilistic for name, search in searches.items()}
    comparison = modeling.RepeatedStratifiedGroupKFold(modeling.COMPARISON_SPLITS, comparison_repeats,
                                                       model_stage.COMPARISON_SEED)
    cvs = {name: evaluation.cross_validate(pipe, X, y, groups, comparison, n_jobs=jobs)
           for name, pipe in candidates.items()}
    members = sorted(cvs, key=lambda n: -cvs[n].mean)[:modeling.ENSEMBLE_SIZE]
    candidates["ensemble"] = modeling.soft_vote({name: candidates[name] for name in members})
    cvs["ensemble"] = evaluation.cross_validate(candidates["ensemble"], X, y, groups, comparison, n_jobs=jobs)
    chosen = model_stage.choose_model(cvs, candidates)["chosen"]
    return chosen, candidates[chosen], cvs[chosen].mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outer-splits", type=int, default=5)
    parser.add_argument("--outer-repeats", type=int, default=1)
    parser.add_argument("--comparison-repeats", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    table = pd.read_csv(RESULTS_DIR / "model_table.csv")
    metrics = json.loads((RESULTS_DIR / "metrics.json").read_text(encoding="utf-8"))
    split = model_stage.holdout_split(table)
    train = table.iloc[split.train]
    X, y, groups = modeling.model_inputs(train), modeling.target_vector(train), train["copy_group"].to_numpy()
    outer = modeling.RepeatedStratifiedGroupKFold(args.outer_splits, args.outer_repeats, OUTER_SEED)
    started, folds = time.perf_counter(), []
    for number, (fit_rows, held_out) in enumerate(outer.split(X, y, groups), start=1):
        name, pipeline, inner_mean = select(X.iloc[fit_rows], y[fit_rows], groups[fit_rows],
                                            args.comparison_repeats, args.jobs)
        fitted = clone(pipeline).fit(X.iloc[fit_rows], y[fit_rows])
        score = float(roc_auc_score(y[held_out], fitted.predict_proba(X.iloc[held_out])[:, 1]))
        folds.append({"fold": number, "chosen": name, "inner_cv_mean": inner_mean, "outer_roc_auc": score})
        print(f"outer fold {number}: chose {name:<12} inner CV {inner_mean:.4f}  outer ROC-AUC {score:.4f}"
              f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    outer_scores = np.array([fold["outer_roc_auc"] for fold in folds])
    summary = {
        "nested_mean": float(outer_scores.mean()), "nested_std": float(outer_scores.std(ddof=0)),
        "reported_cv_mean": metrics["chosen"]["cv_mean"], "reported_model": metrics["chosen"]["name"],
        "outer_splits": args.outer_splits, "outer_repeats": args.outer_repeats,
        "comparison_repeats": args.comparison_repeats, "grouped_by": "copy_group", "seed": OUTER_SEED,
        "rows": int(len(y)), "seconds": round(time.perf_counter() - started, 1), "folds": folds,
    }
    print(f"nested grouped CV (selection inside every outer fold): {summary['nested_mean']:.4f} "
          f"± {summary['nested_std']:.4f}; reported CV mean of the chosen model: {summary['reported_cv_mean']:.4f}")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {OUTPUT.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
