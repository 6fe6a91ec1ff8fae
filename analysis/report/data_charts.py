"""Altair charts of the «Данные» chapter (01-data.qmd) and the home page's class bar: DataFrame in, Chart out.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import palette, units
from ..constants import POSITIVE_CLASS
from .formatting import number, percent, plural
from .charts import ACTIVITY_COLORS, FIT_WIDTH


def activity_classes_bar(counts: pd.DataFrame) -> alt.Chart:
    """Customers per activity class: count on the axis, share in the label and tooltip."""
    dropped = counts.loc[counts["activity"] == POSITIVE_CLASS].iloc[0]
    title = (f"У {percent(dropped['share'], 0)} покупателей "
             f"({number(dropped['customers'])}) активность уже снизилась")
    description = ("Столбчатая диаграмма покупателей по классу активности: " + "; ".join(
        f"{row.activity}: {number(row.customers)} ({percent(row.share)})" for row in counts.itertuples()))
    base = alt.Chart(counts)
    color = alt.Color("activity:N", title="Покупательская активность", legend=None,
                      scale=alt.Scale(domain=list(ACTIVITY_COLORS),
                                      range=list(ACTIVITY_COLORS.values())))
    bars = base.mark_bar().encode(
        y=alt.Y("activity:N", title=None, sort=list(ACTIVITY_COLORS)),
        # A quarter of the axis beyond the longest bar keeps the printed share inside a phone-wide chart.
        x=alt.X("customers:Q", title="Покупателей",
                scale=alt.Scale(domain=[0, float(counts["customers"].max()) * 1.25], nice=False)),
        color=color,
        tooltip=[alt.Tooltip("activity:N", title="Активность"),
                 alt.Tooltip("customers:Q", title="Покупателей", format=","),
                 alt.Tooltip("share:Q", title="Доля", format=".1%")],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        y=alt.Y("activity:N", sort=list(ACTIVITY_COLORS)), x="customers:Q",
        text=alt.Text("share:Q", format=".1%"))
    return alt.layer(bars, labels, title=alt.Title(title, anchor="start"), description=description).properties(
        width="container", height=120, autosize=FIT_WIDTH)


def _activity_color(legend_orient: str = "top") -> alt.Color:
    return alt.Color("activity:N", title="Покупательская активность",
                     scale=alt.Scale(domain=list(ACTIVITY_COLORS), range=list(ACTIVITY_COLORS.values())),
                     legend=alt.Legend(orient=legend_orient))


def feature_distribution_explorer(distributions: pd.DataFrame, separation: pd.DataFrame) -> alt.LayerChart:
    """Any feature's distribution by activity class; a drop-down chooses the feature.

    `distributions` is profile.feature_distributions (pre-binned: one row per
    feature × bin × class), `separation` is profile.feature_separation; the list
    is ordered by separation, strongest first, and starts on the strongest feature.
    """
    strongest = separation.head(3)
    rows = distributions[["feature", "bin", "bin_order", "activity", "customers", "share"]]
    captions = separation.assign(caption=[f"ROC-AUC одного признака: {number(auc, 2)}\n{note}"
                                          for auc, note in zip(separation["roc_auc"], separation["note"])])
    feature = alt.param(name="feature", value=separation["feature"].iloc[0],
                        bind=alt.binding_select(options=separation["feature"].tolist(),
                                                labels=separation["label"].tolist(), name="Признак: "))
    title = alt.Title(
        ["Сильнее всего классы различаются по признакам:",
         ", ".join(f"«{label}»" for label in strongest["label"])],
        subtitle=["Выберите признак в списке под графиком.",
                  "Длина столбца — доля покупателей своего класса."],
        anchor="start", subtitlePadding=4, offset=40)
    description = ("Распределение каждого признака по классам активности; сила различия одного признака, "
                   "ROC-AUC: " + "; ".join(f"{row.label} {number(row.roc_auc, 2)}"
                                          for row in separation.itertuples()))
    selected = alt.datum.feature == feature
    # Horizontal bars: long category names stay readable on the y axis.
    bars = alt.Chart(rows).transform_filter(selected).mark_bar().encode(
        y=alt.Y("bin:N", title="Значение признака", sort=alt.EncodingSortField("bin_order", op="min"),
                axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("activity:N", sort=list(ACTIVITY_COLORS)),
        x=alt.X("share:Q", title="Доля покупателей класса", axis=alt.Axis(format=".0%")),
        color=_activity_color("bottom"),
        tooltip=[alt.Tooltip("bin:N", title="Значение"), alt.Tooltip("activity:N", title="Активность"),
                 alt.Tooltip("customers:Q", title="Покупателей", format=","),
                 alt.Tooltip("share:Q", title="Доля класса", format=".1%")],
    )
    caption = alt.Chart(captions[["feature", "caption"]]).transform_filter(selected).mark_text(
        align="left", baseline="bottom", x=0, y=-8, lineBreak="\n", fontSize=12, fontWeight="bold",
        color=palette.INK).encode(
        text="caption:N")
    # resize: re-fit the layout whenever the chosen feature changes the axis labels' width.
    return alt.layer(bars, caption, title=title, description=description).add_params(feature).properties(
        width="container", height=380, autosize=FIT_WIDTH)


# Facet headers of the period chart: each measure with its unit.
PERIOD_MEASURE_TITLES = {"revenue": f"Выручка за месяц, {units.MONEY}", "minutes": f"Минут на сайте за месяц, {units.MINUTES}"}


def period_distributions(summary: pd.DataFrame) -> alt.FacetChart:
    """Revenue and minutes per period by class: 5–95 % whisker, quartile box, median tick.

    `summary` is profile.period_summary; the title states the minutes gap in the
    latest month and the revenue medians, computed from it.
    """
    latest = summary.loc[summary["period_order"] == summary.groupby("measure")["period_order"].transform("max")]
    medians = latest.set_index(["measure", "activity"])["median"]
    minutes = [medians["minutes", activity] for activity in ACTIVITY_COLORS]
    revenue = [medians["revenue", activity] for activity in ACTIVITY_COLORS]
    headline = ([f"«{POSITIVE_CLASS}» проводят на сайте {'меньше' if minutes[0] < minutes[1] else 'больше'} времени:",
                 f"медиана {number(minutes[0])} против {number(minutes[1])} минут в текущем месяце"]
                if minutes[0] != minutes[1] else
                ["Время на сайте у классов одинаково:", f"медиана {number(minutes[0])} минут в текущем месяце у обоих"])
    title = alt.Title(
        headline,
        subtitle=[f"Медиана выручки в текущем месяце: {number(revenue[0])} против {number(revenue[1])} {units.MONEY}.",
                  "Усы — 5–95 % покупателей, прямоугольник — средние 50 %, штрих — медиана."], anchor="start")
    description = "Распределения выручки и минут по периодам и классам: " + "; ".join(
        f"{row.measure_label}, {row.period_label}, {row.activity}: медиана {number(row.median, 1)}"
        for row in summary.itertuples())
    # One word per line: «препредыдущий / месяц» stays legible when the bands narrow on a phone.
    x = alt.X("period_label:N", title=None, sort=alt.EncodingSortField("period_order", op="min"),
              axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')"))
    offset = alt.XOffset("activity:N", sort=list(ACTIVITY_COLORS), scale=alt.Scale(paddingOuter=0.5))
    # Each facet's header names its unit (revenue and minutes share no axis title); the tooltip repeats it.
    summary = summary.assign(measure_label=summary["measure"].map(PERIOD_MEASURE_TITLES))
    tooltip = [alt.Tooltip("measure_label:N", title="Показатель"),
               alt.Tooltip("period_label:N", title="Период"), alt.Tooltip("activity:N", title="Активность"),
               alt.Tooltip("customers:Q", title="Покупателей", format=","),
               *(alt.Tooltip(f"{name}:Q", title=title, format=",.1f") for name, title in
                 (("p05", "5-й перцентиль"), ("q1", "Нижний квартиль"), ("median", "Медиана"),
                  ("q3", "Верхний квартиль"), ("p95", "95-й перцентиль"), ("mean", "Среднее")))]
    # (the values' unit is the one in «Показатель»: у. е. выгрузки for revenue, мин for minutes)
    base = alt.Chart().encode(x=x, xOffset=offset, color=_activity_color(), tooltip=tooltip)
    whiskers = base.mark_rule().encode(y=alt.Y("p05:Q", title=None, scale=alt.Scale(zero=False)), y2="p95:Q")
    boxes = base.mark_bar(size=14).encode(y="q1:Q", y2="q3:Q")
    ticks = base.mark_tick(size=14, thickness=2, orient="horizontal").encode(y="median:Q", color=alt.value(palette.PAPER))
    # A width in steps per class: a fixed pixel width makes Vega-Lite misplace the offset boxes.
    return (alt.layer(whiskers, boxes, ticks, data=summary)
            .properties(height=260, width=alt.Step(30, **{"for": "offset"}))
            .facet(column=alt.Column("measure_label:N", title=None, sort=list(PERIOD_MEASURE_TITLES.values()),
                                     header=alt.Header(labelFontWeight="bold", labelFontSize=12)), title=title)
            .resolve_scale(y="independent", x="independent")
            .properties(description=description))


def revenue_outlier_context(histogram: pd.DataFrame, outliers: pd.DataFrame) -> alt.LayerChart:
    """All customer-months by revenue (log scale), with each implausible month marked and named.

    `histogram` is profile.revenue_histogram, `outliers` features.revenue_outliers (may be
    empty: then the chart is the histogram alone and its title says so).
    """
    scales = "Шкала выручки логарифмическая, шкала числа месяцев — корень."
    months = number(histogram["months"].sum())
    if outliers.empty:
        title = alt.Title(["Месяцев с неправдоподобной выручкой нет:",
                           f"самые крупные — до {number(histogram['bin_end'].max())} {units.MONEY}"],
                          subtitle=[scales], anchor="start")
        description = (f"Гистограмма выручки за месяц по {months} месяцам покупок; выбросов нет, "
                       f"выручка от {number(histogram['bin_start'].min())} до {number(histogram['bin_end'].max())}")
    elif len(outliers) == 1:
        worst = outliers.iloc[0]
        title = alt.Title(
            [f"Один месяц одного покупателя — {number(worst['revenue'], 1)} {units.MONEY} —",
             f"в {number(worst['ratio_to_median'], 1)} раза больше медианного месяца"],
            subtitle=[f"Следующая по величине выручка за месяц — {number(worst['largest_other_month'], 1)} {units.MONEY}.",
                      f"Другие месяцы этого покупателя: {worst['other_months']}.", scales],
            anchor="start")
        description = (f"Гистограмма выручки за месяц по {months} месяцам покупок; "
                       f"выброс: id {worst['id']}, {number(worst['revenue'], 1)}")
    else:
        worst = outliers.sort_values("ratio_to_median").iloc[-1]
        title = alt.Title(
            [f"{number(len(outliers))} {plural(len(outliers), 'месяц', 'месяца', 'месяцев')} с неправдоподобной "
             f"выручкой: до {number(worst['revenue'], 1)} {units.MONEY},",
             f"в {number(worst['ratio_to_median'], 1)} раза больше медианного месяца"],
            subtitle=[f"Самая крупная из остальных выручка за месяц — {number(worst['largest_other_month'], 1)} {units.MONEY}.",
                      scales], anchor="start")
        description = (f"Гистограмма выручки за месяц по {months} месяцам покупок; выбросы: " + "; ".join(
            f"id {row.id}, {number(row.revenue, 1)}" for row in outliers.itertuples()))
    period_colors = alt.Scale(domain=list(histogram["period_label"].drop_duplicates()),
                              scheme=palette.ORDER_SCHEME)
    x_scale = alt.Scale(type="log")
    bars = alt.Chart(histogram).mark_bar(stroke=palette.PAPER, strokeWidth=0.3).encode(
        x=alt.X("bin_start:Q", title=f"Выручка за месяц, {units.MONEY} (логарифмическая шкала)", scale=x_scale,
                axis=alt.Axis(format=",.0f", tickCount=6, labelOverlap="greedy")),
        x2="bin_end:Q",
        y=alt.Y("sum(months):Q", title="Месяцев покупок, шт.", scale=alt.Scale(type="sqrt")),
        color=alt.Color("period_label:N", title="Период", scale=period_colors, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("period_label:N", title="Период"),
                 alt.Tooltip("bin_start:Q", title=f"Выручка от, {units.MONEY}", format=",.0f"),
                 alt.Tooltip("bin_end:Q", title=f"до, {units.MONEY}", format=",.0f"),
                 alt.Tooltip("sum(months):Q", title="Месяцев покупок, шт.")])
    marked = outliers.assign(label=[f"id {row.id}: {number(row.revenue, 1)} {units.MONEY}" for row in outliers.itertuples()])
    rule = alt.Chart(marked).mark_rule(color=palette.CHOSEN, strokeDash=[4, 3]).encode(
        x=alt.X("revenue:Q", scale=x_scale),
        tooltip=[alt.Tooltip("id:N", title="id"), alt.Tooltip("revenue:Q", title=f"Выручка, {units.MONEY}", format=",.1f"),
                 alt.Tooltip("ratio_to_median:Q", title="Во сколько раз больше медианного месяца", format=".1f"),
                 alt.Tooltip("other_months:N", title="Другие месяцы")])
    text = rule.mark_text(align="right", dx=-6, y=12, color=palette.CHOSEN).encode(
        text="label:N")
    layers = (bars,) if outliers.empty else (bars, rule, text)
    return alt.layer(*layers, title=title, description=description).properties(
        width="container", height=260, autosize=FIT_WIDTH)


# How well the id alone ranks customers by class (leakage.id_order_leak, ROC-AUC): from
# LEAK_STRONG_AUC the file is «sorted by class», below LEAK_WEAK_AUC the classes are mixed.
LEAK_STRONG_AUC, LEAK_WEAK_AUC = 0.9, 0.6


def _pure_runs_text(id_order: pd.DataFrame) -> list[str]:
    """'Первые N строк — только «Снизилась», последние M — ни одного.' for runs of one-class slices
    at the top and the bottom of the file; [] when neither end is pure."""
    def run(parts: pd.DataFrame) -> tuple[int, str]:
        for share, word in ((1.0, f"только «{POSITIVE_CLASS}»"), (0.0, f"ни одного «{POSITIVE_CLASS}»")):
            pure = (parts["share_dropped"] == share).cumprod().astype(bool)
            if pure.any():
                return int(parts.loc[pure, "customers"].sum()), word
        return 0, ""
    (top, top_word), (bottom, bottom_word) = run(id_order), run(id_order.iloc[::-1])
    pieces = ([f"первые {number(top)} {plural(top, 'строка', 'строки', 'строк')} — {top_word}"] if top else []) + (
        [f"последние {number(bottom)} — {bottom_word}"] if bottom else [])
    text = "; ".join(pieces) + "."
    return [text[0].upper() + text[1:]] if pieces else []


def id_order_leak_chart(id_order: pd.DataFrame, leak: dict) -> alt.LayerChart:
    """Share of «Снизилась» in consecutive slices of market_file.csv, top of the file first.

    `id_order` is leakage.class_share_by_position, `leak` leakage.id_order_leak.
    """
    overall = id_order["dropped"].sum() / id_order["customers"].sum()
    auc = leak["roc_auc_id"]
    headline = ("Файл отсортирован по классу:" if auc >= LEAK_STRONG_AUC else
                "Классы по файлу перемешаны:" if auc < LEAK_WEAK_AUC else "Порядок строк отчасти подсказывает класс:")
    title = alt.Title(
        [headline, f"id сам по себе даёт ROC-AUC {number(auc, 2)}"],
        subtitle=[*_pure_runs_text(id_order), f"Пунктир — доля по всему файлу, {percent(overall)}."], anchor="start")
    data = id_order.assign(slice=[f"{row.id_min}–{row.id_max}" for row in id_order.itertuples()])
    description = "Доля «Снизилась» по частям файла сверху вниз: " + "; ".join(
        f"{row.slice}: {percent(row.share_dropped, 0)}" for row in data.itertuples())
    bars = alt.Chart(data).mark_bar(color=ACTIVITY_COLORS[POSITIVE_CLASS]).encode(
        # labelOverlap: on a narrow chart Vega drops every other range label instead of overprinting them.
        x=alt.X("slice:N", title="Части файла по порядку строк (диапазон id)", sort=None,
                axis=alt.Axis(labelAngle=-45, labelOverlap="greedy")),
        y=alt.Y("share_dropped:Q", title=f"Доля «{POSITIVE_CLASS}»", axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("slice:N", title="id"), alt.Tooltip("first_row:Q", title="С номера строки"),
                 alt.Tooltip("last_row:Q", title="по номер строки"), alt.Tooltip("customers:Q", title="Покупателей"),
                 alt.Tooltip("dropped:Q", title=f"Покупателей «{POSITIVE_CLASS}»"),
                 alt.Tooltip("share_dropped:Q", title="Доля", format=".0%")])
    mean = alt.Chart(pd.DataFrame({"share": [overall]})).mark_rule(strokeDash=[4, 3], color=palette.REFERENCE).encode(
        y="share:Q", tooltip=[alt.Tooltip("share:Q", title="Доля по всему файлу", format=".1%")])
    return alt.layer(bars, mean, title=title, description=description).properties(
        width="container", height=240, autosize=FIT_WIDTH)
