"""The campaign to run: who is targeted, the offer and control groups, and the experiment that measures it.

Built on the economics (economics.py) and the enriched customer table (segments.py):
one row per modelled customer with their risk, profit, offer and expected value under
the default assumptions. The targeting rule: every customer whose expected value is
positive. If nobody's is — the offer cannot be shown to pay before its effect is
measured — the campaign is the experiment: the priority segment's customers with an
offer, split at random into an offer group and a control group. Either way the
targeted customers are split, stratified by segment, so the result can be measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import economics, experiment, gains
from ..constants import POSITIVE_CLASS, RANDOM_STATE
from ..data.labels import REVENUE_COLUMNS
from .segments import ALPHA, POWER, PRIORITY_SEGMENT

# Control shares tried, largest first. When offers pay at the defaults the plan takes the smallest
# that still detects the break-even effect (few customers go without a paying offer); when nobody
# pays, equal halves: the most precise test, and every offer sent is an expected loss.
CONTROL_SHARES = (0.5, 0.4, 0.3, 0.2)
EQUAL_HALVES = (0.5,)
OFFER_GROUP, CONTROL_GROUP = "offer", "control"

CAMPAIGN_COLUMNS = ["id", "segment", "segment_label", "probability_drop", "profit", "offer", "offer_cost",
                    "assumed_effect", "profit_kept", "expected_value", "targeted", "group"]


def targeted_customers(table: pd.DataFrame, economics_table: pd.DataFrame,
                       priority_segment: str = PRIORITY_SEGMENT) -> tuple[pd.Series, str]:
    """(targeted mask, basis): basis «paying» (expected value > 0) or «experiment» (nobody pays:
    the priority segment's customers with an offer)."""
    paying = economics.targeting(economics_table)
    if paying.any():
        return paying, "paying"
    return (table["segment"] == priority_segment) & economics.has_offer(table["offer"]), "experiment"


def assign_groups(segment: pd.Series, control_share: float, seed: int = RANDOM_STATE) -> pd.Series:
    """offer / control for each customer, at random within each segment.

    Within a segment of n customers exactly round(n × control_share) go to control, so
    the share is the same in every segment (stratified); the draw depends only on the
    seed and the order of `segment`'s index, not on other segments.
    """
    rng = np.random.default_rng(seed)
    groups = pd.Series(OFFER_GROUP, index=segment.index, dtype=object)
    for key in sorted(segment.unique()):
        members = segment.index[segment == key]
        control = rng.permutation(len(members))[:round(len(members) * control_share)]
        groups.loc[members[control]] = CONTROL_GROUP
    return groups


def campaign_table(table: pd.DataFrame, assumptions: economics.Assumptions, control_share: float,
                   priority_segment: str = PRIORITY_SEGMENT) -> tuple[pd.DataFrame, str]:
    """CAMPAIGN_COLUMNS per modelled customer (sorted by id) and the targeting basis.

    `table` is the enriched customer table (segments.enrich_customers); `group` is empty
    for customers not targeted.
    """
    ordered = table.sort_values("id").reset_index(drop=True)
    values = economics.customer_economics(ordered, assumptions)
    targeted, basis = targeted_customers(ordered, values, priority_segment)
    campaign = pd.concat([ordered[["id", "segment", "segment_label", "probability_drop", "profit", "offer"]],
                          values], axis=1)
    campaign["targeted"] = targeted
    campaign["group"] = assign_groups(campaign.loc[targeted, "segment"], control_share).reindex(campaign.index)
    return campaign[CAMPAIGN_COLUMNS], basis


@dataclass(frozen=True)
class ExperimentDesign:
    """The randomised test of the targeted customers, sized for the break-even effect."""

    customers: int
    baseline_drop_share: float        # mean predicted risk of the targeted customers
    break_even_effect: float          # relative reduction at which their offers pay
    control_share: float
    plan: experiment.ExperimentPlan | None       # None when the offers cannot pay (break-even ≥ 1)
    minimum_detectable_effect: float  # smallest effect vs no effect the test detects at this split
    distinguishable_effect: float     # smallest effect the test tells apart from the break-even

    def as_dict(self) -> dict:
        plan = self.plan.as_dict() if self.plan else None
        return {"customers": self.customers, "baseline_drop_share": self.baseline_drop_share,
                "break_even_effect": self.break_even_effect, "control_share": self.control_share,
                "offer_group": self.customers - round(self.customers * self.control_share),
                "control_group": round(self.customers * self.control_share),
                "alpha": ALPHA, "power": POWER, "plan": plan,
                "feasible": bool(plan and plan["feasible"]),
                "minimum_detectable_effect": self.minimum_detectable_effect,
                "distinguishable_effect": self.distinguishable_effect}


def design_experiment(customers: int, baseline: float, break_even: float,
                      control_shares: tuple[float, ...] = CONTROL_SHARES) -> ExperimentDesign:
    """The smallest control share in `control_shares` whose test detects the break-even effect
    on `customers` (else the largest), with what that test can and cannot show.

    `distinguishable_effect`: the effect at which the offer group's drop share differs from
    what the break-even effect would give, at the same power — the test can tell a paying
    offer from a break-even one only above it.
    """
    if not 0 < baseline < 1 or not 0 < break_even < 1 or customers < 4:
        return ExperimentDesign(customers, baseline, break_even, max(control_shares), None, math.nan, math.nan)
    plans = {share: experiment.plan_experiment(baseline, break_even, customers, alpha=ALPHA, power=POWER,
                                               holdout_share=share) for share in control_shares}
    feasible = [share for share, plan in plans.items() if plan.feasible]
    share = min(feasible) if feasible else max(control_shares)
    detectable = experiment.minimum_detectable_uplift(baseline, customers, alpha=ALPHA, power=POWER,
                                                      holdout_share=share)
    at_break_even = baseline * (1 - break_even)
    beyond = experiment.minimum_detectable_uplift(at_break_even, customers, alpha=ALPHA, power=POWER,
                                                  holdout_share=share)
    distinguishable = 1 - (1 - break_even) * (1 - beyond) if not math.isnan(beyond) else math.nan
    return ExperimentDesign(customers, baseline, break_even, share, plans[share], detectable, distinguishable)


def revenue_per_profit(model_table: pd.DataFrame) -> float:
    """Total mean monthly revenue over total monthly profit of the modelled customers (the unit check)."""
    revenue = model_table[list(REVENUE_COLUMNS)].mean(axis=1).sum()
    return float(revenue / model_table["profit"].sum())


def segment_economics(campaign: pd.DataFrame, assumptions: economics.Assumptions,
                      labels: dict[str, str]) -> list[dict]:
    """Per segment (in `labels` order) and in total: what offers to all its customers with an offer
    would keep, cost and net under the defaults, the upper bound at a 100 % effect, how many pay,
    the break-even effect and the most an offer may cost at the assumed effect."""
    upper = assumptions.uniform(effect=1.0)
    groups = [(key, label, campaign["segment"] == key) for key, label in labels.items()]
    groups.append(("total", "Все покупатели", pd.Series(True, index=campaign.index)))
    rows = []
    for key, label, mask in groups:
        with_offer = campaign.loc[mask & economics.has_offer(campaign["offer"])]
        at_upper = economics.customer_economics(with_offer, upper)
        rows.append({"segment": key, "label": label, "customers": int(mask.sum()),
                     "with_offer": int(len(with_offer)), "paying": int((with_offer["expected_value"] > 0).sum()),
                     "targeted": int(campaign.loc[mask, "targeted"].sum()),
                     **{f"all_{name}": value for name, value in economics.totals(with_offer).items()
                        if name != "customers"},
                     "upper_bound_net": float(at_upper["expected_value"].sum()),
                     "break_even_effect": economics.break_even_effect(with_offer, assumptions),
                     "break_even_cost_share": economics.break_even_cost_share(with_offer, assumptions)})
    return rows


def campaign_document(campaign: pd.DataFrame, basis: str, design: ExperimentDesign,
                      assumptions: economics.Assumptions, labels: dict[str, str], unit_ratio: float,
                      priority_segment: str = PRIORITY_SEGMENT) -> dict:
    """campaign.json: the assumptions with their sources, the rule, the totals under the defaults,
    the break-even effect per segment and the experiment (the sentence on the money unit is the
    report's: report/campaign_text.with_words)."""
    paying = campaign.loc[campaign["expected_value"] > 0]
    targeted = campaign.loc[campaign["targeted"]]
    offer_group = targeted.loc[targeted["group"] == OFFER_GROUP]
    return _without_nan({
        "horizon_months": assumptions.horizon_months,
        "assumptions": assumptions.as_dict(),
        "revenue_per_profit": unit_ratio,
        "formula": "expected_value = probability_drop × effect × horizon_months × profit − offer_cost; "
                   "offer_cost = cost_share × horizon_months × profit + cost_fixed",
        "targeting_rule": "expected_value > 0; if nobody's is, the priority segment's customers with an offer "
                          "(the experiment)",
        "basis": basis,
        "columns": {"targeted": "in the campaign this period: the action list (offer or control group)",
                    "group": "offer: send the offer; control: send nothing (empty when not targeted)",
                    "expected_value": "under the default assumptions, money units of the export, over the horizon",
                    "assumed_effect": "0 for customers without an offer (nothing is sent)"},
        "nobody_pays_at_defaults": bool(paying.empty),
        "priority_segment": priority_segment,
        "priority_label": labels[priority_segment],
        "totals": {"paying": economics.totals(paying),
                   "targeted": {**economics.totals(targeted), "offer_group": int(len(offer_group)),
                                "control_group": int(len(targeted) - len(offer_group))},
                   "offer_group": economics.totals(offer_group)},
        "segments": segment_economics(campaign, assumptions, labels),
        "experiment": design.as_dict(),
        "read_after_months": assumptions.horizon_months,
    })


def _without_nan(value):
    """NaN (an undefined break-even, say) as JSON null: browsers' JSON.parse rejects NaN."""
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nan(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def build_campaign(table: pd.DataFrame, model_table: pd.DataFrame, labels: dict[str, str],
                   assumptions: economics.Assumptions = economics.DEFAULTS,
                   priority_segment: str = PRIORITY_SEGMENT) -> tuple[pd.DataFrame, dict]:
    """campaign.csv and campaign.json from the enriched customer table (pure, deterministic).

    The control share comes from the experiment plan, which needs the targeted customers,
    which do not depend on the split: targeting first, then the design, then the groups.
    """
    ordered = table.sort_values("id").reset_index(drop=True)
    values = economics.customer_economics(ordered, assumptions)
    targeted, basis = targeted_customers(ordered, values, priority_segment)
    chosen = ordered.loc[targeted]
    break_even = economics.break_even_effect(chosen, assumptions) if len(chosen) else math.nan
    design = design_experiment(int(targeted.sum()), float(chosen["probability_drop"].mean()) if len(chosen)
                               else math.nan, break_even, EQUAL_HALVES if basis == "experiment" else CONTROL_SHARES)
    campaign, basis = campaign_table(ordered, assumptions, design.control_share, priority_segment)
    document = campaign_document(campaign, basis, design, assumptions, labels, revenue_per_profit(model_table),
                                 priority_segment)
    return campaign, document


ACTION_LIST_COLUMNS = ["id", "segment_label", "group", "probability_drop", "profit", "offer", "offer_action",
                       "offer_cost", "expected_value", "top_drivers", "allow_messages", "popular_category"]


def action_list(campaign: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The targeted customers with what marketing needs: group, risk, profit, offer and what to do.

    Highest expected value first (ties by id); `table` is the enriched customer table
    (offer_action, top_drivers, consent).
    """
    details = table[["id", "offer_action", "top_drivers", "allow_messages", "popular_category"]]
    targeted = campaign.loc[campaign["targeted"]].merge(details, on="id", how="left", validate="one_to_one")
    ordered = targeted.sort_values(["expected_value", "id"], ascending=[False, True])
    return ordered[ACTION_LIST_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class CampaignResults:
    """What build-results writes for the campaign: <stem>.csv tables and campaign.json (the action
    list's Excel copy, for people, is report/workbooks.py's)."""

    tables: dict[str, pd.DataFrame]
    document: dict


def build_campaign_results(customers: pd.DataFrame, model_table: pd.DataFrame, labels: dict[str, str],
                           assumptions: economics.Assumptions = economics.DEFAULTS) -> CampaignResults:
    """campaign.csv, campaign_gains.csv, action_list.csv and campaign.json.

    `customers` is the enriched results/customers.csv (segments.build_segment_results),
    `model_table` results/model_table.csv (activity, consent, favourite category).
    """
    table = customers.merge(model_table[["id", "activity", "allow_messages", "popular_category"]], on="id",
                            how="left", validate="one_to_one", suffixes=("_old", ""))
    campaign, document = build_campaign(table, model_table, labels, assumptions)
    actions = action_list(campaign, table)
    labelled = table.dropna(subset=["activity"])
    gains_table = gains.cumulative_gains((labelled["activity"] == POSITIVE_CLASS).to_numpy(),
                                         labelled["probability_drop"].to_numpy())
    return CampaignResults({"campaign": campaign, "campaign_gains": gains_table, "action_list": actions}, document)
