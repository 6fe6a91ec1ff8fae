"""Group comparisons: effect sizes mean what they say, p-values are corrected."""

import numpy as np
import pandas as pd
import pytest

from analysis.decide.compare import cliffs_delta, compare_groups


def brute_force_cliffs_delta(group, rest):
    group, rest = np.asarray(group)[:, None], np.asarray(rest)[None, :]
    return float((group > rest).mean() - (group < rest).mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cliffs_delta_matches_its_definition_with_ties(seed):
    rng = np.random.default_rng(seed)
    group, rest = pd.Series(rng.integers(0, 6, 40)), pd.Series(rng.integers(1, 7, 55))
    assert cliffs_delta(group, rest) == pytest.approx(brute_force_cliffs_delta(group, rest))


def test_separated_groups_have_extreme_delta():
    assert cliffs_delta(pd.Series([5, 6, 7]), pd.Series([1, 2, 3])) == 1.0
    assert cliffs_delta(pd.Series([1, 2, 3]), pd.Series([5, 6, 7])) == -1.0


def constructed_table(seed=42, n=400):
    """A real difference in `minutes` and in category «A»; `noise` has none."""
    rng = np.random.default_rng(seed)
    in_group = pd.Series(rng.random(n) < 0.3)
    table = pd.DataFrame({
        "minutes": np.where(in_group, rng.normal(10, 2, n), rng.normal(15, 2, n)),
        "noise": rng.normal(0, 1, n),
        "category": np.where(in_group, rng.choice(["A", "B"], n, p=[0.7, 0.3]),
                             rng.choice(["A", "B"], n, p=[0.3, 0.7])),
    })
    return table, in_group


def test_compare_groups_finds_the_planted_differences_only():
    table, in_group = constructed_table()
    comparison = compare_groups(table, in_group, ["minutes", "noise"], ["category"]).set_index(["feature", "level"])
    assert comparison.loc[("minutes", ""), "significant"]
    assert comparison.loc[("minutes", ""), "effect_size"] < -0.8
    assert comparison.loc[("minutes", ""), "difference"] == pytest.approx(
        table.minutes[in_group].median() - table.minutes[~in_group].median())
    assert not comparison.loc[("noise", ""), "significant"]
    share_a = comparison.loc[("category", "A")]
    assert share_a["significant"] and share_a["group_value"] == pytest.approx((table.category[in_group] == "A").mean())
    # a yes/no-like feature is compared once: «B» is «A» mirrored, not a second comparison
    assert ("category", "B") not in comparison.index
    # bootstrap intervals hold the estimate; the planted effects exclude 0, the noise does not
    for key in [("minutes", ""), ("noise", ""), ("category", "A")]:
        row = comparison.loc[key]
        assert row["effect_ci_low"] <= row["effect_size"] <= row["effect_ci_high"]
    assert comparison.loc[("minutes", ""), "effect_ci_high"] < 0 and share_a["effect_ci_low"] > 0
    assert comparison.loc[("noise", ""), "effect_ci_low"] < 0 < comparison.loc[("noise", ""), "effect_ci_high"]


def test_three_levels_are_each_compared():
    table, in_group = constructed_table()
    table["category"] = np.where(table.index % 3 == 0, "C", table["category"])
    comparison = compare_groups(table, in_group, [], ["category"])
    assert sorted(comparison["level"]) == ["A", "B", "C"]


def test_holm_adjusted_p_values_are_never_smaller_and_rows_sorted_by_effect():
    table, in_group = constructed_table(seed=7)
    comparison = compare_groups(table, in_group, ["minutes", "noise"], ["category"])
    assert (comparison["p_adjusted"] >= comparison["p_value"] - 1e-15).all()
    effects = comparison["effect_size"].abs().to_numpy()
    assert (np.diff(effects) <= 1e-12).all()


def test_a_group_of_everyone_is_refused():
    table, _ = constructed_table()
    with pytest.raises(ValueError):
        compare_groups(table, pd.Series(True, index=table.index), ["minutes"], [])
