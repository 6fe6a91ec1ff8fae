"""How far the scorer's fast drivers are from the exact ones, and how far the exact ones are from themselves.

The report's per-customer SHAP values come from a permutation explainer with a
fixed seed; recomputed with another seed they pick a different top driver for
some customers. That is the ceiling any approximation can be judged against. The
dependence-curve approximation (driver_curves.py) is measured out of fold, as in
results/scoring.json. Prints figures; asserts nothing. About a minute on 2 cores.
"""

from __future__ import annotations

import pandas as pd

from analysis import driver_curves, explain, model_store, segments
from analysis.features import FEATURE_COLUMNS
from analysis.paths import RESULTS_DIR
from analysis.scoring import DRIVER_CHOICES

OTHER_SEED = 7


def main() -> None:
    table = pd.read_csv(RESULTS_DIR / "model_table.csv")
    exact = segments.shap_features(pd.read_csv(RESULTS_DIR / "shap_values.csv"))
    features = table.set_index("id").loc[exact.index, list(FEATURE_COLUMNS)]
    reseeded = explain.explain_model(model_store.load_model(), table, random_state=OTHER_SEED).values[exact.columns]
    print(f"{'choice':<16}{'approx vs exact':>17}{f'exact, seed {OTHER_SEED} vs report':>28}")
    for name, choose in DRIVER_CHOICES.items():
        approx = driver_curves.fidelity(features, exact, choose)["agreement"]
        ceiling = float((choose(reseeded).fillna("—") == choose(exact).fillna("—")).mean())
        print(f"{name:<16}{approx:>17.3f}{ceiling:>28.3f}")
    print(f"customers: {len(exact)}")


if __name__ == "__main__":
    main()
