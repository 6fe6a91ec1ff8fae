"""great-tables builders of the «Почему» chapter: DataFrame in, GT out."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import model_words, palette, units
from .explain_charts import probability_text, shap_units
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
        .cols_label(claim="Вывод", rank=f"Место, {units.ORDINAL}", strength=f"Сила{(', ' + unit) if unit else ''}",
                    evidence="Что показывает SHAP",
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


def waterfall_table(steps: pd.DataFrame, meta: dict) -> GT:
    """The example customers' waterfalls as a table (shap_waterfalls.csv): one row group per customer,
    each feature with its value and contribution — readable on a phone, where the chart's labels are
    cut short and nothing can be hovered."""
    factor, unit, _ = shap_units(meta)
    parts = steps["step_label"].str.split(" = ", n=1, expand=True).reindex(columns=[0, 1])
    shown = pd.DataFrame({
        "customer": [f"{row.role_label}: id {row.id}, риск " + (
            model_words.borderline_text(row.model_output, meta["threshold"]) if row.role == "borderline"
            else probability_text(row.model_output, meta)) for row in steps.itertuples()],
        "feature": parts[0], "value": parts[1].fillna("—"), "shap": steps["shap"] * factor})
    return (
        GT(shown, groupname_col="customer")
        .tab_header(title="Разложение риска трёх покупателей",
                    subtitle=f"Базовое значение — {probability_text(meta['base_value'], meta)}; "
                             "вклады сложены по порядку, крупнейшие сверху")
        .cols_label(feature="Признак", value="Значение у покупателя",
                    shap=f"Вклад в риск{(', ' + unit) if unit else ''}")
        .fmt_number(columns="shap", decimals=1 if unit else 3, dec_mark=",", sep_mark=" ", force_sign=True)
        .tab_options(table_font_size="85%", table_width="100%")
        .tab_source_note("Те же числа, что на рисунке; все вклады всех покупателей — downloads/shap_values.csv "
                         "(внутренняя версия отчёта).")
    )
