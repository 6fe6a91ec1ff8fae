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

import pandas as pd


class Offer(NamedTuple):
    name: str              # short name marketing uses
    action: str            # what marketing does, for a customer who allows messages
    reason: str            # why it should help
    action_on_site: str    # the same without messages (allow_messages = «нет»)


_RETURN = Offer(
    "Повод вернуться",
    "еженедельная рассылка: новинки и персональные снижения цен",
    "покупатель стал проводить на сайте меньше времени",
    "блок новинок и персональных снижений цен на главной странице при входе",
)

OFFERS: dict[str, Offer] = {
    "pages_per_visit": Offer(
        "Персональная подборка",
        "персональная подборка товаров на главной странице и в рассылке",
        "покупатель смотрит мало страниц за визит: показать нужное сразу",
        "персональная подборка товаров на главной странице",
    ),
    "categories_per_visit": Offer(
        "Соседние категории",
        "рекомендации из смежных категорий с купоном на первую покупку в новой категории",
        "покупатель заходит в немногие категории за визит",
        "рекомендации из смежных категорий на сайте с купоном на первую покупку в новой категории",
    ),
    "minutes_previous_month": _RETURN,
    "minutes_current_month": _RETURN,
    "unpaid_items_quarter": Offer(
        "Корзина со скидкой",
        "напоминание о неоплаченной корзине со скидкой на эти товары на 72 часа",
        "в корзине копятся неоплаченные товары",
        "скидка на товары из корзины на 72 часа, показанная в корзине при следующем визите",
    ),
    "promo_share": Offer(
        "Ранний доступ к акциям",
        "персональный промокод и ранний доступ к распродажам, приглашение — в рассылке",
        "покупатель покупает в основном по акциям",
        "персональный промокод и ранний доступ к распродажам в личном кабинете",
    ),
    "market_activity_6m": Offer(
        "Больше внимания",
        "персональные рассылки чаще: раз в неделю вместо раза в месяц",
        "за полгода магазин мало контактировал с покупателем",
        "персональные баннеры и блоки на сайте при каждом визите",
    ),
    "service_errors": Offer(
        "Извинение за сбои",
        "извинение и бонус за сбои сервиса, приоритетная поддержка",
        "покупатель сталкивался со сбоями сервиса",
        "бонус за сбои сервиса в личном кабинете, приоритетная поддержка",
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


def top_actionable_driver(shap_values: pd.DataFrame) -> pd.Series:
    """Per customer, the actionable feature that raises their risk the most; NA if none does.

    `shap_values` has one row per customer (index = id) and one column per original
    feature, SHAP values towards «Снизилась».
    """
    actionable = shap_values[[feature for feature in OFFERS if feature in shap_values.columns]]
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
    """2–4 offers for one segment, each backed by a driver and a gap to the rest.

    An offer qualifies when its feature raises the segment's risk on average (mean
    SHAP in the segment > 0) and the segment differs from the rest in it after Holm
    correction. Offers are ranked by that mean SHAP; two features with one offer
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
        if row.feature in numeric.index:
            gap = numeric.loc[row.feature]
        else:
            levels = categories.loc[categories["feature"] == row.feature]
            gap = levels.loc[levels["difference"].idxmax()]
        if not gap["significant"]:
            continue
        seen.add(offer.name)
        rows.append({
            "segment": segment, "feature": row.feature, "label": row.label, "offer": offer.name,
            "action": offer.action, "reason": offer.reason, "level": gap["level"],
            "group_value": gap["group_value"], "rest_value": gap["rest_value"],
            "effect_size": gap["effect_size"], "effect_measure": gap["effect_measure"],
            "p_adjusted": gap["p_adjusted"], "mean_shap_group": row.mean_shap_group,
            "mean_shap_rest": row.mean_shap_rest,
            "customers_with_offer": int(by_offer.get(offer.name, 0)),
        })
        if len(rows) == max_offers:
            break
    return pd.DataFrame(rows)
