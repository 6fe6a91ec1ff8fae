"""How one group of customers differs from the rest, feature by feature: a description.

Every feature gets an effect size a marketer can read (difference of medians and
Cliff's delta for numbers, difference of shares for each category) with a bootstrap
95 % interval. The groups compared here are defined from these same features (the
model's risk, the promo share), so a difference is expected by construction: the
comparison describes a segment, it does not prove why it is at risk, and no offer
rests on its p-values. The p-values (Holm-corrected over all rows) are kept in the
table for reference only. A yes/no feature is compared once (its other level is the
complement), not twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ..constants import RANDOM_STATE

COMPARISON_COLUMNS = ["feature", "level", "kind", "group_value", "rest_value", "difference",
                      "effect_size", "effect_ci_low", "effect_ci_high", "effect_measure",
                      "p_value", "p_adjusted", "significant"]
BOOTSTRAP_RESAMPLES = 500
CONFIDENCE = 0.95


def _bootstrap_rows(size: int, rng: np.random.Generator, resamples: int) -> np.ndarray:
    return rng.integers(0, size, (resamples, size))


def _interval(samples: np.ndarray) -> tuple[float, float]:
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def cliffs_delta_interval(group: np.ndarray, rest: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES,
                          random_state: int = RANDOM_STATE) -> tuple[float, float]:
    """Percentile bootstrap interval of Cliff's delta (group and rest resampled separately)."""
    rng = np.random.default_rng(random_state)
    g = np.asarray(group, float)[_bootstrap_rows(len(group), rng, resamples)]
    r = np.asarray(rest, float)[_bootstrap_rows(len(rest), rng, resamples)]
    ranks = stats.rankdata(np.concatenate([g, r], axis=1), axis=1)
    u = ranks[:, :g.shape[1]].sum(axis=1) - g.shape[1] * (g.shape[1] + 1) / 2
    return _interval(2 * u / (g.shape[1] * r.shape[1]) - 1)


def share_difference_interval(group: np.ndarray, rest: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES,
                              random_state: int = RANDOM_STATE) -> tuple[float, float]:
    """Percentile bootstrap interval of a difference of shares (0/1 arrays)."""
    rng = np.random.default_rng(random_state)
    g = np.asarray(group, float)[_bootstrap_rows(len(group), rng, resamples)].mean(axis=1)
    r = np.asarray(rest, float)[_bootstrap_rows(len(rest), rng, resamples)].mean(axis=1)
    return _interval(g - r)


def cliffs_delta(group: pd.Series, rest: pd.Series) -> float:
    """P(group > rest) − P(group < rest) over all pairs, from the Mann–Whitney U statistic."""
    u_statistic = stats.mannwhitneyu(group, rest, alternative="two-sided").statistic
    return float(2 * u_statistic / (len(group) * len(rest)) - 1)


def compare_numeric(values: pd.Series, in_group: pd.Series) -> dict:
    group, rest = values[in_group], values[~in_group]
    low, high = cliffs_delta_interval(group.to_numpy(), rest.to_numpy())
    return {
        "level": "", "kind": "number",
        "group_value": float(group.median()), "rest_value": float(rest.median()),
        "difference": float(group.median() - rest.median()),
        "effect_size": cliffs_delta(group, rest), "effect_ci_low": low, "effect_ci_high": high,
        "effect_measure": "Cliff's delta",
        "p_value": float(stats.mannwhitneyu(group, rest, alternative="two-sided").pvalue),
    }


def compare_levels(values: pd.Series, in_group: pd.Series) -> list[dict]:
    """One row per category level: share of the group vs share of the rest, Fisher's exact test.

    A two-level feature gives one row (its first level): the other is the same fact mirrored.
    """
    rows = []
    levels = sorted(values.unique())
    for level in levels[:1] if len(levels) == 2 else levels:
        is_level = values == level
        table = [[int((is_level & in_group).sum()), int((~is_level & in_group).sum())],
                 [int((is_level & ~in_group).sum()), int((~is_level & ~in_group).sum())]]
        group_share, rest_share = is_level[in_group].mean(), is_level[~in_group].mean()
        low, high = share_difference_interval(is_level[in_group].to_numpy(), is_level[~in_group].to_numpy())
        rows.append({
            "level": level, "kind": "category",
            "group_value": float(group_share), "rest_value": float(rest_share),
            "difference": float(group_share - rest_share),
            "effect_size": float(group_share - rest_share), "effect_ci_low": low, "effect_ci_high": high,
            "effect_measure": "share difference",
            "p_value": float(stats.fisher_exact(table).pvalue),
        })
    return rows


def compare_groups(table: pd.DataFrame, in_group: pd.Series, numeric: list[str],
                   categorical: list[str], alpha: float = 0.05) -> pd.DataFrame:
    """Compare customers where `in_group` is True with all others, every feature.

    Returns COMPARISON_COLUMNS, sorted by the size of the effect (largest first);
    `p_adjusted` is Holm-corrected over all rows, `significant` = p_adjusted < alpha.
    """
    in_group = in_group.astype(bool)
    if in_group.all() or not in_group.any():
        raise ValueError("compare_groups needs customers both in and out of the group")
    rows = [{"feature": column, **compare_numeric(table[column], in_group)} for column in numeric]
    for column in categorical:
        rows += [{"feature": column, **row} for row in compare_levels(table[column], in_group)]
    comparison = pd.DataFrame(rows)
    reject, adjusted, _, _ = multipletests(comparison["p_value"], alpha=alpha, method="holm")
    comparison["p_adjusted"], comparison["significant"] = adjusted, reject
    order = np.argsort(-comparison["effect_size"].abs().to_numpy(), kind="stable")
    return comparison.iloc[order].reset_index(drop=True)[COMPARISON_COLUMNS]
