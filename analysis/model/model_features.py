"""Features the model computes from the modelling table's columns, inside its pipeline.

They are computed by a pipeline step (`add_engineered_features`), not stored in
model_table.csv: a saved model then takes exactly `FEATURE_COLUMNS`, and the
same formula is applied at training and at scoring time.

`CANDIDATE_FEATURES` are every idea that was tried (trends between months,
ratios, interactions); `ENGINEERED_FEATURES` are the ones the model uses — those
that raised the grouped cross-validated ROC-AUC of the reference models
(`feature_evidence.engineered_feature_gains` recomputes the evidence each build).
"""

from __future__ import annotations

import pandas as pd

# name -> (Russian label, formula in words).
CANDIDATE_FEATURES: dict[str, tuple[str, str]] = {
    "pages_x_minutes": ("Страниц за визит × минут за два месяца",
                        "страниц за визит × (минут в предыдущем + в текущем месяце)"),
    "revenue_growth": ("Рост выручки за квартал",
                       "выручка текущего месяца / выручка препредыдущего"),
    "revenue_trend": ("Изменение выручки за квартал",
                      "выручка текущего месяца − выручка препредыдущего"),
    "minutes_total": ("Минут за два месяца", "минуты в предыдущем + в текущем месяце"),
    "minutes_trend": ("Изменение минут", "минуты в текущем − в предыдущем месяце"),
    "revenue_per_minute": ("Выручка на минуту на сайте",
                           "(выручка предыдущего + текущего месяца) / (минуты за эти месяцы)"),
}
ENGINEERED_FEATURES: tuple[str, ...] = ("pages_x_minutes", "revenue_growth")
ENGINEERED_LABELS = {name: label for name, (label, _) in CANDIDATE_FEATURES.items()}


def engineered_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Every candidate feature for each row of `table` (modelling-table column names)."""
    minutes = table["minutes_previous_month"] + table["minutes_current_month"]
    recent_revenue = table["revenue_previous_month"] + table["revenue_current_month"]
    return pd.DataFrame({
        "pages_x_minutes": table["pages_per_visit"] * minutes,
        "revenue_growth": table["revenue_current_month"] / table["revenue_before_previous_month"],
        "revenue_trend": table["revenue_current_month"] - table["revenue_before_previous_month"],
        "minutes_total": minutes,
        "minutes_trend": table["minutes_current_month"] - table["minutes_previous_month"],
        "revenue_per_minute": recent_revenue / minutes,
    }, index=table.index).astype("float64")


def add_engineered_features(features: pd.DataFrame, names: tuple[str, ...] = ENGINEERED_FEATURES) -> pd.DataFrame:
    """`features` with the named engineered columns appended (a pipeline step; pure)."""
    return pd.concat([features, engineered_columns(features)[list(names)]], axis=1)
