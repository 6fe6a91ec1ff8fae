"""Altair chart builders (DataFrame in, Chart out) and the offline chart setup.

Every chapter calls `setup_charts()` once. It registers an Altair renderer that
emits the chart spec as inert JSON next to an empty container (raw HTML in a `text/markdown`
output, so that Quarto adds no CDN scripts: `analysis.report.display`); the page header
(assets/charts-header.html) loads the Vega bundle served from the site itself and
draws every container. Altair's default renderer would load Vega from a CDN and
draw nothing offline; `inline=True` would repeat ~0.9 MB per chart.

Each named dataset of a spec (Altair names a dataset by a hash of its rows) is written
to the page once, in its own `script.oneclick-chart-data`, however many charts on the
page use it: the «Почему» chapter's per-customer charts share one copy.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json

import altair as alt
import pandas as pd

from . import palette, units
from ..constants import NEGATIVE_CLASS, POSITIVE_CLASS
from .display import raw_html_markdown
from .units import MONEY as MONEY_UNIT
from .formatting import number, percent, plural

RENDERER_NAME = "oneclick-offline"

# The colours of the classes (analysis/report/palette.py: one meaning per colour across the site).
ACTIVITY_COLORS = {POSITIVE_CLASS: palette.DROP, NEGATIVE_CLASS: palette.STAY}
# On a phone the page header lets a chart with this usermeta keep its size and scroll
# sideways (a heatmap's cells cannot shrink); other charts are re-laid out to fit.
SCROLL_ON_PHONE = {"oneclick": {"narrow": "scroll"}}
# Thousands of points: drawn on a canvas, several times faster than as SVG elements.
DRAW_ON_CANVAS = {"oneclick": {"renderer": "canvas"}}
# A chart as wide as the page: axis labels, legend and title inside that width, re-fitted
# whenever the view changes (a drop-down choosing other labels).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding", resize=True)

_chart_numbers = itertools.count(1)
_datasets_on_page: set[str] = set()


def _json(value) -> str:
    """Compact JSON that cannot close the <script> element holding it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")


def offline_chart_html(spec: dict) -> str:
    """The container and spec for one chart, preceded by any of its datasets not yet on the
    page; ids are stable across identical builds."""
    spec = dict(spec)
    datasets = spec.pop("datasets", {})
    payload = _json(spec)
    digest = hashlib.sha256((payload + "".join(sorted(datasets))).encode()).hexdigest()[:10]
    chart_id = f"oc-chart-{next(_chart_numbers)}-{digest}"
    label = spec.get("description") or _title_text(spec.get("title")) or "Chart"
    data_scripts = []
    for name, rows in datasets.items():
        if name not in _datasets_on_page:
            _datasets_on_page.add(name)
            data_scripts.append(f'<script type="application/json" class="oneclick-chart-data" '
                                f'data-name="{html.escape(name, quote=True)}">{_json(rows)}</script>\n')
    names = html.escape(" ".join(datasets), quote=True)
    return (
        "".join(data_scripts)
        + f'<div class="oneclick-chart" id="{chart_id}" role="img" '
        f'aria-label="{html.escape(label, quote=True)}"></div>\n'
        f'<script type="application/json" class="oneclick-chart-spec" '
        f'data-target="{chart_id}" data-datasets="{names}">{payload}</script>'
    )


def _title_text(title) -> str:
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return title or ""


def _offline_renderer(spec: dict, **_metadata) -> dict:
    """Raw HTML inside `text/markdown`, never `text/html` (see `analysis.report.display`)."""
    return {"text/markdown": raw_html_markdown(offline_chart_html(spec))}


def setup_charts() -> None:
    """Register and enable the offline renderer (a page starts with no datasets written);
    safe to call more than once."""
    _datasets_on_page.clear()
    alt.renderers.register(RENDERER_NAME, _offline_renderer)
    alt.renderers.enable(RENDERER_NAME)


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


# --- correlation and model charts (chapters 02-correlation.qmd, 03-model.qmd) ---------------------

# Out-of-fold probability deciles within this of the observed shares on average (calibration_gap):
# the probabilities can be read literally.
CALIBRATION_GAP = 0.05
# Test ROC-AUC from which the model is said to separate the classes well.
GOOD_ROC_AUC = 0.8
# A threshold is a probability: its tooltips say so (the axes show it as a percentage).
THRESHOLD_TITLE = "Порог, вероятность (от 0 до 1)"
SAMPLE_COLORS = {"Тестовая выборка": palette.INK, "Обучающая, вне фолда": palette.CONTEXT}
SAMPLE_LABELS = {"test": "Тестовая выборка", "train_oof": "Обучающая, вне фолда"}


def _sample_color(legend_orient: str = "top") -> alt.Color:
    return alt.Color("sample_label:N", title="Выборка", scale=alt.Scale(
        domain=list(SAMPLE_COLORS), range=list(SAMPLE_COLORS.values())), legend=alt.Legend(orient=legend_orient))


# A heatmap cell narrower than this (px) is too narrow for its printed value (fontSize 9, «0,75»).
MIN_LABELLED_CELL_PX = 24


def correlation_heatmap(cells: pd.DataFrame, title: alt.Title, description: str, signed: bool) -> alt.LayerChart:
    """A square heatmap of long-form cells (correlation.phik_matrix / spearman_matrix), values printed."""
    scale = (alt.Scale(scheme=palette.SIGNED_SCHEME, domain=[-1, 1]) if signed
             else alt.Scale(scheme=palette.STRENGTH_SCHEME, domain=[0, 1], reverse=True))
    size = cells["row"].nunique()
    # The matrix is as wide as the text column (no sideways scrolling at 1280 or 390 px): each
    # cell gets 1/size of the plot's width. Where a cell is narrower than MIN_LABELLED_CELL_PX
    # (a phone) the values are not printed (the colour and its legend carry them, the tooltip
    # gives the exact value). Column names stand upright: set at an angle, the last ones would
    # reach past the chart's right edge, and on a phone neighbours would collide.
    wide_cells = f"width / {size} >= {MIN_LABELLED_CELL_PX}"
    x = alt.X("column_label:N", title=None, sort=alt.EncodingSortField("column_order", op="min"),
              axis=alt.Axis(labelAngle=-90, labelLimit=170, orient="top"))
    y = alt.Y("row_label:N", title=None, sort=alt.EncodingSortField("row_order", op="min"),
              axis=alt.Axis(labelLimit=260))
    # Both measures are unitless; their range is the unit a reader needs.
    value_title = "ρ Спирмена (от −1 до 1)" if signed else "φK (от 0 до 1)"
    # The tooltip sits on both layers: the printed value covers the middle of each cell.
    tooltip = [alt.Tooltip("row_label:N", title="Признак"), alt.Tooltip("column_label:N", title="и признак"),
               alt.Tooltip("value:Q", title=value_title, format=".2f")]
    base = alt.Chart(cells).encode(x=x, y=y, tooltip=tooltip)
    rects = base.mark_rect().encode(
        color=alt.Color("value:Q", title=value_title, scale=scale,
                        legend=alt.Legend(orient="bottom", gradientLength=150)))
    strong = "abs(datum.value) >= 0.6" if signed else "datum.value >= 0.5"
    text = base.mark_text(fontSize=9, opacity=alt.ExprRef(f"{wide_cells} ? 1 : 0")).encode(
        text=alt.Text("value:Q", format=".2f"),
        color=alt.condition(strong, alt.value(palette.PAPER), alt.value(palette.INK)))
    return alt.layer(rects, text, title=title, description=description).properties(
        width="container", height=24 * size, autosize=FIT_WIDTH)


def phik_heatmap(cells: pd.DataFrame) -> alt.LayerChart:
    """φK of every feature with the target (first row) and with each other, strongest to the target first."""
    target = cells.loc[(cells["row_order"] == 0) & (cells["column_order"] > 0)].sort_values("column_order")
    others = cells.loc[(cells["row_order"] > 0) & (cells["column_order"] > cells["row_order"])]
    strongest = others.sort_values("value").iloc[-1]
    title = alt.Title(
        [f"С активностью сильнее всего связаны «{target['column_label'].iloc[0]}» "
         f"(φK {number(target['value'].iloc[0], 2)})",
         f"и «{target['column_label'].iloc[1]}» ({number(target['value'].iloc[1], 2)})"],
        subtitle=[f"Самая сильная связь двух признаков: «{strongest['row_label']}» и «{strongest['column_label']}», "
                  f"φK {number(strongest['value'], 2)}.",
                  "φK от 0 (нет связи) до 1; работает и для чисел, и для категорий. Первая строка — целевой признак."],
        anchor="start")
    description = "Матрица φK признаков и целевого признака; связь с активностью: " + "; ".join(
        f"{row.column_label} {number(row.value, 2)}" for row in target.itertuples())
    return correlation_heatmap(cells, title, description, signed=False)


def spearman_heatmap(cells: pd.DataFrame, pairs: pd.DataFrame) -> alt.LayerChart:
    """Spearman ρ between the numbers (table and engineered); the title names the collinear table pair."""
    table_pairs = pairs.loc[~pairs["engineered"]]
    if len(table_pairs):
        top = table_pairs.iloc[0]
        headline = [f"Сильно связаны только «{top['first_label']}» и «{top['second_label']}»:",
                    f"ρ = {number(top['spearman'], 2)}"]
    else:
        headline = ["Среди исходных числовых признаков нет сильно связанных пар"]
    title = alt.Title(headline, subtitle=[
        "Новые признаки модели связаны со своими исходными по построению.",
        "ρ Спирмена от −1 до 1: оранжевый — растут вместе, синий — один растёт, другой падает."], anchor="start")
    description = "Матрица корреляций Спирмена числовых признаков; сильные пары: " + "; ".join(
        f"{row.first_label} и {row.second_label}: {number(row.spearman, 2)}" for row in pairs.itertuples())
    return correlation_heatmap(cells, title, description, signed=True)


# A band-axis label longer than this many characters goes on two lines (two_line_labels).
TWO_LINE_LABEL_CHARS = 18


def two_line_labels(labels, max_chars: int = TWO_LINE_LABEL_CHARS) -> str:
    """A Vega `labelExpr` drawing each label longer than `max_chars` on two lines, broken at
    the space nearest its middle; shorter labels (and labels without a space) as they are.

    Why: on a phone the page header caps an axis label at 40 % of the chart's width, which cut
    model names to «Ансамбль без беспол…»; two lines of about half the length fit that cap.
    The field keeps the full label, so sorting and tooltips are unchanged. Pair with
    `labelLineHeight` and a band step of at least two lines (~26 px)."""
    wrapped = {}
    for label in labels:
        spaces = [i for i, char in enumerate(label) if char == " "]
        if len(label) > max_chars and spaces:
            cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
            wrapped[label] = [label[:cut], label[cut + 1:]]
    return json.dumps(wrapped, ensure_ascii=False) + "[datum.label] || datum.label" if wrapped else "datum.label"


def cv_fold_scores(folds: pd.DataFrame, families: pd.DataFrame, target: float) -> alt.LayerChart:
    """ROC-AUC of every fold of the repeated grouped CV, per model, with mean ± std; best on top.

    `folds` is model_cv_folds.csv, `families` model_families.csv (sorted best first).
    """
    order = families["label"].tolist()
    best = families.iloc[0]
    data = folds.merge(families[["family", "label", "chosen"]], on="family")
    summary = families.assign(low=families["cv_mean"] - families["cv_std"],
                              high=families["cv_mean"] + families["cv_std"])
    title = alt.Title(
        [f"Лучшая модель — «{best['label']}»: ROC-AUC {number(best['cv_mean'], 3)} ± {number(best['cv_std'], 3)}",
         f"цель {number(target, 2)} {'достигнута' if best['cv_mean'] >= target else 'не достигнута'}"],
        subtitle=["Точки — ROC-AUC на каждом из фолдов повторной перекрёстной проверки (копии в одном фолде);",
                  "ромб — среднее, отрезок — ± стандартное отклонение; пунктир — цель."], anchor="start")
    description = "ROC-AUC моделей в повторной групповой перекрёстной проверке: " + "; ".join(
        f"{row.label} {number(row.cv_mean, 3)} ± {number(row.cv_std, 3)}" for row in families.itertuples())
    y = alt.Y("label:N", title=None, sort=order,
              axis=alt.Axis(labelLimit=260, labelExpr=two_line_labels(order), labelLineHeight=12))
    x_scale = alt.Scale(zero=False, nice=True)
    points = alt.Chart(data).mark_circle(size=28, opacity=0.45, color=palette.CONTEXT).encode(
        y=y, x=alt.X("roc_auc:Q", title="ROC-AUC на фолде", scale=x_scale),
        tooltip=[alt.Tooltip("label:N", title="Модель"), alt.Tooltip("repeat:Q", title="Повтор, №"),
                 alt.Tooltip("fold:Q", title="Фолд, №"), alt.Tooltip("roc_auc:Q", title="ROC-AUC", format=".3f")])
    bars = alt.Chart(summary).mark_rule(strokeWidth=2.5).encode(
        y=y, x=alt.X("low:Q", scale=x_scale), x2="high:Q",
        color=alt.condition("datum.chosen", alt.value(palette.CHOSEN), alt.value(palette.INK)))
    means = alt.Chart(summary).mark_point(shape="diamond", size=110, filled=True).encode(
        y=y, x=alt.X("cv_mean:Q", scale=x_scale),
        color=alt.condition("datum.chosen", alt.value(palette.CHOSEN), alt.value(palette.INK)),
        tooltip=[alt.Tooltip("label:N", title="Модель"), alt.Tooltip("cv_mean:Q", title="Среднее ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_std:Q", title="Ст. отклонение ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_min:Q", title="Худший фолд, ROC-AUC", format=".3f"),
                 alt.Tooltip("params:N", title="Параметры")])
    goal = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(strokeDash=[5, 4], color=palette.REFERENCE).encode(
        x=alt.X("target:Q", scale=x_scale), tooltip=[alt.Tooltip("target:Q", title="Цель, ROC-AUC", format=".2f")])
    return alt.layer(points, bars, means, goal, title=title, description=description).properties(
        width="container", height=34 * len(order), autosize=FIT_WIDTH)


def roc_pr_curves(curves: pd.DataFrame, metrics: dict) -> alt.HConcatChart:
    """ROC and precision-recall curves of the test part and of the training part out of fold,
    with the operating point at the chosen threshold on the test curves."""
    data = curves.assign(sample_label=curves["sample"].map(SAMPLE_LABELS))
    at = metrics["at_threshold"]
    point = pd.DataFrame({"fpr": [at["fp"] / (at["fp"] + at["tn"])], "recall": [at["recall"]],
                          "precision": [at["precision"]], "threshold": [metrics["threshold"]["value"]]})
    point_tooltip = [alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f"),
                     alt.Tooltip("recall:Q", title="Полнота (доля найденных)", format=".1%"),
                     alt.Tooltip("precision:Q", title="Точность", format=".1%"),
                     alt.Tooltip("fpr:Q", title="Доля ложных тревог", format=".1%")]
    tooltip = [alt.Tooltip("sample_label:N", title="Выборка"),
               alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f")]
    test = metrics["test"]
    roc = alt.layer(
        alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color=palette.CONTEXT).encode(
            x="x:Q", y="y:Q"),
        alt.Chart(data.loc[data["curve"] == "roc"]).mark_line(interpolate="step-after").encode(
            x=alt.X("x:Q", title="Доля ложных тревог (FPR)", axis=alt.Axis(format=".0%")),
            y=alt.Y("y:Q", title="Доля найденных (TPR)", axis=alt.Axis(format=".0%")),
            color=_sample_color(), tooltip=[*tooltip, alt.Tooltip("x:Q", title="Доля ложных тревог (FPR)", format=".1%"),
                                            alt.Tooltip("y:Q", title="Доля найденных (TPR)", format=".1%")]),
        alt.Chart(point).mark_point(size=120, filled=True, color=palette.CHOSEN).encode(
            x="fpr:Q", y="recall:Q", tooltip=point_tooltip),
    ).properties(width=320, height=300, title=alt.Title(
        f"ROC: площадь на тесте {number(test['roc_auc'], 3)}", subtitle="Точка — выбранный порог", anchor="start"))
    prevalence = metrics["test_costs"]["dropping_customers"] / metrics["test_costs"]["customers"]
    pr = alt.layer(
        alt.Chart(pd.DataFrame({"y": [prevalence]})).mark_rule(strokeDash=[4, 4], color=palette.CONTEXT).encode(y="y:Q"),
        alt.Chart(data.loc[data["curve"] == "pr"]).mark_line(interpolate="step-before").encode(
            x=alt.X("x:Q", title="Полнота (доля найденных)", axis=alt.Axis(format=".0%")),
            y=alt.Y("y:Q", title="Точность", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
            color=_sample_color(), tooltip=[*tooltip, alt.Tooltip("x:Q", title="Полнота", format=".1%"),
                                            alt.Tooltip("y:Q", title="Точность", format=".1%")]),
        alt.Chart(point).mark_point(size=120, filled=True, color=palette.CHOSEN).encode(
            x="recall:Q", y="precision:Q", tooltip=point_tooltip),
    ).properties(width=320, height=300, title=alt.Title(
        f"Точность — полнота: средняя точность {number(test['average_precision'], 3)}",
        subtitle="Пунктир — доля «Снизилась» в тесте", anchor="start"))
    threshold = number(point["threshold"][0], 2)
    title = alt.Title(
        [f"На тесте модель {'хорошо ' if test['roc_auc'] >= GOOD_ROC_AUC else 'лишь отчасти '}отделяет «{POSITIVE_CLASS}»: "
         f"ROC-AUC {number(test['roc_auc'], 3)}",
         f"(95 % ДИ {number(test['ci_low'], 3)}–{number(test['ci_high'], 3)}), "
         f"средняя точность {number(test['average_precision'], 3)}"],
        subtitle=[f"При пороге {threshold} она находит {percent(at['recall'], 0)} снизивших активность, "
                  f"и {percent(at['precision'], 0)} её тревог верны."], anchor="start")
    description = (f"ROC-кривая (площадь {number(test['roc_auc'], 3)}) и кривая точность-полнота "
                   f"(средняя точность {number(test['average_precision'], 3)}) тестовой выборки и обучающей "
                   f"вне фолда; выбранный порог {threshold}: полнота {percent(at['recall'])}, "
                   f"точность {percent(at['precision'])}")
    return alt.hconcat(roc, pr, title=title, description=description).resolve_scale(color="shared")


def calibration_gap(calibration: pd.DataFrame, sample: str = "train_oof") -> float:
    """Mean |predicted − observed| over the probability deciles of `sample`, weighted by customers."""
    rows = calibration.loc[calibration["sample"] == sample]
    return float(((rows["predicted"] - rows["observed"]).abs() * rows["customers"]).sum() / rows["customers"].sum())


def calibration_chart(calibration: pd.DataFrame, metrics: dict) -> alt.LayerChart:
    """Reliability diagram: predicted probability vs observed share, by probability decile.

    The title trusts the probabilities only when the out-of-fold deciles are within
    CALIBRATION_GAP of the observed shares on average (calibration_gap)."""
    data = calibration.assign(sample_label=calibration["sample"].map(SAMPLE_LABELS))
    brier = metrics["brier"]
    gap = calibration_gap(calibration)
    verdict = ("Вероятностям модели можно верить" if gap <= CALIBRATION_GAP
               else "Вероятности модели заметно расходятся с фактом")
    sigmoid = (f"с калибровкой сигмоидой (без неё — {number(brier['train_oof_uncalibrated'], 3)})."
               if brier["calibrated"] else
               f"калибровка сигмоидой дала бы {number(brier['train_oof_sigmoid'], 3)}; не применена (см. текст).")
    title = alt.Title(
        [f"{verdict}: оценка Брайера {number(brier['test'], 3)} на тесте"],
        subtitle=[f"Вне фолда на обучающей — {number(brier['train_oof'], 3)}, {sigmoid}",
                  f"Прогноз и факт расходятся в среднем на {number(gap * 100, 1)} п. п.",
                  "Точка — десятая часть покупателей по прогнозу;", "на диагонали прогноз = факт."], anchor="start")
    description = "Калибровочная кривая: " + "; ".join(
        f"{row.sample_label}: прогноз {number(row.predicted, 2)}, факт {number(row.observed, 2)}"
        for row in data.itertuples())
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
        strokeDash=[4, 4], color=palette.CONTEXT).encode(x="x:Q", y="y:Q")
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=alt.X("predicted:Q", title=["Предсказанная вероятность «Снизилась»", "(среднее в группе)"],
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        y=alt.Y("observed:Q", title="Фактическая доля «Снизилась»", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%")),
        color=_sample_color(),
        tooltip=[alt.Tooltip("sample_label:N", title="Выборка"),
                 alt.Tooltip("predicted:Q", title="Прогноз", format=".1%"),
                 alt.Tooltip("observed:Q", title="Факт", format=".1%"),
                 alt.Tooltip("customers:Q", title="Покупателей")])
    return alt.layer(diagonal, lines, title=title, description=description).properties(
        width="container", height=320, autosize=FIT_WIDTH)


def confusion_matrix_chart(metrics: dict) -> alt.LayerChart:
    """The test part at the chosen threshold: four cells with counts and row shares."""
    at = metrics["at_threshold"]
    actual_drop, actual_stay = at["tp"] + at["fn"], at["tn"] + at["fp"]
    cells = pd.DataFrame([
        {"actual": POSITIVE_CLASS, "predicted": POSITIVE_CLASS, "customers": at["tp"], "share": at["tp"] / actual_drop,
         "meaning": "найдены: получат предложение"},
        {"actual": POSITIVE_CLASS, "predicted": NEGATIVE_CLASS, "customers": at["fn"], "share": at["fn"] / actual_drop,
         "meaning": "пропущены: уйдут без предложения"},
        {"actual": NEGATIVE_CLASS, "predicted": POSITIVE_CLASS, "customers": at["fp"], "share": at["fp"] / actual_stay,
         "meaning": "лишнее предложение"},
        {"actual": NEGATIVE_CLASS, "predicted": NEGATIVE_CLASS, "customers": at["tn"], "share": at["tn"] / actual_stay,
         "meaning": "верно оставлены в покое"},
    ])
    cells["label"] = [f"{number(c)} ({percent(s, 0)})" for c, s in zip(cells["customers"], cells["share"])]
    threshold = metrics["threshold"]["value"]
    title = alt.Title(
        [f"Из {number(actual_drop)} покупателей теста, чья активность снизится, модель находит "
         f"{number(at['tp'])} ({percent(at['recall'], 0)})"],
        subtitle=[f"Порог {number(threshold, 2)}; из {number(at['tp'] + at['fp'])} предложений "
                  f"{number(at['fp'])} достались бы тем, кто не снизит активность.",
                  "В скобках — доля от фактического класса (строки)."], anchor="start")
    description = "Матрица ошибок на тесте: " + "; ".join(
        f"факт {row.actual}, прогноз {row.predicted}: {row.customers}" for row in cells.itertuples())
    order = list(ACTIVITY_COLORS)
    base = alt.Chart(cells).encode(
        x=alt.X("predicted:N", title="Прогноз модели", sort=order, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("actual:N", title="Факт", sort=order))
    rects = base.mark_rect(stroke=palette.PAPER, strokeWidth=2).encode(
        color=alt.Color("share:Q", title="Доля фактического класса (от 0 до 1)",
                        scale=alt.Scale(scheme=palette.STRENGTH_SCHEME, domain=[0, 1], reverse=True), legend=None),
        tooltip=[alt.Tooltip("actual:N", title="Факт"), alt.Tooltip("predicted:N", title="Прогноз"),
                 alt.Tooltip("customers:Q", title="Покупателей"),
                 alt.Tooltip("share:Q", title="Доля фактического класса", format=".1%"),
                 alt.Tooltip("meaning:N", title="Что это значит")])
    text = base.mark_text(fontSize=15).encode(
        text="label:N", color=alt.condition("datum.share > 0.5", alt.value(palette.PAPER), alt.value(palette.INK)))
    return alt.layer(rects, text, title=title, description=description).properties(width=420, height=180)


def threshold_cost_chart(costs: pd.DataFrame, metrics: dict) -> alt.LayerChart:
    """Expected cost on the training part (out of fold) by threshold: missed drops, offers and their sum.

    Rules at the chosen threshold and at 0.5; hover anywhere to read a threshold's numbers.
    """
    chosen = metrics["threshold"]["value"]
    at_chosen = costs.loc[(costs["threshold"] - chosen).abs() < 1e-9].iloc[0]
    at_half = costs.loc[(costs["threshold"] - 0.5).abs() < 1e-9].iloc[0]
    share = metrics["threshold"]["offer_cost_share"]
    months = metrics["threshold"]["horizon_months"]
    parts = {"total_cost": "Итого", "cost_missed": "Пропущенные «Снизилась»", "cost_offers": "Предложения"}
    long = costs.melt(id_vars=["threshold", "offers", "recall", "precision", "missed", "false_alarms"],
                      value_vars=list(parts), var_name="part", value_name="cost")
    long["part_label"] = long["part"].map(parts)
    title = alt.Title(
        [f"Дешевле всего порог {number(chosen, 2)}: потери {number(at_chosen['total_cost'])} {MONEY_UNIT}",
         f"против {number(at_half['total_cost'])} при пороге 0,5"],
        subtitle=["Обучающая часть, прогнозы вне фолда.",
                  f"Пропуск «Снизилась» стоит его прибыли за {months} мес.;",
                  f"предложение — {percent(share, 0)} прибыли получателя за тот же срок",
                  "и удерживает каждого (верхняя граница).",
                  "Наведите курсор, чтобы увидеть числа для любого порога."], anchor="start")
    description = (f"Ожидаемые потери по порогу: минимум {number(at_chosen['total_cost'])} при пороге "
                   f"{number(chosen, 2)}, при 0,5 — {number(at_half['total_cost'])}; никому не предлагать — "
                   f"{number(costs['total_cost'].iloc[-1])}, всем — {number(costs['total_cost'].iloc[0])}")
    hover = alt.selection_point(name="hover", on="pointerover", nearest=True, fields=["threshold"], empty=False,
                                clear="pointerout")
    colors = alt.Color("part_label:N", title=None, sort=list(parts.values()), scale=alt.Scale(
        domain=list(parts.values()), range=[palette.INK, palette.DROP, palette.MONEY_OUT]), legend=alt.Legend(orient="top"))
    x = alt.X("threshold:Q", title="Порог вероятности «Снизилась»", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format=".0%"))
    cost_title = f"Потери, {MONEY_UNIT} за {months} мес."
    lines = alt.Chart(long).mark_line().encode(
        x=x, y=alt.Y("cost:Q", title=cost_title), color=colors,
        strokeWidth=alt.condition("datum.part == 'total_cost'", alt.value(3), alt.value(1.5)))
    tooltip = [alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f"),
               alt.Tooltip("total_cost:Q", title=f"Потери итого, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("cost_missed:Q", title=f"из них пропуски, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("cost_offers:Q", title=f"из них предложения, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("offers:Q", title="Предложений, покупателей"),
               alt.Tooltip("missed:Q", title="Пропущено «Снизилась», покупателей"),
               alt.Tooltip("recall:Q", title="Полнота", format=".1%"),
               alt.Tooltip("precision:Q", title="Точность", format=".1%")]
    selectors = alt.Chart(costs).mark_rule(color=palette.CONTEXT).encode(
        x=x, opacity=alt.condition(hover, alt.value(0.6), alt.value(0)), tooltip=tooltip).add_params(hover)
    dots = alt.Chart(costs).mark_point(filled=True, size=50, color=palette.INK).encode(
        x=x, y=alt.Y("total_cost:Q", title=cost_title), opacity=alt.condition(hover, alt.value(1), alt.value(0)))
    marks = pd.DataFrame({"threshold": [chosen, 0.5], "label": [f"выбран {number(chosen, 2)}", "0,5"]})
    rules = alt.Chart(marks).mark_rule(strokeDash=[5, 4]).encode(
        x="threshold:Q", color=alt.value(palette.REFERENCE), tooltip=[alt.Tooltip("label:N", title="Порог")])
    labels = [alt.Chart(marks.iloc[[row]]).mark_text(align="left", dx=4, y=4 + 14 * row, baseline="top",
                                                     color=palette.REFERENCE).encode(x="threshold:Q", text="label:N")
              for row in range(len(marks))]
    return alt.layer(lines, selectors, dots, rules, *labels, title=title, description=description).properties(
        width="container", height=320, autosize=FIT_WIDTH)


def permutation_importance_chart(importance: pd.DataFrame, useless: list[str], below: float) -> alt.LayerChart:
    """ROC-AUC lost when each input column is shuffled on held-out folds, with ± one std;
    `useless` (the columns the model leaves out, importance under `below`) in grey."""
    data = importance.assign(low=importance["importance"] - importance["std"],
                             high=importance["importance"] + importance["std"],
                             useless=importance["feature"].isin(useless))
    top = data.iloc[:3]
    title = alt.Title(
        ["Модель опирается прежде всего на " + ", ".join(f"«{label}»" for label in top["label"])],
        subtitle=[f"Сколько ROC-AUC теряет ансамбль на проверочных фолдах, если перемешать один признак. "
                  f"Серые — меньше {number(below, 3)}:",
                  "их модель может не видеть" + (": " + ", ".join(
                      f"«{label}»" for label in data.loc[data["useless"], "label"]) if data["useless"].any() else "")],
        anchor="start")
    description = "Важность признаков перестановкой (потеря ROC-AUC): " + "; ".join(
        f"{row.label} {number(row.importance, 4)}" for row in data.itertuples())
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=300))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("importance:Q", title="Потеря ROC-AUC при перемешивании признака"),
        color=alt.condition("datum.useless", alt.value(palette.FADED), alt.value(palette.INK)),
        tooltip=[alt.Tooltip("label:N", title="Признак"), alt.Tooltip("importance:Q", title="Потеря ROC-AUC", format=".4f"),
                 alt.Tooltip("std:Q", title="Ст. отклонение потери ROC-AUC", format=".4f"),
                 alt.Tooltip("folds_positive:Q", title="Доля фолдов, где признак помог", format=".0%")])
    errors = alt.Chart(data).mark_rule(color=palette.CONTEXT).encode(y=y, x="low:Q", x2="high:Q")
    return alt.layer(bars, errors, title=title, description=description).properties(
        width="container", height=22 * len(data), autosize=FIT_WIDTH)


def select_k_best_chart(select: pd.DataFrame, family_label: str) -> alt.LayerChart:
    """Grouped-CV ROC-AUC when only the k columns with the largest ANOVA F are kept."""
    data = select.assign(low=select["cv_mean"] - select["cv_std"], high=select["cv_mean"] + select["cv_std"])
    best = data.sort_values(["cv_mean", "k"], ascending=[False, True]).iloc[0]
    every = data.iloc[-1]
    title = alt.Title(
        [f"Отбор по F-критерию ничего не выигрывает: лучше всего все {number(every['k'])} "
         f"{plural(every['k'], 'столбец', 'столбца', 'столбцов')}"
         if best["k"] == every["k"] else
         f"Лучше всего k = {number(best['k'])} из {number(every['k'])} столбцов: "
         f"{number(best['cv_mean'], 3)} против {number(every['cv_mean'], 3)}"],
        subtitle=[f"{family_label}: ROC-AUC в групповой перекрёстной проверке,",
                  "если оставить k столбцов с наибольшим F (SelectKBest); полоса — ± ст. отклонение."],
        anchor="start")
    description = "ROC-AUC по числу отобранных столбцов: " + "; ".join(
        f"k={row.k}: {number(row.cv_mean, 3)}" for row in data.itertuples())
    x = alt.X("k:Q", title="Сколько закодированных столбцов оставлено (k)")
    band = alt.Chart(data).mark_area(opacity=0.2, color=palette.INK).encode(x=x, y="low:Q", y2="high:Q")
    line = alt.Chart(data).mark_line(point=True, color=palette.INK).encode(
        x=x, y=alt.Y("cv_mean:Q", title="ROC-AUC", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("k:Q", title="k, столбцов"), alt.Tooltip("cv_mean:Q", title="ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_std:Q", title="Ст. отклонение ROC-AUC", format=".4f")])
    return alt.layer(band, line, title=title, description=description).properties(
        width="container", height=240, autosize=FIT_WIDTH)
