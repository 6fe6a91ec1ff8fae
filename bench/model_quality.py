"""Model quality against the target and the published solutions, measured side by side.

Runs the whole model stage from scratch (no cache) on the modelling table in
results/, and prints: each family's repeated grouped-CV ROC-AUC (mean ± std) and
its gap to the best published family; the chosen model's test ROC-AUC with its
95 % bootstrap interval (and without the copy pair that straddles the split);
how much plain, ungrouped CV would flatter the chosen model; the time taken.
Prints figures; asserts nothing.
"""

import time

import numpy as np
import pandas as pd

from analysis.model import model_stage
from analysis.paths import RESULTS_DIR


def main() -> None:
    table = pd.read_csv(RESULTS_DIR / "model_table.csv")
    started = time.perf_counter()
    stage = model_stage.run_model_stage(table, log=lambda line: print(line, flush=True))
    seconds = time.perf_counter() - started
    metrics = stage.documents["metrics"]
    families = stage.tables["model_families"]
    baseline = metrics["chosen"]["best_published_family"]
    baseline_mean = metrics["families"][baseline]["cv_mean"]

    print(f"\nrepeated grouped CV ({metrics['cv']['splits']}×{metrics['cv']['repeats']}, copies kept together), "
          f"training part, ROC-AUC:")
    print(f"  {'family':<18}{'role':<11}{'mean':>8}{'std':>8}{'vs ' + baseline:>12}")
    for row in families.itertuples():
        mark = "  <- chosen" if row.chosen else ""
        print(f"  {row.family:<18}{row.role:<11}{row.cv_mean:>8.4f}{row.cv_std:>8.4f}"
              f"{row.cv_mean - baseline_mean:>+12.4f}{mark}")
    test = metrics["test"]
    print(f"\nchosen: {metrics['chosen']['name']} {metrics['chosen']['params']}")
    print(f"test ROC-AUC {test['roc_auc']:.4f}  (95% CI {test['ci_low']:.4f}–{test['ci_high']:.4f}); "
          f"without the {len(metrics['split']['straddling_copy_groups'])} straddling copy pair(s): "
          f"{test['roc_auc_without_straddling']:.4f}")
    at = metrics["at_threshold"]
    print(f"threshold {metrics['threshold']['value']:.2f}: recall {at['recall']:.3f}, precision {at['precision']:.3f}, "
          f"F1 {at['f1']:.3f}; Brier {metrics['brier']['test']:.4f}")
    target, published = metrics["target"], metrics["published"]
    print(f"target: test ≥ {target['test_roc_auc']} {'met' if target['test_met'] else 'NOT met'}, "
          f"CV mean ≥ {target['cv_mean']} {'met' if target['cv_met'] else 'NOT met'}, above every published family: "
          f"{'yes' if target['above_every_published_family'] else 'no'}")
    print(f"published: test ROC-AUC {published['test_roc_auc']}, recall {published['recall']}; "
          f"best honest published test ROC-AUC {published['best_honest_test_roc_auc']}")

    copies = metrics["cv"]["copies_ignored"]
    print(f"chosen model, {copies['splits']}×{copies['repeats']} CV on the training part: plain "
          f"{copies['plain_mean']:.4f}, grouped {copies['grouped_mean']:.4f} "
          f"(copies inflate plain CV by {copies['plain_mean'] - copies['grouped_mean']:+.4f})")
    print(f"\nmodel stage: {seconds:.1f} s on this machine ({', '.join(f'{k} {v:.1f} s' for k, v in stage.seconds.items())})")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
