"""How much of the drop a budget-limited campaign reaches: cumulative gains and precision in the top k %.

Customers are ranked by predicted risk (out-of-fold for the training part, the final
model's for the test part: no customer is scored by a model that saw them). For the top
k % of the ranking: `gains` is the share of all customers whose activity dropped that
they contain, `precision` the share of them whose activity dropped, `lift` precision over
the overall drop share. The band is a seeded bootstrap over customers (2.5–97.5 %).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import RANDOM_STATE

SHARES = np.round(np.arange(0.05, 1.0001, 0.05), 2)
BOOTSTRAP_SAMPLES = 500
BAND = (2.5, 97.5)


def _curves(dropped: np.ndarray, probability: np.ndarray, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """gains and precision at each share, ranking by probability (ties in a stable order)."""
    order = np.argsort(-probability, kind="stable")
    captured = np.cumsum(dropped[order])
    top = np.maximum(np.ceil(shares * len(dropped)).astype(int), 1)
    total = captured[-1]
    gains = captured[top - 1] / total if total else np.full(len(shares), np.nan)
    return gains, captured[top - 1] / top


def cumulative_gains(dropped: np.ndarray, probability: np.ndarray, shares: np.ndarray = SHARES,
                     samples: int = BOOTSTRAP_SAMPLES, seed: int = RANDOM_STATE) -> pd.DataFrame:
    """share_targeted, customers, gains, precision, lift and their bootstrap bands (…_low, …_high).

    `dropped` is 1 where activity dropped, `probability` the predicted risk, row for row.
    """
    dropped = np.asarray(dropped, dtype=float)
    probability = np.asarray(probability, dtype=float)
    if len(dropped) != len(probability) or len(dropped) == 0:
        raise ValueError("dropped and probability must be non-empty and of equal length")
    gains, precision = _curves(dropped, probability, shares)
    rng = np.random.default_rng(seed)
    boot_gains, boot_precision = [], []
    for _ in range(samples):
        rows = rng.integers(0, len(dropped), len(dropped))
        sample_gains, sample_precision = _curves(dropped[rows], probability[rows], shares)
        boot_gains.append(sample_gains)
        boot_precision.append(sample_precision)
    gains_band = np.nanpercentile(boot_gains, BAND, axis=0)
    precision_band = np.nanpercentile(boot_precision, BAND, axis=0)
    base = dropped.mean()
    return pd.DataFrame({
        "share_targeted": shares, "customers": np.ceil(shares * len(dropped)).astype(int),
        "gains": gains, "gains_low": gains_band[0], "gains_high": gains_band[1],
        "precision": precision, "precision_low": precision_band[0], "precision_high": precision_band[1],
        "lift": precision / base, "drop_share": base,
    })
