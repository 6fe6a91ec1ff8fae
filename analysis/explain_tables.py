"""great-tables builders of the «Почему» chapter: DataFrame in, GT out."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import palette
from .explain_charts import shap_units
from .formatting import number

VERDICT_COLORS = {"согласны": palette.AGREE_FILL, "частично": palette.PARTLY_FILL, "не согласны": palette.DISAGREE_FILL}


def claims_table(claims: pd.DataFrame, meta: dict) -> GT:
    """Published conclusions against this model's SHAP values, one row per claim, with the verdict."""
    factor, unit, measure = shap_units(meta)
    shown = claims.assign(strength=claims["mean_abs_shap"] * factor)
    table = (
        GT(shown[["claim", "rank", "strength", "evidence", "verdict"]])
        .tab_header(title="Выводы опубликованных решений и SHAP нашей модели",
                    subtitle=f"Место — среди {meta['features']} признаков по среднему |SHAP|; "
                             f"сила — среднее |SHAP|{(', ' + unit) if unit else ''} ({measure})")
        .cols_label(claim="Вывод", rank="Место", strength="Сила", evidence="Что показывает SHAP",
                    verdict="Согласны?")
        .fmt_integer(columns="rank")
        .fmt_number(columns="strength", decimals=1 if unit else 3, dec_mark=",", sep_mark=" ")
        .tab_options(table_font_size="85%", table_width="100%")
        .tab_source_note(md("SHAP-значения выбранной модели по всем покупателям модели: "
                            "`downloads/shap_values.csv`, `downloads/shap_claims.csv`"))
    )
    for verdict, color in VERDICT_COLORS.items():
        rows = shown.index[shown["verdict"] == verdict].tolist()
        if rows:
            table = table.tab_style(style=style.fill(color=color), locations=loc.body(columns="verdict", rows=rows))
    return table


def verdict_summary(claims: pd.DataFrame) -> str:
    """'согласны с 3 из 6 выводов, частично — с 3, не согласны — ни с одним' (for prose)."""
    counts = claims["verdict"].value_counts()

    def with_count(verdict: str) -> str:
        found = int(counts.get(verdict, 0))
        return f"с {number(found)}" if found else "ни с одним"

    return (f"согласны {with_count('согласны')} из {number(len(claims))} выводов, "
            f"частично — {with_count('частично')}, не согласны — {with_count('не согласны')}")
