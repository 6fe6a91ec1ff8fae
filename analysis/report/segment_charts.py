"""Altair charts of the «Сегменты и предложения» chapter (DataFrame in, Chart out).

Inputs are the results of `segments.build_segment_results`. Per-customer charts ship
only the columns they show, rounded, so the page stays small.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from . import palette
from .charts import FIT_WIDTH
from .units import MONEY as MONEY_UNIT
from .formatting import counted, number, percent
from ..decide.segments import SEGMENT_LABELS

# Hue = risk (palette.DROP / STAY), shade = profit (pale = low profit): analysis/report/palette.py.
SEGMENT_COLORS = palette.segment_colors(SEGMENT_LABELS)
WHAT_IF_DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]
HUNTER_SHAPES = {"да": "triangle-up", "нет": "circle"}
SEGMENT_LEGEND = alt.Legend(orient="top", columns=2)


def _segment_color(legend: alt.Legend | None = None) -> alt.Color:
    return alt.Color("segment:N", title="Сегмент", legend=legend,
                     scale=alt.Scale(domain=list(SEGMENT_COLORS), range=list(SEGMENT_COLORS.values())))


def risk_profit_scatter(customers: pd.DataFrame, risk_cut: float, profit_cut: float) -> alt.VConcatChart:
    """Every customer on risk × profit; a brushed area sums its profit at stake by segment below.

    `customers` is the enriched customers table. The rules are the two cuts; a
    triangle marks a promo hunter.
    """
    data = pd.DataFrame({
        "id": customers["id"], "segment": customers["segment_label"],
        "risk": customers["probability_drop"].round(3), "profit": customers["profit"],
        "at_stake": customers["expected_profit_at_risk"].round(2), "offer": customers["offer"],
        "hunter": customers["promo_hunter"].map({True: "да", False: "нет"}),
    })
    brush = alt.selection_interval(name="brush", encodings=["x", "y"])
    priority = SEGMENT_LABELS["high_risk_high_profit"]
    title = alt.Title(
        f"Правый верхний угол — «{priority}»: "
        f"{counted((data['segment'] == priority).sum(), 'покупатель', 'покупателя', 'покупателей')}",
        subtitle=["Линии — порог риска модели и медиана прибыли; треугольник — охотник за акциями.",
                  "Выделите область мышью: ниже — сколько прибыли под риском в ней."],
        anchor="start")
    points = alt.Chart(data).mark_point(filled=True, size=36, opacity=0.75).encode(
        x=alt.X("risk:Q", title="Вероятность снижения активности", axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("profit:Q", title=f"Прибыль в месяц, {MONEY_UNIT}"),
        color=alt.condition(brush, _segment_color(SEGMENT_LEGEND), alt.value(palette.FADED)),
        shape=alt.Shape("hunter:N", title="Охотник за акциями", legend=alt.Legend(orient="top"),
                         scale=alt.Scale(domain=list(HUNTER_SHAPES), range=list(HUNTER_SHAPES.values()))),
        tooltip=[alt.Tooltip("id:N", title="id покупателя"), alt.Tooltip("segment:N", title="Сегмент"),
                 alt.Tooltip("risk:Q", title="Вероятность снижения", format=".1%"),
                 alt.Tooltip("profit:Q", title=f"Прибыль в месяц, {MONEY_UNIT}", format=".2f"),
                 alt.Tooltip("at_stake:Q", title=f"Прибыль под риском за 3 мес., {MONEY_UNIT}", format=".2f"),
                 alt.Tooltip("offer:N", title="Предложение")],
    ).add_params(brush)
    risk_rule = alt.Chart(pd.DataFrame({"risk": [risk_cut]})).mark_rule(strokeDash=[5, 4], color=palette.REFERENCE).encode(
        x="risk:Q")
    profit_rule = alt.Chart(pd.DataFrame({"profit": [profit_cut]})).mark_rule(
        strokeDash=[5, 4], color=palette.REFERENCE).encode(y="profit:Q")
    scatter = alt.layer(points, risk_rule, profit_rule).properties(width="container", height=380)
    bars = alt.Chart(data).transform_filter(brush).mark_bar().encode(
        y=alt.Y("segment:N", title=None, sort=list(SEGMENT_COLORS), axis=alt.Axis(labelLimit=260),
                scale=alt.Scale(domain=list(SEGMENT_COLORS))),
        x=alt.X("sum(at_stake):Q", title=f"Прибыль под риском за 3 мес. в выделенной области, {MONEY_UNIT}"),
        color=_segment_color(SEGMENT_LEGEND),
        tooltip=[alt.Tooltip("segment:N", title="Сегмент"),
                 alt.Tooltip("count():Q", title="Покупателей"),
                 alt.Tooltip("sum(at_stake):Q", title=f"Под риском, {MONEY_UNIT}", format=",.0f")],
    ).properties(width="container", height=130)
    description = (f"Точечная диаграмма {number(len(data))} покупателей: вероятность снижения активности "
                   f"по горизонтали, прибыль по вертикали; порог риска {number(risk_cut, 2)}, "
                   f"медиана прибыли {number(profit_cut, 2)}. Покупателей и прибыль под риском по сегментам: "
                   + "; ".join(f"{segment}: {number((data['segment'] == segment).sum())}, "
                               f"{number(data.loc[data['segment'] == segment, 'at_stake'].sum())} {MONEY_UNIT}"
                               for segment in SEGMENT_COLORS) + ".")
    return alt.vconcat(scatter, bars, title=title, description=description).properties(
        autosize=FIT_WIDTH).resolve_scale(color="shared")


def comparison_effects(comparison: pd.DataFrame, group_label: str, top: int = 12) -> alt.LayerChart:
    """Effect size of each feature (Cliff's delta or share difference), strongest first.

    A description (the segment is cut on these features): bars with their bootstrap 95 % interval.
    """
    rows = comparison.head(top).copy()
    rows["name"] = [f"{label}: {level}" if isinstance(level, str) and level else label
                    for label, level in zip(rows["label"], rows["level"])]
    rows["verdict"] = np.where((rows["effect_ci_low"] > 0) | (rows["effect_ci_high"] < 0),
                               "интервал не включает 0", "интервал включает 0")
    strongest = rows.iloc[0]
    title = alt.Title(f"Сильнее всего «{group_label}» отличается по признаку «{strongest['name']}»",
                      subtitle="Число: дельта Клиффа (−1…1); категория: разница долей. "
                               "Вправо — в сегменте больше, чем у остальных.", anchor="start")
    bars = alt.Chart(rows).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("effect_size:Q", title="Размер эффекта", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("verdict:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=["интервал не включает 0", "интервал включает 0"],
                                        range=[palette.INK, palette.FADED])),
        tooltip=[alt.Tooltip("name:N", title="Признак"),
                 alt.Tooltip("group_value:Q", title="В сегменте: медиана в единицах признака или доля (от 0 до 1)",
                             format=",.2f"),
                 alt.Tooltip("rest_value:Q", title="У остальных: медиана или доля (от 0 до 1)", format=",.2f"),
                 alt.Tooltip("effect_size:Q", title="Размер эффекта", format=".2f"),
                 alt.Tooltip("effect_measure:N", title="Мера"),
                 alt.Tooltip("effect_ci_low:Q", title="95 % ДИ, от", format=".2f"),
                 alt.Tooltip("effect_ci_high:Q", title="95 % ДИ, до", format=".2f")],
    )
    interval = alt.Chart(rows).mark_rule(color=palette.CONTEXT).encode(
        y=alt.Y("name:N", sort=None), x="effect_ci_low:Q", x2="effect_ci_high:Q")
    description = (f"Размер эффекта признаков: «{group_label}» против остальных покупателей: " + "; ".join(
        f"{row.name} {number(row.effect_size, 2)} ({row.verdict})" for row in rows.itertuples()))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=palette.INK).encode(x="x:Q")
    return alt.layer(bars, interval, zero, title=title, description=description).properties(width="container", height=22 * len(rows),
                                            autosize=FIT_WIDTH)


def segment_driver_bars(drivers: pd.DataFrame, group_label: str, top: int = 8) -> alt.Chart:
    """Mean SHAP towards «Снизилась» of each feature in the segment vs the rest."""
    rows = drivers.head(top)
    long = pd.concat([
        pd.DataFrame({"label": rows["label"], "who": group_label, "shap": rows["mean_shap_group"]}),
        pd.DataFrame({"label": rows["label"], "who": "остальные", "shap": rows["mean_shap_rest"]}),
    ])
    long["shap_pp"] = (long["shap"] * 100).round(2)
    top_row = drivers.loc[drivers["mean_shap_group"].idxmax()]
    sign = "+" if top_row["mean_shap_group"] >= 0 else "−"
    title = alt.Title(
        f"Главная причина риска в сегменте — «{top_row['label']}»: "
        f"в среднем {sign}{number(abs(top_row['mean_shap_group']) * 100, 1)} п. п. к вероятности",
        subtitle="Средний вклад признака (SHAP) в вероятность «Снизилась», процентные пункты",
        anchor="start")
    description = (f"Средний вклад признаков в вероятность снижения активности, п. п.: «{group_label}» "
                   "против остальных: " + "; ".join(
                       f"{row.label} {number(row.mean_shap_group * 100, 1)} против {number(row.mean_shap_rest * 100, 1)}"
                       for row in rows.itertuples()))
    return alt.Chart(long, title=title, description=description).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=list(rows["label"]), axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("who:N", sort=[group_label, "остальные"]),
        x=alt.X("shap_pp:Q", title="Средний вклад в вероятность снижения, п. п."),
        color=alt.Color("who:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=[group_label, "остальные"], range=[SEGMENT_COLORS.get(group_label, palette.INK), palette.CONTEXT])),
        tooltip=[alt.Tooltip("label:N", title="Признак"), alt.Tooltip("who:N", title="Группа"),
                 alt.Tooltip("shap_pp:Q", title="Средний вклад, п. п.", format=".2f")],
    ).properties(width="container", height=30 * len(rows), autosize=FIT_WIDTH)


def what_if_lines(what_if: pd.DataFrame, offer_cost_share: float) -> alt.LayerChart:
    """Net profit of offering to a whole group, by assumed uplift; the break-even uplift marked."""
    data = what_if[["label", "uplift", "net", "profit_saved", "offer_cost", "break_even_uplift",
                    "max_offer_cost_share"]].copy()
    order = list(dict.fromkeys(data["label"]))
    # A segment keeps its segment colour; a group across segments (hunters, all high risk) is ink,
    # told apart by its dash pattern, so no colour takes a second meaning.
    colours = [SEGMENT_COLORS.get(label, palette.INK) for label in order]
    dashes = alt.StrokeDash("label:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=WHAT_IF_DASHES[:len(order)]))
    first = data.iloc[0]
    # Titles as short lines (a list): one long line would run past the chart in a narrow text column.
    title = alt.Title(
        [f"Предложение ценой {percent(offer_cost_share, 0)} прибыли окупается, только если",
         f"снижает вероятность снижения активности больше чем на {percent(first['break_even_uplift'], 0)}"],
        subtitle=[f"Итог за 3 месяца ({MONEY_UNIT}) при допущенном эффекте; ниже нуля — убыток;",
                  "эффект 100 % — верхняя граница"],
        anchor="start")
    color = alt.Color("label:N", title=None, legend=alt.Legend(orient="top"),
                      scale=alt.Scale(domain=order, range=colours))
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("uplift:Q", title="Допущенное снижение вероятности снижения активности",
                axis=alt.Axis(format=".0%", values=sorted(data["uplift"].unique().tolist()))),
        y=alt.Y("net:Q", title=f"Сохранённая прибыль минус цена предложений, {MONEY_UNIT}"),
        color=color, strokeDash=dashes,
        tooltip=[alt.Tooltip("label:N", title="Группа"), alt.Tooltip("uplift:Q", title="Эффект", format=".0%"),
                 alt.Tooltip("profit_saved:Q", title=f"Сохранено, {MONEY_UNIT}", format=",.0f"),
                 alt.Tooltip("offer_cost:Q", title=f"Цена предложений, {MONEY_UNIT}", format=",.0f"),
                 alt.Tooltip("net:Q", title=f"Итог, {MONEY_UNIT}", format=",.0f"),
                 alt.Tooltip("max_offer_cost_share:Q", title="Окупается при цене не выше", format=".0%")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=palette.INK).encode(y="y:Q")
    breaks = alt.Chart(data.drop_duplicates("label")).mark_rule(strokeDash=[5, 4]).encode(
        x="break_even_uplift:Q", color=color,
        tooltip=[alt.Tooltip("label:N", title="Группа"),
                 alt.Tooltip("break_even_uplift:Q", title="Точка безубыточности", format=".1%")])
    description = (f"Чистый эффект предложения ценой {percent(offer_cost_share, 0)} прибыли по допущенному "
                   "снижению вероятности; окупается, если снижение больше: " + "; ".join(
                       f"{row.label} — {percent(row.break_even_uplift, 0)}"
                       for row in data.drop_duplicates("label").itertuples()))
    return alt.layer(lines, zero, breaks, title=title, description=description).properties(width="container", height=300,
                                                                 autosize=FIT_WIDTH)
