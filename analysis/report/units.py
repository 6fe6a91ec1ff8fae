"""Units the site writes after numbers, in one place.

Money in the raw files has no stated currency or scale (the export calls it revenue and
profit, nothing more), so the site names it as the export's own unit rather than
assume roubles or thousands.
"""

from ..data.labels import MONEY_UNIT

MONEY = MONEY_UNIT
MONEY_PER_MONTH = f"{MONEY} в месяц"
MINUTES = "мин"
CUSTOMERS = "покупателей"
SHARE = "доля от 0 до 1"
PROBABILITY = "вероятность от 0 до 1"
DAYS = "дней"
BYTES = "байт"
PERCENTAGE_POINTS = "п.\u00a0п."  # a change of a probability shown in percent (SHAP contributions)
ORDINAL = "№"  # a place or sequence number (fold, repeat, rank)

# The unit of each numeric model feature as an axis title writes it after the feature's label:
# «Страниц за визит, шт.», «Доля покупок по акции (от 0 до 1)».
FEATURE_UNIT_SUFFIXES = {
    "market_activity_6m": ", шт. в месяц", "market_activity_current_month": ", шт.", "tenure_days": f", {DAYS}",
    "promo_share": " (от 0 до 1)", "categories_per_visit": ", шт.", "unpaid_items_quarter": ", шт.",
    "service_errors": ", шт.", "pages_per_visit": ", шт.",
    "revenue_before_previous_month": f", {MONEY}", "revenue_previous_month": f", {MONEY}",
    "revenue_current_month": f", {MONEY}", "minutes_previous_month": f", {MINUTES}",
    "minutes_current_month": f", {MINUTES}",
}


def with_unit(feature: str, label: str) -> str:
    """A numeric feature's label with its unit («Страниц за визит, шт.»); a category's label as is."""
    return label + FEATURE_UNIT_SUFFIXES.get(feature, "")
