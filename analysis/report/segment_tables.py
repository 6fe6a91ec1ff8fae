"""Tables of the «Сегменты и предложения» chapter.

great-tables builders (DataFrame in, GT out, with title, source note and Russian
number formats). The customer lookup page is customer_lookup.py.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import palette
from .units import MONEY as MONEY_UNIT
from .formatting import number, percent, plural
from ..decide.segments import PRIORITY_SEGMENT

HIGHLIGHT = [style.fill(color=palette.CHOSEN_FILL), style.text(weight="bold")]
SOURCE = "Прогнозы модели вне фолда (обучающая часть) и на тесте; прибыль — money.csv"


def p_text(value: float) -> str:
    """A p-value as a reader writes it: 0,012; 3·10⁻⁵⁴; «< 10⁻³⁰⁰» for zero."""
    if value >= 0.001:
        return number(value, 3)
    if value == 0:
        return "< 10⁻³⁰⁰"
    mantissa, exponent = f"{value:.0e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{power}" if mantissa == "1" else f"{mantissa}·10{power}"


def _numbers(gt: GT, columns: list[str], decimals: int) -> GT:
    return gt.fmt_number(columns=columns, decimals=decimals, sep_mark="\u00a0", dec_mark=",")


def _percents(gt: GT, columns: list[str], decimals: int = 1) -> GT:
    return gt.fmt_percent(columns=columns, decimals=decimals, sep_mark="\u00a0", dec_mark=",")


def segment_summary_table(summary: pd.DataFrame, horizon_months: int) -> GT:
    """Four risk × profit segments (they add up) and the promo hunters (who cut across them)."""
    shown = summary[["segment", "label", "kind", "customers", "share", "mean_risk", "drop_share",
                     "horizon_profit", "profit_at_stake", "share_of_at_stake"]]
    priority = shown.index[shown["segment"] == PRIORITY_SEGMENT].tolist()
    gt = (
        GT(shown.drop(columns="segment"), rowname_col="label", groupname_col="kind")
        .tab_header(title="Сегменты: кто они и сколько прибыли под риском",
                    subtitle=f"Прибыль и прибыль под риском — за {horizon_months} месяца, {MONEY_UNIT}; "
                             "приоритетный сегмент выделен")
        .cols_label(customers="Покупателей", share="Доля", mean_risk="Средний риск",
                    drop_share="Уже «Снизилась»", horizon_profit="Прибыль",
                    profit_at_stake="Под риском", share_of_at_stake="Доля риска")
        .fmt_integer(columns="customers", sep_mark="\u00a0")
    )
    gt = _numbers(_percents(gt, ["share", "mean_risk", "drop_share", "share_of_at_stake"]),
                  ["horizon_profit", "profit_at_stake"], 0)
    return (
        gt.tab_style(style=HIGHLIGHT, locations=loc.body(rows=priority))
        .tab_style(style=HIGHLIGHT, locations=loc.stub(rows=priority))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md(f"{SOURCE}. Под риском = Σ вероятность × прибыль за {horizon_months} мес.; "
                            "четыре сегмента делят всех покупателей, охотники за акциями входят в них. "
                            "`downloads/segment_summary.csv`"))
    )


def comparison_table(comparison: pd.DataFrame, group_label: str, top: int = 10) -> GT:
    """The largest differences between a segment and the rest, with effect size and Holm p."""
    rows = comparison.head(top).copy()
    rows["name"] = [f"{label}: {level}" if isinstance(level, str) and level else label
                    for label, level in zip(rows["label"], rows["level"])]
    rows["measure"] = rows["effect_measure"].map({"Cliff's delta": "дельта Клиффа",
                                                  "share difference": "разница долей"})
    rows["what"] = rows["kind"].map({"number": "медиана", "category": "доля"})
    rows["interval"] = [f"{number(low, 2)}…{number(high, 2)}"
                        for low, high in zip(rows["effect_ci_low"], rows["effect_ci_high"])]
    for column in ["group_value", "rest_value"]:
        rows[column] = [percent(v) if kind == "category" else number(v, 0 if float(v).is_integer() else 2)
                        for v, kind in zip(rows[column], rows["kind"])]
    return (
        _numbers(GT(rows[["name", "what", "group_value", "rest_value", "effect_size", "interval", "measure"]],
                    rowname_col="name"), ["effect_size"], 2)
        .tab_header(title=f"Чем «{group_label}» отличается от остальных покупателей (описательно)",
                    subtitle=f"{min(top, len(comparison))} самых больших различий из {len(comparison)} "
                             f"{plural(len(comparison), 'сравнения', 'сравнений', 'сравнений')}")
        .tab_stubhead(label="Признак")
        .cols_label(what="Что сравниваем", group_value="В сегменте", rest_value="У остальных",
                    effect_size="Эффект (от −1 до 1)", interval="95 % ДИ (бутстреп)", measure="Мера")
        .cols_align(align="right", columns=["group_value", "rest_value", "effect_size", "interval"])
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Описание, не доказательство: сегмент задан по этим же признакам (риск модели, "
                            "доля акций), поэтому различия ожидаемы по построению. Числа: медианы, дельта "
                            "Клиффа (−1…1); категории: доли, разница долей; интервалы — бутстреп, 95 %. "
                            "Признак «да/нет» сравнён один раз; признаки, которые модель не использует, и "
                            "признак, задающий сегмент, не сравниваются. `downloads/segment_comparison.csv`"))
    )


def median_text(value: float) -> str:
    """A median for prose: whole numbers as they are, shares with two decimals, others with one
    (4 -> '4', 0.32 -> '0,32', 4.1 -> '4,1'): medians of 4.1 and 4.4 must not both print as '4'."""
    value = float(value)
    return number(value, 0 if value.is_integer() else 2 if abs(value) < 1 else 1)


def evidence_text(offer: pd.Series) -> str:
    """One offer's evidence in a sentence: the segment's own drivers first, then how it differs
    from the rest (a description with a bootstrap 95 % interval, never a p-value)."""
    driver = (f"«{offer['label']}» поднимает риск покупателей сегмента в среднем на "
              f"{number(offer['mean_shap_group'] * 100, 1)} п. п. (у остальных "
              f"{number(offer['mean_shap_rest'] * 100, 1)})")
    if pd.isna(offer["effect_size"]):
        return driver
    interval = f"95 % ДИ {number(offer['effect_ci_low'], 2)}…{number(offer['effect_ci_high'], 2)}"
    if offer["effect_measure"] == "share difference":
        gap = (f"доля «{offer['level']}» {percent(offer['group_value'])} против "
               f"{percent(offer['rest_value'])} у остальных ({interval})")
    else:
        gap = (f"медиана {median_text(offer['group_value'])} против "
               f"{median_text(offer['rest_value'])} у остальных, дельта Клиффа "
               f"{number(offer['effect_size'], 2)} ({interval})")
    return f"{driver}; описательно: {gap}"


def offers_gt(offers: pd.DataFrame, group_label: str) -> GT:
    """2–4 offers for one segment: what to do, why, and the evidence behind it."""
    shown = offers.assign(evidence=[evidence_text(row) for _, row in offers.iterrows()])
    return (
        GT(shown[["offer", "action", "evidence", "customers_with_offer"]], rowname_col="offer")
        .tab_header(title=f"Предложения для сегмента «{group_label}»",
                    subtitle="По убыванию среднего вклада признака в риск сегмента")
        .tab_stubhead(label="Предложение")
        .cols_label(action="Что делает маркетинг", evidence="Почему: разрыв с остальными и вклад в риск",
                    customers_with_offer="Главный повод у покупателей с высоким риском")
        .fmt_integer(columns="customers_with_offer", sep_mark="\u00a0")
        .tab_style(style=style.text(size="small"), locations=loc.body(columns="evidence"))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Вклад в риск — средний SHAP признака в вероятность «Снизилась», "
                            "процентные пункты; без согласия на рассылку то же предложение — на сайте. "
                            "`downloads/segment_offers.csv`"))
    )


def experiment_table(options: pd.DataFrame) -> GT:
    """Who could test the priority offer: size needed vs size available, and what it can detect."""
    shown = options.assign(verdict=options["feasible"].map({True: "хватает", False: "не хватает"}))
    feasible = shown.index[shown["feasible"]].tolist()
    gt = (
        GT(shown[["label", "segment_size", "baseline_drop_share", "total_needed", "verdict",
                  "minimum_detectable_uplift", "horizons_to_enrol"]], rowname_col="label")
        .tab_header(title="Сколько покупателей нужно эксперименту",
                    subtitle="Половина получает предложение, половина — нет (случайно)")
        .tab_stubhead(label="Кто участвует")
        .cols_label(segment_size="Есть, покупателей", baseline_drop_share="Риск без предложения",
                    total_needed="Нужно, покупателей", verdict="Итог",
                    minimum_detectable_uplift="Заметный эффект при этом размере",
                    horizons_to_enrol="Периодов набора по 3 мес., шт.")
        .fmt_integer(columns=["segment_size", "total_needed", "horizons_to_enrol"], sep_mark="\u00a0")
    )
    return (
        _percents(gt, ["baseline_drop_share", "minimum_detectable_uplift"], 1)
        .tab_style(style=style.text(weight="bold"), locations=loc.body(columns="verdict", rows=feasible))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Двусторонний тест двух долей (h Коэна, statsmodels `NormalIndPower`). "
                            "Заметный эффект — наименьшее относительное снижение доли «Снизилась», "
                            "которое тест на имеющихся покупателях находит с той же мощностью. "
                            "`downloads/segment_experiment.csv`"))
    )
