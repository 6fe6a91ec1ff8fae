"""The campaign's economics: one formula, one set of assumptions, every money figure from them.

For customer *i* and the offer *o* they would get:

    expected_value = p_i × effect_o × horizon × profit_i − cost_o,i
    cost_o,i       = cost_share_o × horizon × profit_i + cost_fixed_o

p_i is the customer's probability of a drop (`probability_drop`, the one risk number
shown everywhere); effect_o is the assumed *relative* reduction of that probability by
the offer (0.2: a fifth fewer such customers drop); profit_i is the mean monthly profit
from money.csv, in the export's own units (MONEY_UNIT); a customer whose activity drops
is counted as losing their whole profit over the horizon, so `p × horizon × profit` is an
upper bound of what is at stake and `effect = 1` the upper bound of what an offer keeps.

Nothing in the export measures what an offer achieves or costs: both are assumptions,
written once below with the reason for each default, and every page and file reads them
from results/campaign.json. Changing a default here changes every figure on the site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from . import offers
from ..constants import HORIZON_MONTHS, OFFER_COST_SHARE
from ..data.labels import MONEY_UNIT


HORIZON_SOURCE = ("Три месяца — горизонт задачи магазина (удержать покупателя на следующий квартал); прибыль в "
                  "money.csv — среднемесячная за последние три месяца. Риск — оценка по текущему периоду: на "
                  "следующий квартал его переносит допущение, что покупатели с такими признаками ведут себя так же.")

DEFAULT_EFFECT = 0.20
EFFECT_SOURCE = (
    "Не измерен: в выгрузке нет покупателей, получивших предложение. 20 % — умеренное допущение (пятая часть "
    "тех, чья активность снизилась бы, остаётся на прежнем уровне); его заменит эффект, измеренный экспериментом.")
DEFAULT_COST_SHARE = OFFER_COST_SHARE
COST_SOURCE = (
    "Цен предложений в выгрузке нет. 30 % прибыли получателя за горизонт — то же допущение, на котором выбран "
    "порог модели; оно одно для всех предложений, пока магазин не назовёт их настоящие цены.")


@dataclass(frozen=True)
class OfferAssumption:
    """What one offer is assumed to achieve and cost.

    effect: relative reduction of the drop probability, in [0, 1];
    cost_share: cost as a share of the receiver's profit over the horizon (a discount
    scales with what the customer buys); cost_fixed: a fixed cost per receiver in
    MONEY_UNIT (a mailing, a bonus); the two add up.
    """

    effect: float = DEFAULT_EFFECT
    cost_share: float = DEFAULT_COST_SHARE
    cost_fixed: float = 0.0
    effect_source: str = EFFECT_SOURCE
    cost_source: str = COST_SOURCE

    def __post_init__(self):
        if not 0 <= self.effect <= 1:
            raise ValueError(f"effect must be in [0, 1], got {self.effect}")
        if self.cost_share < 0 or self.cost_fixed < 0:
            raise ValueError(f"offer costs cannot be negative: share {self.cost_share}, fixed {self.cost_fixed}")


def _default_offers() -> dict[str, OfferAssumption]:
    return {name: OfferAssumption() for name in dict.fromkeys(offer.name for offer in offers.OFFERS.values())}


@dataclass(frozen=True)
class Assumptions:
    """The one configuration of the campaign's economics: the horizon and each offer's assumption.

    `offers` is keyed by the offer's family name (offers.OFFERS: «Скидка на «Книги»» is
    the family «Скидка на любимую категорию»). An offer not listed gets `default`.
    """

    horizon_months: int = HORIZON_MONTHS
    offers: Mapping[str, OfferAssumption] = field(default_factory=_default_offers)
    default: OfferAssumption = OfferAssumption()
    horizon_source: str = HORIZON_SOURCE

    def for_offer(self, offer: str) -> OfferAssumption:
        return self.offers.get(offer_family(offer), self.default)

    def uniform(self, *, effect: float | None = None, cost_share: float | None = None) -> Assumptions:
        """The same assumptions with one effect and/or one cost share for every offer (the planner's sliders)."""
        change = {key: value for key, value in (("effect", effect), ("cost_share", cost_share)) if value is not None}
        return replace(self, offers={name: replace(item, **change) for name, item in self.offers.items()},
                       default=replace(self.default, **change))

    def as_dict(self) -> dict:
        return {"horizon_months": self.horizon_months, "horizon_source": self.horizon_source,
                "money_unit": MONEY_UNIT,
                "offers": {name: asdict(item) for name, item in self.offers.items()},
                "default": asdict(self.default)}


DEFAULTS = Assumptions()
_CATEGORY_OFFER = offers.OFFERS["popular_category"].name
_CATEGORY_PREFIX = "Скидка на «"


def offer_family(offer: str) -> str:
    """«Скидка на «Книги»» -> «Скидка на любимую категорию»; other names are their own family."""
    return _CATEGORY_OFFER if offer.startswith(_CATEGORY_PREFIX) else offer


def has_offer(offer: pd.Series) -> pd.Series:
    """Whether a customer has an offer to send (not «no offer» and not «not needed»)."""
    return ~offer.isin([offers.NO_OFFER, offers.NOT_NEEDED]) & offer.notna()


def offer_terms(offer: pd.Series, assumptions: Assumptions = DEFAULTS) -> pd.DataFrame:
    """effect, cost_share and cost_fixed per customer (zeros for customers without an offer)."""
    columns = ["effect", "cost_share", "cost_fixed"]
    terms = pd.DataFrame([[getattr(assumptions.for_offer(name), column) for column in columns]
                          for name in offer.fillna("")], index=offer.index, columns=columns)
    return terms.where(has_offer(offer), 0.0).astype(float)


def offer_cost(profit, cost_share, cost_fixed, horizon_months: int):
    """cost_o,i = cost_share × horizon × profit + cost_fixed, in MONEY_UNIT (arrays broadcast)."""
    return np.asarray(cost_share) * horizon_months * np.asarray(profit) + np.asarray(cost_fixed)


def profit_kept(probability, profit, effect, horizon_months: int):
    """p × effect × horizon × profit: the profit the offer is expected to keep."""
    return np.asarray(probability) * np.asarray(effect) * horizon_months * np.asarray(profit)


def expected_value(probability, profit, effect, cost_share, cost_fixed, horizon_months: int):
    """EV = p × effect × horizon × profit − cost, in MONEY_UNIT over the horizon."""
    return (profit_kept(probability, profit, effect, horizon_months)
            - offer_cost(profit, cost_share, cost_fixed, horizon_months))


def customer_economics(customers: pd.DataFrame, assumptions: Assumptions = DEFAULTS) -> pd.DataFrame:
    """assumed_effect, offer_cost, profit_kept and expected_value per customer.

    `customers` needs probability_drop, profit and offer; customers without an offer get
    zeros everywhere (nothing is sent, nothing is kept).
    """
    terms = offer_terms(customers["offer"], assumptions)
    horizon = assumptions.horizon_months
    cost = offer_cost(customers["profit"], terms["cost_share"], terms["cost_fixed"], horizon)
    kept = profit_kept(customers["probability_drop"], customers["profit"], terms["effect"], horizon)
    return pd.DataFrame({"assumed_effect": terms["effect"], "offer_cost": cost, "profit_kept": kept,
                         "expected_value": kept - cost}, index=customers.index)


def break_even_effect(customers: pd.DataFrame, assumptions: Assumptions = DEFAULTS) -> float:
    """The effect at which offers to all of `customers` (with their offers' costs) net zero.

    Σ cost / Σ (p × horizon × profit); NaN for no customers. Above it the group pays,
    below it the offers cost more than they keep. A value above 1 means no offer
    can pay at these costs.
    """
    terms = offer_terms(customers["offer"], assumptions)
    horizon = assumptions.horizon_months
    at_stake = float(profit_kept(customers["probability_drop"], customers["profit"], 1.0, horizon).sum())
    cost = float(offer_cost(customers["profit"], terms["cost_share"], terms["cost_fixed"], horizon).sum())
    return cost / at_stake if at_stake > 0 else float("nan")


def break_even_cost_share(customers: pd.DataFrame, assumptions: Assumptions = DEFAULTS) -> float:
    """The most an offer may cost (share of the receivers' profit over the horizon) for the group to pay,
    at each offer's assumed effect and without fixed costs: Σ p × effect × profit / Σ profit."""
    terms = offer_terms(customers["offer"], assumptions)
    profit = float(customers["profit"].sum())
    kept = float((customers["probability_drop"] * terms["effect"] * customers["profit"]).sum())
    return kept / profit if profit > 0 else float("nan")


def targeting(economics: pd.DataFrame, budget: int | None = None) -> pd.Series:
    """The targeting rule: an offer to every customer whose expected value is positive,
    best first, at most `budget` customers (ties by the frame's order)."""
    positive = economics["expected_value"] > 0
    if budget is None:
        return positive
    ranked = economics["expected_value"].where(positive).rank(ascending=False, method="first")
    return positive & (ranked <= budget)


def totals(frame: pd.DataFrame) -> dict:
    """customers, profit kept, cost and net of a group of customers with customer_economics columns."""
    kept, cost = float(frame["profit_kept"].sum()), float(frame["offer_cost"].sum())
    return {"customers": int(len(frame)), "profit_kept": kept, "offer_cost": cost, "net": kept - cost}
