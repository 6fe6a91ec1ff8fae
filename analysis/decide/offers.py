"""Which offer answers which driver of a drop: one table, read by segments and scoring.

Each actionable feature maps to the offer that acts on it. An offer is chosen for a
customer only when that feature pushes *their* predicted risk up (positive SHAP
value towards «Снизилась»): the offer then addresses the customer's own reason.
Features a marketer cannot act on (tenure, revenue history, service type) have no offer.

Offers reach a customer through a channel they agreed to: a customer who did not
allow messages (`allow_messages` = «нет») gets the on-site variant of every offer,
never a mailing. The category offer names the customer's own favourite category.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd


class Offer(NamedTuple):
    name: str              # short name marketing uses
    action: str            # what marketing does, for a customer who allows messages
    reason: str            # why it should help
    action_on_site: str    # the same without messages (allow_messages = «нет»)
    premise: int = 0       # +1: answers a high value (many errors), −1: a low one (few pages), 0: any


_RETURN = Offer(
    "Повод вернуться",
    "еженедельная рассылка: новинки и персональные снижения цен",
    "покупатель стал проводить на сайте меньше времени",
    "блок новинок и персональных снижений цен на главной странице при входе",
    premise=-1,
)

OFFERS: dict[str, Offer] = {
    "pages_per_visit": Offer(
        "Персональная подборка",
        "персональная подборка товаров на главной странице и в рассылке",
        "покупатель смотрит мало страниц за визит: показать нужное сразу",
        "персональная подборка товаров на главной странице",
        premise=-1,
    ),
    "categories_per_visit": Offer(
        "Соседние категории",
        "рекомендации из смежных категорий с купоном на первую покупку в новой категории",
        "покупатель заходит в немногие категории за визит",
        "рекомендации из смежных категорий на сайте с купоном на первую покупку в новой категории",
        premise=-1,
    ),
    "minutes_previous_month": _RETURN,
    "minutes_current_month": _RETURN,
    "unpaid_items_quarter": Offer(
        "Корзина со скидкой",
        "напоминание о неоплаченной корзине со скидкой на эти товары на 72 часа",
        "в корзине копятся неоплаченные товары",
        "скидка на товары из корзины на 72 часа, показанная в корзине при следующем визите",
        premise=1,
    ),
    "promo_share": Offer(
        "Ранний доступ к акциям",
        "персональный промокод и ранний доступ к распродажам, приглашение — в рассылке",
        "покупатель покупает в основном по акциям",
        "персональный промокод и ранний доступ к распродажам в личном кабинете",
        premise=1,
    ),
    "market_activity_6m": Offer(
        "Больше внимания",
        "персональные рассылки чаще: раз в неделю вместо раза в месяц",
        "за полгода магазин мало контактировал с покупателем",
        "персональные баннеры и блоки на сайте при каждом визите",
        premise=-1,
    ),
    "service_errors": Offer(
        "Извинение за сбои",
        "извинение и бонус за сбои сервиса, приоритетная поддержка",
        "покупатель сталкивался со сбоями сервиса",
        "бонус за сбои сервиса в личном кабинете, приоритетная поддержка",
        premise=1,
    ),
    "popular_category": Offer(
        "Скидка на любимую категорию",
        "скидка на любимую категорию покупателя",
        "вклад любимой категории покупателя в риск",
        "скидка на любимую категорию покупателя на сайте",
    ),
}

NO_OFFER = "Без персонального предложения"
NOT_NEEDED = "Не нужно: риск ниже порога"


def premise_holds(features: pd.DataFrame, reference_medians: pd.Series) -> pd.DataFrame:
    """Per customer and offered feature: is the customer's value on the side the offer answers?

    «Извинение за сбои» answers many errors: it applies to a customer whose errors are above
    the reference customers' median, not to one whose *few* errors the model reads as risk.
    Columns: the offered features present in `features` (a category's premise always holds).
    """
    held = {}
    for feature, offer in OFFERS.items():
        if feature not in features:
            continue
        if offer.premise == 0:
            held[feature] = pd.Series(True, index=features.index)
        else:
            held[feature] = offer.premise * (features[feature] - reference_medians[feature]) > 0
    return pd.DataFrame(held, index=features.index)


def top_actionable_driver(shap_values: pd.DataFrame, premise: pd.DataFrame | None = None) -> pd.Series:
    """Per customer, the actionable feature that raises their risk the most; NA if none does.

    `shap_values` has one row per customer (index = id) and one column per original
    feature, SHAP values towards «Снизилась». `premise` (premise_holds, same rows) leaves
    out a feature whose value is not the one its offer answers.
    """
    actionable = shap_values[[feature for feature in OFFERS if feature in shap_values.columns]]
    if premise is not None:
        actionable = actionable.where(premise[actionable.columns].to_numpy(), 0.0)
    strongest = actionable.idxmax(axis=1)
    return strongest.where(actionable.max(axis=1) > 0)


def offer_for(driver: pd.Series) -> pd.Series:
    """The offer name for each customer's driver (NO_OFFER where there is none)."""
    return driver.map({feature: offer.name for feature, offer in OFFERS.items()}).fillna(NO_OFFER)


def personal_offers(driver: pd.Series, allow_messages: pd.Series,
                    popular_category: pd.Series) -> pd.DataFrame:
    """Offer name and the action text for each customer (all three inputs share one index).

    The action respects consent: «нет» in `allow_messages` gives the on-site variant.
    The category offer is named after the customer's favourite category.
    """
    rows = []
    for feature, allows, category in zip(driver, allow_messages, popular_category):
        offer = OFFERS.get(feature) if isinstance(feature, str) else None
        if offer is None:
            rows.append((NO_OFFER, ""))
            continue
        action = offer.action if allows == "да" else offer.action_on_site
        name = offer.name
        if feature == "popular_category":
            name, action = f"Скидка на «{category}»", action.replace("любимую категорию покупателя",
                                                                  f"категорию «{category}»")
        rows.append((name, action))
    return pd.DataFrame(rows, columns=["offer", "offer_action"], index=driver.index)


def segment_offers(segment: str, comparison: pd.DataFrame, drivers: pd.DataFrame,
                   customer_drivers: pd.Series, max_offers: int = 4) -> pd.DataFrame:
    """2–4 offers for one segment, each backed by its customers' own drivers.

    An offer qualifies when its feature raises the segment's risk on average (mean
    cross-fitted SHAP in the segment > 0) and it is the offer of at least one of the
    segment's high-risk customers (their own top actionable driver). The comparison
    with the rest only describes the gap (effect size and its bootstrap interval): a
    segment cut on the model's risk differs from the rest by construction, so its
    p-value is no reason for an offer. Offers are ranked by that mean SHAP; two features with one offer
    (minutes in two months) count once, with the stronger as evidence.
    `comparison` is compare.compare_groups for the segment, `drivers` the
    segment_drivers rows of the segment, `customer_drivers` the top actionable
    driver of each of the segment's customers.
    """
    numeric = comparison.loc[comparison["kind"] == "number"].set_index("feature")
    categories = comparison.loc[comparison["kind"] == "category"]
    by_offer = customer_drivers.map({f: o.name for f, o in OFFERS.items()}).value_counts()
    rows, seen = [], set()
    for row in drivers.sort_values("mean_shap_group", ascending=False).itertuples():
        offer = OFFERS.get(row.feature)
        if offer is None or offer.name in seen or row.mean_shap_group <= 0:
            continue
        levels = categories.loc[categories["feature"] == row.feature]
        if row.feature in numeric.index:
            gap = numeric.loc[row.feature]
        elif len(levels):
            gap = levels.loc[levels["difference"].idxmax()]
        else:  # the feature that defines the segment is not compared with the rest
            gap = pd.Series({key: np.nan for key in ("level", "group_value", "rest_value", "effect_size",
                                                      "effect_ci_low", "effect_ci_high", "effect_measure")})
        if not by_offer.get(offer.name, 0):
            continue
        seen.add(offer.name)
        rows.append({
            "segment": segment, "feature": row.feature, "label": row.label, "offer": offer.name,
            "action": offer.action, "reason": offer.reason, "level": gap["level"],
            "group_value": gap["group_value"], "rest_value": gap["rest_value"],
            "effect_size": gap["effect_size"], "effect_ci_low": gap["effect_ci_low"],
            "effect_ci_high": gap["effect_ci_high"], "effect_measure": gap["effect_measure"],
            "mean_shap_group": row.mean_shap_group,
            "mean_shap_rest": row.mean_shap_rest,
            "customers_with_offer": int(by_offer.get(offer.name, 0)),
        })
        if len(rows) == max_offers:
            break
    return pd.DataFrame(rows)
