"""Whom to target: customers placed on predicted risk × profit, and what is at stake.

Risk is the model's probability of a drop (out-of-fold for training customers, so
no customer is scored by a model that saw them); the risk cut is the model's
business threshold. Profit is unimodal with no natural break, so its cut is the
median: two halves of equal size, each large enough to act on and to test.
The behavioural segment — «охотники за акциями» — rests on a real break: the
share of promo purchases is bimodal, with almost no customers between 0.5 and 0.8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import compare, economics, experiment, offers
from ..constants import HORIZON_MONTHS, POSITIVE_CLASS
from ..data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, FEATURE_LABELS, NUMERIC_FEATURES

SEGMENT_LABELS = {
    "high_risk_high_profit": "Высокий риск · высокая прибыль",
    "high_risk_low_profit": "Высокий риск · низкая прибыль",
    "low_risk_high_profit": "Низкий риск · высокая прибыль",
    "low_risk_low_profit": "Низкий риск · низкая прибыль",
}
PRIORITY_SEGMENT = "high_risk_high_profit"
PROMO_HUNTER_SHARE = 0.5  # the empty gap of the bimodal promo-share distribution
BEHAVIOURAL_SEGMENT = "promo_hunters"
BEHAVIOURAL_LABEL = "Охотники за акциями"
# Segments that get offers, an evidence-backed comparison and a what-if.
OFFER_SEGMENTS = {PRIORITY_SEGMENT: SEGMENT_LABELS[PRIORITY_SEGMENT],
                  BEHAVIOURAL_SEGMENT: BEHAVIOURAL_LABEL}

# The what-if's range of effects; the experiment's significance and power (stated in the chapter).
WHAT_IF_UPLIFTS = (0.05, 0.10, 0.20, 0.30, 0.40, 0.50, 0.75, 1.0)
ALPHA, POWER = 0.05, 0.8
TOP_DRIVERS = 3


@dataclass(frozen=True)
class SegmentCuts:
    risk: float    # probability of a drop at or above which a customer is "high risk"
    profit: float  # monthly profit at or above which a customer is "high profit"


def segment_cuts(customers: pd.DataFrame, risk_threshold: float) -> SegmentCuts:
    return SegmentCuts(risk=float(risk_threshold), profit=float(customers["profit"].median()))


def assign_segments(customers: pd.DataFrame, cuts: SegmentCuts) -> pd.Series:
    """One segment key per customer; every customer gets exactly one."""
    risk = np.where(customers["probability_drop"] >= cuts.risk, "high_risk", "low_risk")
    profit = np.where(customers["profit"] >= cuts.profit, "high_profit", "low_profit")
    return pd.Series(np.char.add(np.char.add(risk, "_"), profit), index=customers.index,
                     name="segment")


def promo_hunters(customers: pd.DataFrame) -> pd.Series:
    """The behavioural segment: customers who buy mostly on promotion."""
    return customers["promo_share"] >= PROMO_HUNTER_SHARE


def expected_profit_at_risk(customers: pd.DataFrame, months: int = HORIZON_MONTHS) -> pd.Series:
    """probability of a drop × monthly profit × horizon.

    Assumption (stated in the chapter): a customer whose activity drops puts their
    whole profit over the horizon at risk. It is an upper bound — buying less is not
    buying nothing — and the ranking of customers does not depend on it.
    """
    return customers["probability_drop"] * customers["profit"] * months


def _group_row(frame: pd.DataFrame, months: int) -> dict:
    at_stake = expected_profit_at_risk(frame, months)
    row = {"customers": len(frame), "mean_risk": frame["probability_drop"].mean(),
           "horizon_profit": (frame["profit"] * months).sum(), "profit_at_stake": at_stake.sum()}
    if "activity" in frame.columns:
        row["drop_share"] = (frame["activity"] == POSITIVE_CLASS).mean()
    return row


def segment_summary(customers: pd.DataFrame, months: int = HORIZON_MONTHS) -> pd.DataFrame:
    """Size, share, mean risk, profit and profit at stake per segment, in SEGMENT_LABELS order.

    The four rows partition the customers, so their counts and money add up to the
    totals. `drop_share` (when `activity` is given) is the share already labelled
    «Снизилась» — a check that the predicted risk means what it says.
    """
    rows = [{"segment": key, "label": label,
             **_group_row(customers.loc[customers["segment"] == key], months)}
            for key, label in SEGMENT_LABELS.items()]
    summary = pd.DataFrame(rows).fillna({"mean_risk": 0, "drop_share": 0})
    summary["share"] = summary["customers"] / len(customers)
    summary["share_of_at_stake"] = summary["profit_at_stake"] / summary["profit_at_stake"].sum()
    return summary


def behavioural_summary(customers: pd.DataFrame, months: int = HORIZON_MONTHS) -> pd.DataFrame:
    """The same figures for the promo hunters, who cut across the four segments."""
    hunters = customers.loc[customers["promo_hunter"]]
    row = {"segment": BEHAVIOURAL_SEGMENT, "label": BEHAVIOURAL_LABEL, **_group_row(hunters, months)}
    row["share"] = len(hunters) / len(customers)
    row["share_of_at_stake"] = row["profit_at_stake"] / expected_profit_at_risk(customers, months).sum()
    return pd.DataFrame([row])


def what_if(customers: pd.DataFrame, uplifts: tuple[float, ...] = WHAT_IF_UPLIFTS,
            assumptions: economics.Assumptions = economics.DEFAULTS) -> pd.DataFrame:
    """Offers to every customer of the group who has one, for a range of assumed effects (economics.py).

    Uplift = the relative reduction of each customer's drop probability by the offer
    (an assumption, shown as a range, not a promise); each offer costs what the
    assumptions say. `break_even_uplift` is the effect at which the offers pay for
    themselves, `max_offer_cost_share` the most an offer may cost (share of the
    receivers' profit over the horizon) to break even at that uplift.
    """
    with_offer = customers.loc[economics.has_offer(customers["offer"])]
    rows = []
    for uplift in uplifts:
        scenario = assumptions.uniform(effect=uplift)
        values = economics.totals(economics.customer_economics(with_offer, scenario))
        rows.append({"uplift": uplift, "profit_saved": values["profit_kept"], "offer_cost": values["offer_cost"],
                     "net": values["net"],
                     "max_offer_cost_share": economics.break_even_cost_share(with_offer, scenario)})
    table = pd.DataFrame(rows)
    table["break_even_uplift"] = economics.break_even_effect(with_offer, assumptions)
    return table


# --- the customer table: segment, money at stake, drivers and offer per customer ---------------

ENRICHED_COLUMNS = ("segment", "segment_label", "promo_hunter", "profit", "expected_profit_at_risk",
                    "top_drivers", "top_actionable_driver", "offer", "offer_action")


def shap_features(shap_values: pd.DataFrame) -> pd.DataFrame:
    """SHAP values indexed by id, one column per model feature (other columns dropped)."""
    columns = [feature for feature in FEATURE_COLUMNS if feature in shap_values.columns]
    if not columns:
        raise ValueError("shap_values has none of the model's feature columns")
    return shap_values.set_index("id")[columns]


def top_drivers(shap: pd.DataFrame, n: int = TOP_DRIVERS) -> pd.Series:
    """The n features with the largest |SHAP| per customer as «Label (+); Label (−)».

    (+) raises the customer's risk of a drop, (−) lowers it; features with a SHAP of
    exactly zero (unused by the model) are never listed. Ties keep column order.
    """
    values = shap.to_numpy()
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    signs = np.sign(np.take_along_axis(values, order, axis=1)).astype(int)
    labels = [FEATURE_LABELS.get(column, column) for column in shap.columns]
    # Millions of customers share a few thousand (feature, sign) combinations: build each text once.
    combinations, which = np.unique(order * 3 + signs + 1, axis=0, return_inverse=True)
    texts = np.array(["; ".join(f"{labels[code // 3]} ({'+' if code % 3 == 2 else '−'})"
                                for code in combination if code % 3 != 1)
                      for combination in combinations], dtype=object)
    return pd.Series(texts[which.ravel()] if len(values) else [], index=shap.index, name="top_drivers",
                     dtype=object)


def enrich_customers(model_table: pd.DataFrame, customers: pd.DataFrame, shap: pd.DataFrame,
                     risk_threshold: float) -> pd.DataFrame:
    """customers.csv plus ENRICHED_COLUMNS, one row per modelled customer, sorted by id.

    Low-risk customers keep their driver but get no offer (see drivers_and_offers).
    """
    base = customers.drop(columns=[c for c in ENRICHED_COLUMNS if c in customers.columns])
    features = model_table[["id", "activity", *FEATURE_COLUMNS, "profit"]]
    table = base.merge(features, on="id", how="left", validate="one_to_one").sort_values("id")
    missing = set(table["id"]) - set(shap.index)
    if table["profit"].isna().any() or missing:
        raise ValueError(f"customers without profit or SHAP values: {sorted(missing)[:5]}")
    table = table.reset_index(drop=True)
    cuts = segment_cuts(table, risk_threshold)
    table["segment"] = assign_segments(table, cuts)
    table["segment_label"] = table["segment"].map(SEGMENT_LABELS)
    table["promo_hunter"] = promo_hunters(table)
    table["expected_profit_at_risk"] = expected_profit_at_risk(table)
    actions = drivers_and_offers(shap.loc[table["id"]], table, table["probability_drop"] >= cuts.risk, model_table)
    table[list(actions.columns)] = actions
    return table


def drivers_and_offers(shap: pd.DataFrame, customers: pd.DataFrame, high_risk: pd.Series,
                       reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """top_drivers, top_actionable_driver, offer and offer_action, one row per customer.

    `shap` holds the customers' SHAP values row for row (any index); `customers` their
    allow_messages and popular_category; the result has `customers`' index. Only
    high-risk customers get an offer (NOT_NEEDED otherwise): below the business
    threshold an offer costs more than the drop it could prevent. The report and
    the scorer (scoring.py) both use this, so the rule lives in one place. An offer
    answers its premise (offers.premise_holds) relative to the medians of `reference`
    (the report's modelling table; default `customers`).
    """
    shap = shap.set_axis(customers.index)
    reference = customers if reference is None else reference
    medians = reference[[f for f in NUMERIC_FEATURES if f in reference]].median()
    driver = offers.top_actionable_driver(shap, offers.premise_holds(customers, medians))
    personal = offers.personal_offers(driver, customers["allow_messages"], customers["popular_category"])
    return pd.DataFrame({"top_drivers": top_drivers(shap), "top_actionable_driver": driver,
                         "offer": personal["offer"].where(high_risk, offers.NOT_NEEDED),
                         "offer_action": personal["offer_action"].where(high_risk, "")}, index=customers.index)


def segment_masks(table: pd.DataFrame) -> dict[str, pd.Series]:
    """The offer segments as boolean masks over the enriched table."""
    return {PRIORITY_SEGMENT: table["segment"] == PRIORITY_SEGMENT,
            BEHAVIOURAL_SEGMENT: table["promo_hunter"].astype(bool)}


def segment_drivers(shap: pd.DataFrame, in_group: pd.Series) -> pd.DataFrame:
    """Mean SHAP and mean |SHAP| per feature in the group vs the rest, strongest (in group) first.

    `shap` and `in_group` share one index (customer ids). Mean SHAP > 0: on average
    the feature raises the group's risk; mean |SHAP|: how much it moves it either way.
    """
    group, rest = shap.loc[in_group.to_numpy()], shap.loc[~in_group.to_numpy()]
    drivers = pd.DataFrame({
        "feature": shap.columns, "label": [FEATURE_LABELS.get(c, c) for c in shap.columns],
        "mean_shap_group": group.mean().to_numpy(), "mean_shap_rest": rest.mean().to_numpy(),
        "mean_abs_shap_group": group.abs().mean().to_numpy(),
        "mean_abs_shap_rest": rest.abs().mean().to_numpy(),
    })
    return drivers.sort_values("mean_abs_shap_group", ascending=False, kind="stable").reset_index(drop=True)


# The feature a behavioural segment is cut on: comparing the segment on it says nothing.
DEFINING_FEATURES = {BEHAVIOURAL_SEGMENT: ("promo_share",)}


def labelled_comparison(table: pd.DataFrame, in_group: pd.Series, features: list[str] | None = None,
                        leave_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """compare.compare_groups (a description) over `features` (default: every model feature)
    except `leave_out` (the feature that defines the group), with the features' Russian labels."""
    features = [f for f in (features or FEATURE_COLUMNS) if f not in leave_out]
    comparison = compare.compare_groups(table, in_group, [f for f in NUMERIC_FEATURES if f in features],
                                        [f for f in CATEGORICAL_FEATURES if f in features], alpha=ALPHA)
    comparison.insert(1, "label", comparison["feature"].map(FEATURE_LABELS))
    return comparison


def what_if_by_segment(table: pd.DataFrame, masks: dict[str, pd.Series]) -> pd.DataFrame:
    """what_if for every offer segment and for all high-risk customers together."""
    groups = {**{key: (OFFER_SEGMENTS[key], mask) for key, mask in masks.items()},
              "high_risk": ("Весь высокий риск", table["segment"].str.startswith("high_risk"))}
    frames = [what_if(table.loc[mask]).assign(segment=key, label=label, customers=int(mask.sum()))
              for key, (label, mask) in groups.items()]
    return pd.concat(frames, ignore_index=True)


def experiment_options(table: pd.DataFrame, priority_offer: str,
                       assumptions: economics.Assumptions = economics.DEFAULTS) -> pd.DataFrame:
    """Who could test the priority offer, how many each test needs and whether it is enough.

    Rows: the priority segment's customers with the priority offer; all high-risk
    customers with that offer (pooled); the whole priority segment, each with their
    own offer (testing the policy rather than one offer). Baseline = the group's mean
    predicted probability of a drop; the effect to detect is the group's break-even
    effect (economics.py: the decision that matters), ALPHA, POWER, equal halves.
    """
    high_risk = table["segment"].str.startswith("high_risk")
    priority = table["segment"] == PRIORITY_SEGMENT
    has_offer = table["offer"] == priority_offer
    groups = {
        "offer_in_segment": (f"«{priority_offer}» в приоритетном сегменте", priority & has_offer),
        "offer_all_high_risk": (f"«{priority_offer}» у всех с высоким риском", high_risk & has_offer),
        "segment_personal": ("Весь приоритетный сегмент, каждому своё предложение", priority),
    }
    rows = []
    for key, (label, mask) in groups.items():
        size, baseline = int(mask.sum()), float(table.loc[mask, "probability_drop"].mean())
        break_even = economics.break_even_effect(table.loc[mask], assumptions)
        if not 0 < break_even < 1:
            continue  # no effect makes these offers pay: nothing to size
        plan = experiment.plan_experiment(baseline, break_even, size, alpha=ALPHA, power=POWER)
        rows.append({"option": key, "label": label, "break_even_effect": break_even, **plan.as_dict(),
                     "minimum_detectable_uplift": experiment.minimum_detectable_uplift(
                         baseline, size, alpha=ALPHA, power=POWER),
                     "horizons_to_enrol": experiment.enrolment_periods(plan.total_needed, size)})
    return pd.DataFrame(rows)


def build_segment_results(model_table: pd.DataFrame, customers: pd.DataFrame,
                          shap_values: pd.DataFrame, metrics: dict) -> dict[str, pd.DataFrame | dict]:
    """Everything chapter 05 and the lookup page read, keyed by the results/ stem to write.

    DataFrames go to <stem>.csv, dicts to <stem>.json. Pure and deterministic:
    `customers` is results/customers.csv (enriched columns from an earlier run are
    replaced), `shap_values` results/shap_values.csv, `metrics` results/metrics.json.
    """
    threshold = float(metrics["threshold"]["value"])
    shap = shap_features(shap_values)
    table = enrich_customers(model_table, customers, shap, threshold)
    shap_rows = shap.loc[table["id"]]
    masks = segment_masks(table)
    comparisons, drivers, offer_rows = [], [], []
    # Only the features the model uses (a feature with zero SHAP for everyone tells nothing here).
    used = [feature for feature in shap.columns if shap[feature].abs().max() > 1e-12]
    for key, mask in masks.items():
        comparison = labelled_comparison(table, mask, used, DEFINING_FEATURES.get(key, ()))
        segment_driver = segment_drivers(shap_rows, mask.set_axis(shap_rows.index))
        offer_rows.append(offers.segment_offers(
            key, comparison, segment_driver, table.loc[mask & (table["offer"] != offers.NOT_NEEDED),
                                                       "top_actionable_driver"]))
        comparisons.append(comparison.assign(segment=key))
        drivers.append(segment_driver.assign(segment=key))
    priority_offers = table.loc[masks[PRIORITY_SEGMENT], "offer"]
    priority_offer = priority_offers[priority_offers != offers.NO_OFFER].value_counts().index[0]
    options = experiment_options(table, priority_offer)
    summary = pd.concat([segment_summary(table), behavioural_summary(table)], ignore_index=True)
    summary["kind"] = ["риск × прибыль"] * len(SEGMENT_LABELS) + ["поведение"]
    enriched = table[[*customers.columns.drop([c for c in ENRICHED_COLUMNS if c in customers.columns]),
                      *ENRICHED_COLUMNS]]
    cuts = segment_cuts(table, threshold)
    return {
        "customers": enriched,
        "segment_summary": summary,
        "segment_comparison": pd.concat(comparisons, ignore_index=True),
        "segment_drivers": pd.concat(drivers, ignore_index=True),
        "segment_offers": pd.concat(offer_rows, ignore_index=True),
        "segment_what_if": what_if_by_segment(table, masks),
        "segment_experiment": options,
        "segments": {
            "risk_cut": cuts.risk, "risk_cut_source": "metrics.json: threshold.value",
            "profit_cut": cuts.profit, "profit_cut_source": "медиана прибыли",
            "promo_hunter_share": PROMO_HUNTER_SHARE, "priority_segment": PRIORITY_SEGMENT,
            "offer_segments": OFFER_SEGMENTS, "horizon_months": HORIZON_MONTHS,
            "what_if_uplifts": list(WHAT_IF_UPLIFTS), "alpha": ALPHA, "power": POWER,
            "priority_offer": priority_offer, "customers": len(table),
            "total_profit_at_stake": float(table["expected_profit_at_risk"].sum()),
        },
    }
