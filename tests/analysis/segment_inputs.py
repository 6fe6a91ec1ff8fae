"""Generated model outputs (predictions, SHAP, threshold) for the real modelled customers."""

import numpy as np
import pandas as pd

from analysis.data.features import FEATURE_COLUMNS, NUMERIC_FEATURES

THRESHOLD = 0.36


def generated_model_outputs(table: pd.DataFrame, seed: int = 42):
    """customers.csv-, shap_values.csv- and metrics.json-like inputs for the real customers.

    SHAP is a signed, standardised copy of each numeric feature (so drivers follow
    the data); the probability is the base value plus the SHAP sum, squashed into (0, 1).
    """
    rng = np.random.default_rng(seed)
    shap = pd.DataFrame({"id": table["id"], "base_value": 0.37})
    for feature in FEATURE_COLUMNS:
        if feature in NUMERIC_FEATURES:
            values = table[feature].astype(float)
            shap[feature] = rng.choice([-1, 1]) * 0.05 * (values - values.mean()) / values.std()
        else:
            shap[feature] = rng.normal(0, 0.01, len(table))
    shap["service_type"] = 0.0  # a feature the model does not use
    total = shap[list(FEATURE_COLUMNS)].sum(axis=1) + 0.37
    probability = 1 / (1 + np.exp(-6 * (total - 0.37)))
    shap["model_output"] = probability
    customers = pd.DataFrame({"id": table["id"], "split": np.where(rng.random(len(table)) < 0.25, "test", "train"),
                              "probability_drop": probability,
                              "predicted_drop": (probability >= THRESHOLD).astype(int)})
    metrics = {"threshold": {"value": THRESHOLD}}
    return customers.sample(frac=1, random_state=seed), shap.sample(frac=1, random_state=seed + 1), metrics
