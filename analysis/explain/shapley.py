"""Interventional SHAP values of any model by antithetic permutation sampling, batched.

The algorithm of shap.PermutationExplainer with an Independent masker, vectorised
over many customers per model call, so a slow model (a soft vote with an SVC) is
explained for every customer within the build's time budget. explain.py uses it
for every model whose exact explainer does not apply.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from joblib import Parallel, delayed

from ..constants import RANDOM_STATE

# Model rows per predict call of the model-agnostic path: big enough that per-call
# overhead (ExtraTrees' thread pool, the pipeline's transforms) does not dominate.
ROWS_PER_CALL = 40_000


def background_sample(rows: np.ndarray, size: int, random_state: int = RANDOM_STATE) -> np.ndarray:
    """`size` rows drawn without replacement with a fixed seed (all rows if there are fewer)."""
    if size >= len(rows):
        return rows.copy()
    chosen = np.random.default_rng(random_state).choice(len(rows), size=size, replace=False)
    return rows[np.sort(chosen)]


class ShapleyEstimate(NamedTuple):
    """values and standard_error: n × m; outputs f(row): n; base: mean f(background)."""

    values: np.ndarray
    outputs: np.ndarray
    base: float
    standard_error: np.ndarray


def permutation_shapley(predict, rows: np.ndarray, background: np.ndarray, *, permutations: int,
                        random_state: int = RANDOM_STATE, n_jobs: int = 1) -> ShapleyEstimate:
    """Interventional SHAP values of `predict` by antithetic permutation sampling.

    The algorithm of shap.PermutationExplainer with an Independent masker: for each
    row and each random feature order, switch features from the background to the
    row one by one, then off again in the same order (the reversed permutation), and
    credit each feature with the change of the background-averaged output. The
    forward and backward passes each telescope from base to output, so additivity
    is exact whatever the number of permutations; one antithetic permutation is
    already exact for models with at most pairwise interactions. Model calls are
    batched over many customers, and a background row whose value of the toggled
    feature equals the customer's is not re-evaluated (its output cannot change).

    A value is a mean over the background rows, so `standard_error` (their standard
    deviation / √rows) says how much it would move with another background sample.
    Orders are drawn once from `random_state`, so results do not depend on `n_jobs`.
    """
    n, m = rows.shape
    background_output = np.asarray(predict(background), float)
    outputs = np.asarray(predict(rows), float)
    orders = np.random.default_rng(random_state).permuted(
        np.broadcast_to(np.arange(m), (n, permutations, m)), axis=2)
    per_customer = max(1, permutations * 2 * m * len(background))
    step = max(1, ROWS_PER_CALL // per_customer)
    chunks = [(predict, rows[part], outputs[part], orders[part], background, background_output)
              for part in (slice(start, start + step) for start in range(0, n, step))]
    if n_jobs == 1 or len(chunks) == 1:
        parts = [_permutation_chunk(*chunk) for chunk in chunks]
    else:  # threads: the model's own numpy / scikit-learn code releases the GIL
        parts = Parallel(n_jobs=n_jobs, prefer="threads")(delayed(_permutation_chunk)(*chunk) for chunk in chunks)
    per_background_row = np.concatenate(parts)  # (n, m, background rows)
    return ShapleyEstimate(per_background_row.mean(axis=2), outputs, float(background_output.mean()),
                           per_background_row.std(axis=2, ddof=1) / np.sqrt(len(background))
                           if len(background) > 1 else np.full((n, m), np.nan))


def _permutation_chunk(predict, rows, row_outputs, orders, background, background_output) -> np.ndarray:
    """Each feature's contribution per customer and background row, averaged over permutations."""
    customers, permutations, m = orders.shape
    steps = 2 * m  # states 0..2m: all background → all customer (state m) → all background
    position = np.argsort(orders, axis=2)  # position[c, p, feature] in that order
    state = np.arange(steps + 1)
    forward = position[:, :, None, :] < state[: m + 1, None]
    backward = position[:, :, None, :] >= state[1: m + 1, None]
    switched_on = np.concatenate([forward, backward], axis=2)  # (c, p, state, feature)
    toggled = np.concatenate([orders, orders], axis=2)  # feature toggled on entering state 1..2m
    differs = rows[:, None, :] != background[None, :, :]  # (c, b, feature)
    changes = differs[np.arange(customers)[:, None, None], :, toggled]  # (c, p, step, b)
    interior = np.ones(steps, dtype=bool)
    interior[[m - 1, steps - 1]] = False  # states m and 2m are known: f(row), f(background)
    needed = changes & interior[None, None, :, None]
    c, p, s, b = np.nonzero(needed)
    masked = np.where(switched_on[c, p, s + 1], rows[c], background[b])
    evaluated = np.full(needed.shape, np.nan)
    if len(masked):
        evaluated[c, p, s, b] = predict(masked)
    output = np.empty((customers, permutations, steps + 1, len(background)))
    output[:, :, 0] = background_output
    for index in range(1, steps + 1):
        if index == m:
            output[:, :, index] = row_outputs[:, None, None]
        elif index == steps:
            output[:, :, index] = background_output
        else:
            output[:, :, index] = np.where(needed[:, :, index - 1], evaluated[:, :, index - 1],
                                           output[:, :, index - 1])
    gains = np.concatenate([np.diff(output[:, :, : m + 1], axis=2),  # switching on: (c, p, m, b)
                            -np.diff(output[:, :, m:], axis=2)], axis=2)  # switching off
    values = np.zeros((customers, m, len(background)))
    for permutation in range(permutations):
        for half in (slice(0, m), slice(m, steps)):
            np.add.at(values, (np.arange(customers)[:, None], orders[:, permutation]),
                      gains[:, permutation, half])
    return values / (2 * permutations)
