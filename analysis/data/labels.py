"""The data's vocabulary, in one place: column names, category labels, periods and their fixes.

Raw files speak Russian (and not consistently: `Тип сервиса` has a space,
`Маркет_актив_6_мес` underscores, `минут` is lower case). Code speaks English
snake_case; charts and tables speak Russian again through `DISPLAY_LABELS`.
Everything that reads, checks or fixes a label uses `canonical_label`, so the
validator accepts exactly what cleaning can repair.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from ..constants import ACTIVITY_CLASSES

# Money in money.csv and market_money.csv comes without a currency or scale (the export calls it
# profit and revenue, nothing more): amounts are in the export's own units.
MONEY_UNIT = "у. е. выгрузки"

# Raw column (as in the file) -> code name, per file, in the file's column order.
COLUMNS: dict[str, dict[str, str]] = {
    "market_file.csv": {
        "id": "id",
        "Покупательская активность": "activity",
        "Тип сервиса": "service_type",
        "Разрешить сообщать": "allow_messages",
        "Маркет_актив_6_мес": "market_activity_6m",
        "Маркет_актив_тек_мес": "market_activity_current_month",
        "Длительность": "tenure_days",
        "Акционные_покупки": "promo_share",
        "Популярная_категория": "popular_category",
        "Средний_просмотр_категорий_за_визит": "categories_per_visit",
        "Неоплаченные_продукты_штук_квартал": "unpaid_items_quarter",
        "Ошибка_сервиса": "service_errors",
        "Страниц_за_визит": "pages_per_visit",
    },
    "market_money.csv": {"id": "id", "Период": "period", "Выручка": "revenue"},
    "market_time.csv": {"id": "id", "Период": "period", "минут": "minutes"},
    "money.csv": {"id": "id", "Прибыль": "profit"},
}

TARGET = "activity"

# Periods, oldest first. The store counts revenue over three months, minutes over two.
BEFORE_PREVIOUS_MONTH = "препредыдущий_месяц"
PREVIOUS_MONTH = "предыдущий_месяц"
CURRENT_MONTH = "текущий_месяц"
REVENUE_PERIODS = (BEFORE_PREVIOUS_MONTH, PREVIOUS_MONTH, CURRENT_MONTH)
MINUTES_PERIODS = (PREVIOUS_MONTH, CURRENT_MONTH)
PERIOD_NAMES = {BEFORE_PREVIOUS_MONTH: "before_previous_month", PREVIOUS_MONTH: "previous_month",
                CURRENT_MONTH: "current_month"}
PERIOD_LABELS = {BEFORE_PREVIOUS_MONTH: "препредыдущий месяц", PREVIOUS_MONTH: "предыдущий месяц",
                 CURRENT_MONTH: "текущий месяц"}

POPULAR_CATEGORIES = (
    "Товары для детей",
    "Домашний текстиль",
    "Косметика и аксессуары",
    "Техника для красоты и здоровья",
    "Мелкая бытовая техника и электроника",
    "Кухонная посуда",
)

# The labels each categorical column may take after cleaning, in display order.
ALLOWED_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "market_file.csv": {
        "activity": ACTIVITY_CLASSES,
        "service_type": ("стандарт", "премиум"),
        "allow_messages": ("да", "нет"),
        "popular_category": POPULAR_CATEGORIES,
    },
    "market_money.csv": {"period": REVENUE_PERIODS},
    "market_time.csv": {"period": MINUTES_PERIODS},
    "money.csv": {},
}

# Misspellings found in the raw files: code column -> {raw label: correct label}.
# Differences of case, spacing or ё/е need no entry: `label_key` ignores them.
LABEL_FIXES: dict[str, dict[str, str]] = {
    "service_type": {"стандартт": "стандарт"},
    "period": {"предыдцщий_месяц": PREVIOUS_MONTH},
    "popular_category": {"Косметика и аксесуары": "Косметика и аксессуары"},
}


def raw_column(file: str, code_name: str) -> str:
    """The column's name as written in `file`."""
    return next(raw for raw, code in COLUMNS[file].items() if code == code_name)


def wide_column(measure: str, period: str) -> str:
    """Code name of one period's column in the modelling table, e.g. `revenue_current_month`."""
    return f"{measure}_{PERIOD_NAMES[period]}"


REVENUE_COLUMNS = tuple(wide_column("revenue", period) for period in REVENUE_PERIODS)
MINUTES_COLUMNS = tuple(wide_column("minutes", period) for period in MINUTES_PERIODS)

# Code name -> the Russian label a reader sees on charts and tables.
DISPLAY_LABELS: dict[str, str] = {
    "id": "id покупателя",
    "activity": "Покупательская активность",
    "service_type": "Тип сервиса",
    "allow_messages": "Согласие на рассылку",
    "market_activity_6m": "Маркетинговых контактов в месяц, среднее за 6 мес.",
    "market_activity_current_month": "Маркетинговых контактов в текущем месяце",
    "tenure_days": "Дней с регистрации",
    "promo_share": "Доля покупок по акции",
    "popular_category": "Популярная категория",
    "categories_per_visit": "Категорий за визит",
    "unpaid_items_quarter": "Неоплаченных товаров в корзине за квартал",
    "service_errors": "Сбоев сервиса",
    "pages_per_visit": "Страниц за визит",
    "period": "Период",
    "revenue": "Выручка",
    "minutes": "Минут на сайте",
    "profit": "Прибыль (среднемесячная за 3 мес.)",
    "copy_group": "Группа копий",
    **{wide_column("revenue", p): f"Выручка, {PERIOD_LABELS[p]}" for p in REVENUE_PERIODS},
    **{wide_column("minutes", p): f"Минут на сайте, {PERIOD_LABELS[p]}" for p in MINUTES_PERIODS},
}

_SPACES = re.compile(r"\s+")


def label_key(value: str) -> str:
    """What two spellings of one label share: no outer spaces, single inner spaces, case-folded, ё = е."""
    return _SPACES.sub(" ", str(value).strip()).casefold().replace("ё", "е")


def canonical_labels(file: str, column: str) -> dict[str, str]:
    """`{label_key: allowed label}` for a categorical column (code name) of `file`."""
    allowed = ALLOWED_LABELS[file][column]
    lookup = {label_key(label): label for label in allowed}
    for typo, fixed in LABEL_FIXES.get(column, {}).items():
        if fixed in allowed:
            lookup[label_key(typo)] = fixed
    return lookup


def canonical_series(file: str, column: str, values: pd.Series) -> pd.Series:
    """Each label replaced by the allowed label it stands for; unknown labels become missing."""
    lookup = canonical_labels(file, column)
    return per_distinct_value(values, lambda labels: labels.map(label_key).map(lookup).astype("str"))


def per_distinct_value(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`transform(values)`, computed once per distinct value (missing included) and spread back.

    A label column has a handful of distinct values in a million rows; a Python
    function such as `label_key` then runs a handful of times, not a million.
    `transform` must treat each value on its own (an element-wise map). If it
    changes nothing (same values, same dtype), `values` itself is returned: a
    million labels that are already right need not be copied.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    distinct = pd.Series(distinct, dtype=values.dtype)
    transformed = transform(distinct)
    if transformed.equals(distinct):
        return values
    return transformed.take(codes).set_axis(values.index).rename(values.name)
