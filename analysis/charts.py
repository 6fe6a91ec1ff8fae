"""Altair chart builders (DataFrame in, Chart out) and the offline chart setup.

Every chapter calls `setup_charts()` once. It registers an Altair renderer that
emits the chart spec as inert JSON next to an empty container; the page header
(assets/charts-header.html) loads the Vega bundle served from the site itself and
draws every container. Altair's default renderer would load Vega from a CDN and
draw nothing offline; `inline=True` would repeat ~0.9 MB per chart.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json

import altair as alt
import pandas as pd

from .constants import NEGATIVE_CLASS, POSITIVE_CLASS
from .formatting import number, percent

RENDERER_NAME = "oneclick-offline"

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
ACTIVITY_COLORS = {POSITIVE_CLASS: "#D55E00", NEGATIVE_CLASS: "#0072B2"}

_chart_numbers = itertools.count(1)


def offline_chart_html(spec: dict) -> str:
    """The container and spec for one chart; ids are stable across identical builds."""
    payload = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:10]
    chart_id = f"oc-chart-{next(_chart_numbers)}-{digest}"
    label = spec.get("description") or _title_text(spec.get("title")) or "Chart"
    safe_payload = payload.replace("</", "<\\/")
    return (
        f'<div class="oneclick-chart" id="{chart_id}" role="img" '
        f'aria-label="{html.escape(label, quote=True)}"></div>\n'
        f'<script type="application/json" class="oneclick-chart-spec" '
        f'data-target="{chart_id}">{safe_payload}</script>'
    )


def _title_text(title) -> str:
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return title or ""


def _offline_renderer(spec: dict, **_metadata) -> dict:
    return {"text/html": offline_chart_html(spec)}


def setup_charts() -> None:
    """Register and enable the offline renderer; safe to call more than once."""
    alt.renderers.register(RENDERER_NAME, _offline_renderer)
    alt.renderers.enable(RENDERER_NAME)


def activity_classes_bar(counts: pd.DataFrame) -> alt.Chart:
    """Customers per activity class: count on the axis, share in the label and tooltip."""
    dropped = counts.loc[counts["activity"] == POSITIVE_CLASS].iloc[0]
    title = (f"У {percent(dropped['share'], 0)} покупателей "
             f"({number(dropped['customers'])}) активность уже снизилась")
    base = alt.Chart(counts, title=title, description=(
        "Столбчатая диаграмма покупателей по классу активности: " + "; ".join(
            f"{row.activity}: {number(row.customers)} ({percent(row.share)})"
            for row in counts.itertuples())))
    color = alt.Color("activity:N", title="Покупательская активность", legend=None,
                      scale=alt.Scale(domain=list(ACTIVITY_COLORS),
                                      range=list(ACTIVITY_COLORS.values())))
    bars = base.mark_bar().encode(
        y=alt.Y("activity:N", title=None, sort=list(ACTIVITY_COLORS)),
        x=alt.X("customers:Q", title="Покупателей"),
        color=color,
        tooltip=[alt.Tooltip("activity:N", title="Активность"),
                 alt.Tooltip("customers:Q", title="Покупателей", format=","),
                 alt.Tooltip("share:Q", title="Доля", format=".1%")],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        y=alt.Y("activity:N", sort=list(ACTIVITY_COLORS)), x="customers:Q",
        text=alt.Text("share:Q", format=".1%"))
    return (bars + labels).properties(width="container", height=120)


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
        color="#333").encode(
        text="caption:N")
    # resize: re-fit the layout whenever the chosen feature changes the axis labels' width.
    return alt.layer(bars, caption, title=title, description=description).add_params(feature).properties(
        width="container", height=380,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding", resize=True))


def period_distributions(summary: pd.DataFrame) -> alt.FacetChart:
    """Revenue and minutes per period by class: 5–95 % whisker, quartile box, median tick.

    `summary` is profile.period_summary; the title states the minutes gap in the
    latest month and the revenue medians, computed from it.
    """
    latest = summary.loc[summary["period_order"] == summary.groupby("measure")["period_order"].transform("max")]
    medians = latest.set_index(["measure", "activity"])["median"]
    minutes = [medians["minutes", activity] for activity in ACTIVITY_COLORS]
    revenue = [medians["revenue", activity] for activity in ACTIVITY_COLORS]
    title = alt.Title(
        [f"«{POSITIVE_CLASS}» проводят на сайте {'меньше' if minutes[0] < minutes[1] else 'больше'} времени:",
         f"медиана {number(minutes[0])} против {number(minutes[1])} минут в текущем месяце"],
        subtitle=[f"Медиана выручки в текущем месяце: {number(revenue[0])} против {number(revenue[1])}.",
                  "Усы — 5–95 % покупателей, прямоугольник — средние 50 %, штрих — медиана."], anchor="start")
    description = "Распределения выручки и минут по периодам и классам: " + "; ".join(
        f"{row.measure_label}, {row.period_label}, {row.activity}: медиана {number(row.median, 1)}"
        for row in summary.itertuples())
    x = alt.X("period_label:N", title=None, sort=alt.EncodingSortField("period_order", op="min"),
              axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset("activity:N", sort=list(ACTIVITY_COLORS), scale=alt.Scale(paddingOuter=0.5))
    tooltip = [alt.Tooltip("period_label:N", title="Период"), alt.Tooltip("activity:N", title="Активность"),
               alt.Tooltip("customers:Q", title="Покупателей", format=","),
               *(alt.Tooltip(f"{name}:Q", title=title, format=",.1f") for name, title in
                 (("p05", "5-й перцентиль"), ("q1", "Нижний квартиль"), ("median", "Медиана"),
                  ("q3", "Верхний квартиль"), ("p95", "95-й перцентиль"), ("mean", "Среднее")))]
    base = alt.Chart().encode(x=x, xOffset=offset, color=_activity_color(), tooltip=tooltip)
    whiskers = base.mark_rule().encode(y=alt.Y("p05:Q", title=None, scale=alt.Scale(zero=False)), y2="p95:Q")
    boxes = base.mark_bar(size=14).encode(y="q1:Q", y2="q3:Q")
    ticks = base.mark_tick(size=14, thickness=2, orient="horizontal").encode(y="median:Q", color=alt.value("white"))
    # A width in steps per class: a fixed pixel width makes Vega-Lite misplace the offset boxes.
    return (alt.layer(whiskers, boxes, ticks, data=summary)
            .properties(height=260, width=alt.Step(30, **{"for": "offset"}))
            .facet(column=alt.Column("measure_label:N", title=None,
                                     sort=["Выручка", "Минут на сайте"]), title=title)
            .resolve_scale(y="independent", x="independent")
            .properties(description=description))


def revenue_outlier_context(histogram: pd.DataFrame, outliers: pd.DataFrame) -> alt.LayerChart:
    """All customer-months by revenue (log scale), with each implausible month marked and named.

    `histogram` is profile.revenue_histogram, `outliers` features.revenue_outliers.
    """
    worst = outliers.sort_values("ratio_to_median").iloc[-1]
    title = alt.Title(
        [f"Один месяц одного покупателя — {number(worst['revenue'], 1)} —",
         f"в {number(worst['ratio_to_median'], 1)} раза больше медианного месяца"],
        subtitle=[f"Следующая по величине выручка за месяц — {number(worst['largest_other_month'], 1)}.",
                  f"Другие месяцы этого покупателя: {worst['other_months']}.",
                  "Шкала выручки логарифмическая, шкала числа месяцев — корень."],
        anchor="start")
    description = (f"Гистограмма выручки за месяц по {number(histogram['months'].sum())} месяцам покупок; "
                   f"выброс: id {worst['id']}, {number(worst['revenue'], 1)}")
    period_colors = alt.Scale(domain=list(histogram["period_label"].drop_duplicates()),
                              range=["#E69F00", "#56B4E9", "#009E73"])
    x_scale = alt.Scale(type="log")
    bars = alt.Chart(histogram).mark_bar(stroke="white", strokeWidth=0.3).encode(
        x=alt.X("bin_start:Q", title="Выручка за месяц (логарифмическая шкала)", scale=x_scale,
                axis=alt.Axis(format=",.0f")),
        x2="bin_end:Q",
        y=alt.Y("sum(months):Q", title="Месяцев покупок", scale=alt.Scale(type="sqrt")),
        color=alt.Color("period_label:N", title="Период", scale=period_colors, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("period_label:N", title="Период"),
                 alt.Tooltip("bin_start:Q", title="Выручка от", format=",.0f"),
                 alt.Tooltip("bin_end:Q", title="до", format=",.0f"),
                 alt.Tooltip("sum(months):Q", title="Месяцев")])
    marked = outliers.assign(label=[f"id {row.id}: {number(row.revenue, 1)}" for row in outliers.itertuples()])
    rule = alt.Chart(marked).mark_rule(color=ACTIVITY_COLORS[POSITIVE_CLASS], strokeDash=[4, 3]).encode(
        x=alt.X("revenue:Q", scale=x_scale),
        tooltip=[alt.Tooltip("id:N", title="id"), alt.Tooltip("revenue:Q", title="Выручка", format=",.1f"),
                 alt.Tooltip("ratio_to_median:Q", title="Медиан месяца", format=".1f"),
                 alt.Tooltip("other_months:N", title="Другие месяцы")])
    text = rule.mark_text(align="right", dx=-6, y=12, color=ACTIVITY_COLORS[POSITIVE_CLASS]).encode(
        text="label:N")
    return alt.layer(bars, rule, text, title=title, description=description).properties(
        width="container", height=260)


def id_order_leak_chart(id_order: pd.DataFrame, leak: dict) -> alt.LayerChart:
    """Share of «Снизилась» in consecutive slices of market_file.csv, top of the file first.

    `id_order` is leakage.class_share_by_position, `leak` leakage.id_order_leak.
    """
    overall = id_order["dropped"].sum() / id_order["customers"].sum()
    pure = id_order.loc[id_order["share_dropped"] == 1]
    title = alt.Title(
        ["Файл отсортирован по классу:", f"id сам по себе даёт ROC-AUC {number(leak['roc_auc_id'], 2)}"],
        subtitle=[f"Первые {number(pure['customers'].sum())} строк — только «{POSITIVE_CLASS}», последние — ни одного.",
                  f"Пунктир — доля по всему файлу, {percent(overall)}."], anchor="start")
    data = id_order.assign(slice=[f"{row.id_min}–{row.id_max}" for row in id_order.itertuples()])
    description = "Доля «Снизилась» по частям файла сверху вниз: " + "; ".join(
        f"{row.slice}: {percent(row.share_dropped, 0)}" for row in data.itertuples())
    bars = alt.Chart(data).mark_bar(color=ACTIVITY_COLORS[POSITIVE_CLASS]).encode(
        x=alt.X("slice:N", title="Части файла по порядку строк (диапазон id)", sort=None,
                axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("share_dropped:Q", title=f"Доля «{POSITIVE_CLASS}»", axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("slice:N", title="id"), alt.Tooltip("first_row:Q", title="Строки с"),
                 alt.Tooltip("last_row:Q", title="по"), alt.Tooltip("customers:Q", title="Покупателей"),
                 alt.Tooltip("dropped:Q", title=f"«{POSITIVE_CLASS}»"),
                 alt.Tooltip("share_dropped:Q", title="Доля", format=".0%")])
    mean = alt.Chart(pd.DataFrame({"share": [overall]})).mark_rule(strokeDash=[4, 3], color="#555").encode(
        y="share:Q", tooltip=[alt.Tooltip("share:Q", title="Доля по всему файлу", format=".1%")])
    return alt.layer(bars, mean, title=title, description=description).properties(
        width="container", height=240)
