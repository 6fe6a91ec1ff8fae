"""Experiment sizing agrees with the textbook formula and reacts to its inputs as it should."""

import math

import pytest
from scipy.stats import norm

from analysis.decide.experiment import plan_experiment


def textbook_per_group(p1, p2, alpha=0.05, power=0.8):
    """Arcsine (Cohen's h) normal approximation, equal groups.

    Var(2·asin√p̂) ≈ 1/n per group, so the difference of two groups has variance 2/n:
    n = 2 · ((z_a + z_b) / h)^2. It also agrees, within a few percent, with the
    plain variance formula (z_a + z_b)^2 (p1 q1 + p2 q2) / (p1 − p2)^2.
    """
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
    return 2 * ((norm.ppf(1 - alpha / 2) + norm.ppf(power)) / h) ** 2


@pytest.mark.parametrize("baseline,uplift", [(0.7, 0.2), (0.5, 0.1), (0.3, 0.3)])
def test_equal_split_matches_the_formula(baseline, uplift):
    plan = plan_experiment(baseline, uplift, segment_size=10_000)
    expected = math.ceil(textbook_per_group(baseline, baseline * (1 - uplift)))
    assert plan.offer_group_needed == expected == plan.holdout_needed
    assert plan.total_needed == 2 * expected and plan.feasible
    p1, p2 = baseline, baseline * (1 - uplift)
    plain = (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p1 - p2) ** 2
    assert plan.offer_group_needed == pytest.approx(plain, rel=0.05)


def test_smaller_effects_need_more_customers():
    sizes = [plan_experiment(0.6, uplift, 100).total_needed for uplift in (0.3, 0.2, 0.1)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_small_holdout_costs_a_larger_total_and_feasibility_follows_segment_size():
    equal = plan_experiment(0.6, 0.2, 300)
    small_holdout = plan_experiment(0.6, 0.2, 300, holdout_share=0.2)
    assert small_holdout.holdout_needed < equal.holdout_needed
    assert small_holdout.total_needed > equal.total_needed
    assert plan_experiment(0.6, 0.2, equal.total_needed).feasible
    assert not plan_experiment(0.6, 0.2, equal.total_needed - 1).feasible


def test_impossible_inputs_are_refused():
    with pytest.raises(ValueError):
        plan_experiment(1.2, 0.2, 100)


@pytest.mark.parametrize("baseline,size", [(0.8, 231), (0.5, 1000), (0.3, 400)])
def test_minimum_detectable_uplift_is_the_inverse_of_the_sample_size(baseline, size):
    from analysis.decide.experiment import minimum_detectable_uplift

    uplift = minimum_detectable_uplift(baseline, size)
    plan = plan_experiment(baseline, uplift, size)
    assert abs(plan.total_needed - size) <= 2  # rounding to whole customers per group
    assert minimum_detectable_uplift(baseline, 4 * size) < uplift


def test_enrolment_periods_round_up():
    from analysis.decide.experiment import enrolment_periods

    assert enrolment_periods(168, 130) == 2 and enrolment_periods(130, 130) == 1
    with pytest.raises(ValueError):
        enrolment_periods(10, 0)
