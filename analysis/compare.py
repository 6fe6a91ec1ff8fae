"""How one group of customers differs from the rest, feature by feature, with honest statistics.

Every feature gets an effect size a marketer can read (difference of medians and
Cliff's delta for numbers, difference of shares for each category) and a test;
p-values are corrected for the number of comparisons (Holm), because with dozens
of comparisons some would look "significant" by chance alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

COMPARISON_COLUMNS = ["feature", "level", "kind", "group_value", "rest_value", "difference",
                      "effect_size", "effect_measure", "p_value", "p_adjusted", "significant"]


def cliffs_delta(group: pd.Series, rest: pd.Series) -> float:
    """P(group > rest) − P(group < rest) over all pairs, from the Mann–Whitney U statistic."""
    u_statistic = stats.mannwhitneyu(group, rest, alternative="two-sided").statistic
    return float(2 * u_statistic / (len(group) * len(rest)) - 1)


def compare_numeric(values: pd.Series, in_group: pd.Series) -> dict:
    group, rest = values[in_group], values[~in_group]
    return {
        "level": "", "kind": "number",
        "group_value": float(group.median()), "rest_value": float(rest.median()),
        "difference": float(group.median() - rest.median()),
        "effect_size": cliffs_delta(group, rest), "effect_measure": "Cliff's delta",
        "p_value": float(stats.mannwhitneyu(group, rest, alternative="two-sided").pvalue),
    }


def compare_levels(values: pd.Series, in_group: pd.Series) -> list[dict]:
    """One row per category level: share of the group vs share of the rest, Fisher's exact test."""
    rows = []
    for level in sorted(values.unique()):
        is_level = values == level
        table = [[int((is_level & in_group).sum()), int((~is_level & in_group).sum())],
                 [int((is_level & ~in_group).sum()), int((~is_level & ~in_group).sum())]]
        group_share, rest_share = is_level[in_group].mean(), is_level[~in_group].mean()
        rows.append({
            "level": level, "kind": "category",
            "group_value": float(group_share), "rest_value": float(rest_share),
            "difference": float(group_share - rest_share),
            "effect_size": float(group_share - rest_share), "effect_measure": "share difference",
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
