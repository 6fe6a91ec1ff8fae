"""How to know an offer worked: the randomised hold-out test and the sample it needs.

Customers of a segment are split at random into an offer group and a hold-out
group; after the period, the share of customers whose activity dropped is compared.
The question answered here: how many customers does that comparison need to detect
the assumed effect at the stated power and significance — and does the segment have them?
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize


@dataclass(frozen=True)
class ExperimentPlan:
    baseline_drop_share: float    # share of the segment expected to drop without an offer
    treated_drop_share: float     # the same share if the offer works as assumed
    alpha: float
    power: float
    holdout_share: float          # fraction of the segment kept without the offer
    offer_group_needed: int
    holdout_needed: int
    total_needed: int
    segment_size: int

    @property
    def feasible(self) -> bool:
        return self.segment_size >= self.total_needed

    def as_dict(self) -> dict:
        return {**asdict(self), "feasible": self.feasible}


def plan_experiment(baseline_drop_share: float, relative_uplift: float, segment_size: int, *,
                    alpha: float = 0.05, power: float = 0.8,
                    holdout_share: float = 0.5) -> ExperimentPlan:
    """Sample size for a two-sided two-proportion test (Cohen's h, normal approximation).

    `relative_uplift` is the assumed relative reduction of the drop share by the offer
    (0.2 = a fifth fewer customers drop). With `holdout_share` < 0.5 fewer customers
    go without the offer, at the cost of a larger total.
    """
    if not 0 < baseline_drop_share < 1 or not 0 < relative_uplift < 1:
        raise ValueError("baseline_drop_share and relative_uplift must be in (0, 1)")
    treated = baseline_drop_share * (1 - relative_uplift)
    effect = proportion_effectsize(baseline_drop_share, treated)
    ratio = holdout_share / (1 - holdout_share)  # holdout size / offer-group size
    offer_group = NormalIndPower().solve_power(effect_size=effect, alpha=alpha, power=power,
                                               ratio=ratio, alternative="two-sided")
    offer_group_needed = math.ceil(offer_group)
    holdout_needed = math.ceil(offer_group * ratio)
    return ExperimentPlan(baseline_drop_share, treated, alpha, power, holdout_share,
                          offer_group_needed, holdout_needed, offer_group_needed + holdout_needed,
                          segment_size)


def minimum_detectable_uplift(baseline_drop_share: float, segment_size: int, *, alpha: float = 0.05,
                              power: float = 0.8, holdout_share: float = 0.5) -> float:
    """The smallest relative uplift a test on `segment_size` customers detects (NaN if none < 1).

    The inverse of `plan_experiment`: what the segment *can* show, when it is too small
    for the uplift one hoped for.
    """
    offer_group = math.floor(segment_size * (1 - holdout_share))  # what the segment can fill
    ratio = holdout_share / (1 - holdout_share)
    if offer_group < 2 or offer_group * ratio < 2:
        return math.nan
    effect = NormalIndPower().solve_power(nobs1=offer_group, alpha=alpha, power=power, ratio=ratio,
                                          alternative="two-sided")
    # Cohen's h = 2·asin√p1 − 2·asin√p2, solved for p2 below the baseline.
    angle = 2 * math.asin(math.sqrt(baseline_drop_share)) - effect
    if angle <= 0:
        return math.nan
    treated = math.sin(angle / 2) ** 2
    return 1 - treated / baseline_drop_share


def enrolment_periods(total_needed: int, eligible_per_period: int) -> int:
    """Horizons of enrolment needed to reach `total_needed`, if each brings as many new eligible customers.

    Assumes the store sees a similar number of eligible customers in each period
    (a stated assumption, not something these data can show: they cover one period).
    """
    if eligible_per_period <= 0:
        raise ValueError("eligible_per_period must be positive")
    return math.ceil(total_needed / eligible_per_period)
