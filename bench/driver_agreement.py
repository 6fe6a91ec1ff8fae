"""How far the scorer's fast drivers are from the exact ones, and how far the exact ones are from themselves.

The report's per-customer SHAP values are exact TreeSHAP of the cross-fitted forests;
with every forest refitted under another seed they pick a different top driver for
a few customers. That is the ceiling any approximation can be judged against. The
dependence-curve approximation (driver_curves.py) is measured out of fold, as in
results/scoring.json. Prints figures; asserts nothing. About a minute on 2 cores.
"""

from __future__ import annotations

import pandas as pd

from analysis.model import model_store
from analysis.explain import crossfit_explain, driver_curves
from analysis.decide import segments
from analysis.model.model_stage import FINAL_MODEL
from analysis.data.features import FEATURE_COLUMNS
from analysis.paths import RESULTS_DIR
from analysis.score.scoring import DRIVER_CHOICES

OTHER_SEED = crossfit_explain.OTHER_SEED


def main() -> None:
    table = pd.read_csv(RESULTS_DIR / "model_table.csv")
    exact = segments.shap_features(pd.read_csv(RESULTS_DIR / "shap_values.csv"))
    features = table.set_index("id").loc[exact.index, list(FEATURE_COLUMNS)]
    customers = pd.read_csv(RESULTS_DIR / "customers.csv")
    final_model = model_store.load_model()
    models = {**crossfit_explain.refit_fold_models(final_model, table), FINAL_MODEL: final_model}
    refitted = crossfit_explain.refit_with_seed(models, table, customers, OTHER_SEED)
    reseeded = crossfit_explain.explain_cross_fitted(refitted, table.sort_values("id", ignore_index=True),
                                                     customers.set_index("id")["scored_by"],
                                                     random_state=OTHER_SEED).values[exact.columns]
    print(f"{'choice':<16}{'approx vs exact':>17}{f'exact, seed {OTHER_SEED} vs report':>28}")
    for name, choose in DRIVER_CHOICES.items():
        approx = driver_curves.fidelity(features, exact, choose)["agreement"]
        ceiling = float((choose(reseeded).fillna("—") == choose(exact).fillna("—")).mean())
        print(f"{name:<16}{approx:>17.3f}{ceiling:>28.3f}")
    print(f"customers: {len(exact)}")


if __name__ == "__main__":
    main()
