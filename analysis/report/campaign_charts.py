"""Charts of the campaign planner: the live what-if (sliders) and how much of the drop a ranking reaches.

The planner is a Vega-Lite spec with three parameters bound to sliders — assumed effect,
offer cost, budget — whose transforms recompute, in the reader's browser and offline,
the economics of economics.py for every customer with an offer: expected value, who is
targeted (positive expected value, best first, within the budget), profit kept, cost and
net per segment and in total, and each segment's break-even line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..decide import economics
from . import campaign_text, palette, units
from .charts import FIT_WIDTH
from .phone_layout import phone_layout
from ..decide.segments import SEGMENT_LABELS
from .formatting import number, percent

TOTAL_LABEL = "Все покупатели"
# The planner's table: column key -> header, in display order.
# A «|» breaks a header into lines (the axis splits labels on it), so five columns fit a text column.
PLANNER_COLUMNS = {"t_chosen": "Выбрано|покупателей", "t_kept": "Сохранено|прибыли", "t_cost": "Цена|предложений",
                   "t_net": "Итог", "t_break_even": "Окупается|при эффекте от"}
# Wide enough for the five columns, narrow enough to leave the chart's action button its own
# corner beside the titles in the 1280 px layout (the segment labels take ~190 px on the left).
PLANNER_WIDTH = 500
# A phone's card of figures: a 390 px screen leaves the chart a ~340 px box; the page header
# narrows it further if a smaller screen needs it.
PHONE_CARD_WIDTH = 300
EFFECT_PARAM, COST_PARAM, BUDGET_PARAM = "effect", "cost_share", "budget"


def planner_data(campaign: pd.DataFrame, horizon_months: int) -> pd.DataFrame:
    """One row per customer with an offer: segment label, at_stake = p × horizon × profit and
    horizon_profit = horizon × profit (the two sums every figure of the planner is made of)."""
    with_offer = campaign.loc[economics.has_offer(campaign["offer"])]
    return pd.DataFrame({
        "id": with_offer["id"].to_numpy(), "segment_label": with_offer["segment_label"].to_numpy(),
        "at_stake": (with_offer["probability_drop"] * horizon_months * with_offer["profit"]).round(6).to_numpy(),
        "horizon_profit": (horizon_months * with_offer["profit"]).round(6).to_numpy(),
    })


def planner_params(effect: float, cost_share: float, customers: int) -> list:
    return [
        alt.param(name=EFFECT_PARAM, value=effect, bind=alt.binding_range(
            min=0, max=1, step=0.01, name="Эффект: на сколько предложение снижает вероятность снижения активности ")),
        alt.param(name=COST_PARAM, value=cost_share, bind=alt.binding_range(
            min=0, max=1, step=0.01, name="Цена предложения: доля прибыли получателя за горизонт ")),
        alt.param(name=BUDGET_PARAM, value=customers, bind=alt.binding_range(
            min=0, max=customers, step=1, name="Бюджет: не больше покупателей ")),
    ]


def _targeted(base: alt.Chart) -> alt.Chart:
    """The targeting rule of economics.targeting, as Vega transforms."""
    return base.transform_calculate(
        kept=f"{EFFECT_PARAM} * datum.at_stake", cost=f"{COST_PARAM} * datum.horizon_profit",
    ).transform_calculate(ev="datum.kept - datum.cost").transform_window(
        rank="row_number()", sort=[alt.SortField("ev", order="descending"), alt.SortField("id")],
    ).transform_calculate(
        chosen=f"datum.ev > 0 && datum.rank <= {BUDGET_PARAM} ? 1 : 0",
    ).transform_calculate(
        chosen_kept="datum.chosen * datum.kept", chosen_cost="datum.chosen * datum.cost",
        groups=f"[datum.segment_label, '{TOTAL_LABEL}']",
    ).transform_flatten(["groups"], as_=["group"])


def _figures(base: alt.Chart) -> alt.Chart:
    """Per group (each segment and all customers) and per planner column: the figure as text.

    Rows: group, column (a PLANNER_COLUMNS key), text, header (with «|» line breaks),
    header_text (on one line), negative (a net below zero, drawn in palette.MONEY_OUT)."""
    return _targeted(base).transform_aggregate(
        chosen="sum(chosen)", kept="sum(chosen_kept)", cost="sum(chosen_cost)", at_stake="sum(at_stake)",
        horizon_profit="sum(horizon_profit)", groupby=["group"],
    ).transform_calculate(
        net="datum.kept - datum.cost",
        break_even=f"datum.at_stake > 0 ? {COST_PARAM} * datum.horizon_profit / datum.at_stake : null",
    ).transform_calculate(
        t_chosen="format(datum.chosen, ',d')", t_kept="format(datum.kept, ',.0f')",
        t_cost="format(datum.cost, ',.0f')", t_net="format(datum.net, ',.0f')",
        t_break_even="datum.break_even > 1 ? 'не окупается' : format(datum.break_even, '.1%')",
    ).transform_fold(list(PLANNER_COLUMNS), as_=["column", "text"]).transform_calculate(
        header="{" + ", ".join(f"'{key}': '{title}'" for key, title in PLANNER_COLUMNS.items()) + "}[datum.column]",
        header_text="{" + ", ".join(f"'{key}': '{title.replace('|', ' ')}'"
                                    for key, title in PLANNER_COLUMNS.items()) + "}[datum.column]",
        negative="datum.column === 't_net' && datum.net < 0",
    )


def _figures_tooltip() -> list:
    return [alt.Tooltip("group:N", title="Группа"), alt.Tooltip("header_text:N", title="Показатель"),
            alt.Tooltip("text:N", title="Значение")]


def _figure_colour():
    return alt.condition("datum.negative", alt.value(palette.MONEY_OUT), alt.value(palette.INK))


def _break_even_lines(base: alt.Chart, segment_order: list[str], unit: str, width: int,
                      y_orient: str = "left") -> alt.LayerChart:
    """Each segment's net if all of it got the offer, against the assumed effect (0 to 100 %),
    the zero line and the effect chosen by the slider; `y_orient` is the side of the net's axis."""
    lines = base.transform_aggregate(
        at_stake="sum(at_stake)", horizon_profit="sum(horizon_profit)", groupby=["segment_label"],
    ).transform_calculate(ends="[0, 1]").transform_flatten(["ends"], as_=["effect_value"]).transform_calculate(
        net=f"datum.effect_value * datum.at_stake - {COST_PARAM} * datum.horizon_profit")
    segment_colours = palette.segment_colors(SEGMENT_LABELS)
    colours = alt.Scale(domain=segment_order, range=[segment_colours[label] for label in segment_order])
    break_even = lines.mark_line(strokeWidth=2).encode(
        x=alt.X("effect_value:Q", title="Допущенный эффект предложения", axis=alt.Axis(format="%")),
        y=alt.Y("net:Q", title=f"Итог предложения всему сегменту, {unit}", axis=alt.Axis(orient=y_orient)),
        color=alt.Color("segment_label:N", title="Сегмент", scale=colours, sort=segment_order,
                        legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("segment_label:N", title="Сегмент"),
                 alt.Tooltip("effect_value:Q", title="Эффект", format=".0%"),
                 alt.Tooltip("net:Q", title=f"Итог, {unit}", format=",.0f")])
    zero = alt.Chart(pd.DataFrame({"net": [0.0]})).mark_rule(color=palette.INK).encode(y="net:Q")
    current = alt.Chart(pd.DataFrame({"row": [0]})).transform_calculate(at=EFFECT_PARAM).mark_rule(
        strokeDash=[4, 4], color=palette.CHOSEN).encode(x="at:Q", tooltip=[alt.Tooltip("at:Q", title="Текущий эффект",
                                                                                   format=".0%")])
    return alt.layer(break_even, zero, current).properties(width=width, height=260, title=alt.Title(
        ["Где линия сегмента пересекает ноль,", "предложение окупается"], anchor="start",
        subtitle=["Пунктир — эффект, выбранный ползунком;", "наклон — прибыль под риском сегмента"]))


def planner_phone_table(base: alt.Chart, order: list[str], subtitle: list[str]) -> alt.FacetChart:
    """The planner's figures for a phone: one card per group (its name in bold, then a line per
    figure: the header on the left, the value on the right), so the five columns need no width."""
    figures = _figures(base)
    line = alt.Y("header_text:N", sort=[title.replace("|", " ") for title in PLANNER_COLUMNS.values()],
                 title=None, axis=None)
    # Named: Altair names a facet's first layer when lifting the sliders to the top, and fails on a nameless one.
    names = alt.Chart(name="planner_card_names").mark_text(align="left", baseline="middle", fontSize=13, color=palette.INK).encode(
        x=alt.value(0), y=line, text="header_text:N")
    values = alt.Chart().mark_text(align="right", baseline="middle", fontSize=13, fontWeight="bold").encode(
        x=alt.value("width"), y=line, text="text:N", color=_figure_colour(), tooltip=_figures_tooltip())
    cards = alt.layer(names, values).properties(width=PHONE_CARD_WIDTH, height=len(PLANNER_COLUMNS) * 20,
                                                view=alt.ViewBackground(stroke=None))
    return alt.FacetChart(
        data=figures.data, transform=figures.transform, spec=cards, spacing=14,
        facet=alt.FacetFieldDef(field="group", type="nominal", sort=order, title=None,
                                header=alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0,
                                                  labelFontSize=13, labelFontWeight="bold", labelPadding=0)),
        title=alt.Title("Кого выбрать при этих допущениях и сколько это даст", anchor="start", subtitle=subtitle,
                        offset=12),  # the first card's name would touch the subtitle
        columns=1, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="shared")))


def planner_chart(campaign: pd.DataFrame, document: dict, segment_order: list[str]) -> alt.VConcatChart:
    """The planner: sliders, the per-segment table of figures and the break-even lines.

    Starts at the default assumptions (uniform over offers, as in campaign.json) and no
    budget limit; the table at the start equals campaign.json's figures. On a phone
    (usermeta.oneclick.phone, drawn by assets/charts-header.html in a box under 600 px) the
    same figures are cards, one under the other (planner_phone_table): the same data,
    transforms and sliders, so both layouts show the same numbers.
    """
    defaults = document["assumptions"]["default"]
    horizon = document["horizon_months"]
    data = planner_data(campaign, horizon)
    unit = units.MONEY
    segment_order = [label for label in segment_order if label in set(data["segment_label"])]
    order = [*segment_order, TOTAL_LABEL]
    base = alt.Chart(data)
    subtitle = [f"Суммы — за {horizon} мес., в {unit}. Выбраны покупатели",
                "с положительным ожидаемым эффектом, лучшие первыми, не больше бюджета.",
                "«Окупается при эффекте от» — если предложение получит весь сегмент."]
    table = _figures(base).mark_text(align="right", dx=40, fontSize=13).encode(
        x=alt.X("header:N", sort=list(PLANNER_COLUMNS.values()), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=160, domain=False, ticks=False,
                              labelExpr="split(datum.label, '|')", labelLineHeight=13,
                              offset=14)),  # a two-line header's second line grows down: lift it off row one
        y=alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, domain=False, ticks=False)),
        text="text:N", color=_figure_colour(), tooltip=_figures_tooltip(),
    ).properties(width=PLANNER_WIDTH, height=len(order) * 28, title=alt.Title(
        "Кого выбрать при этих допущениях и сколько это даст", anchor="start", subtitle=subtitle))
    paying = document["totals"]["paying"]
    total = next(row for row in document["segments"] if row["segment"] == "total")
    title = [f"При эффекте {percent(defaults['effect'], 0)} и цене {percent(defaults['cost_share'], 0)} прибыли "
             + ("предложение не окупается ни у кого" if not paying["customers"] else
                f"окупается у {number(paying['customers'])} покупателей")]
    if total["break_even_effect"] is not None:
        title.append(f"всем с предложением оно окупилось бы при эффекте от {percent(total['break_even_effect'], 0)}")
    description = (f"Планировщик кампании: {'; '.join(title)}; итог выбранных — {number(paying['net'])} {unit} за "
                   f"{horizon} мес. Ползунки меняют эффект, цену и бюджет.")
    params = planner_params(defaults["effect"], defaults["cost_share"], len(data))
    # Vega lines up the views of a column at their plot's left edge: with the lines' y axis on
    # the left, the cards would start right of it, a width a phone cannot spare.
    phone = alt.vconcat(planner_phone_table(base, order, subtitle),
                        _break_even_lines(base, segment_order, unit, PHONE_CARD_WIDTH, y_orient="right"),
                        spacing=30).add_params(
        *params).properties(title=alt.Title(title, anchor="start"), description=description)
    # The effect and the cost are shares: the page header shows their sliders' values as «20 %».
    usermeta = {"oneclick": {**phone_layout(phone)["oneclick"], "percentSliders": [EFFECT_PARAM, COST_PARAM]}}
    return alt.vconcat(table, _break_even_lines(base, segment_order, unit, PLANNER_WIDTH), spacing=30).add_params(
        *params).properties(title=alt.Title(title, anchor="start"), description=description, usermeta=usermeta)


CURVE_TOOLTIP = [alt.Tooltip("share_targeted:Q", title="Верхние по риску, %", format=".0%"),
                 alt.Tooltip("customers:Q", title="Покупателей", format=","),
                 alt.Tooltip("gains:Q", title="Охват снизивших активность, %", format=".1%"),
                 alt.Tooltip("gains_low:Q", title="95 % интервал охвата: от, %", format=".1%"),
                 alt.Tooltip("gains_high:Q", title="до, %", format=".1%"),
                 alt.Tooltip("precision:Q", title="Точность, %", format=".1%"),
                 alt.Tooltip("precision_low:Q", title="95 % интервал точности: от, %", format=".1%"),
                 alt.Tooltip("precision_high:Q", title="до, %", format=".1%"),
                 alt.Tooltip("lift:Q", title="Лифт, раз", format=".2f")]


def _ranking_curve(curve: pd.DataFrame, measure: str, y_title: str, reference: str,
                   title: str, subtitle: str, description: str) -> alt.LayerChart:
    """One measure of the risk ranking over the top k %: its bootstrap band (`<measure>_low` to
    `<measure>_high`), the measure as a line (palette.INK: an estimate) and a dashed baseline
    (`reference`, a column of `curve`; palette.CONTEXT: what a random choice would give).

    The shared layering of the gains and the precision charts; y is a share from 0 to 1.
    """
    base = alt.Chart(curve.assign(random=curve["share_targeted"]))
    x = alt.X("share_targeted:Q", title="Доля покупателей с самым высоким риском, %", axis=alt.Axis(format="%"))
    band = base.mark_area(opacity=0.25, color=palette.INK).encode(
        x=x, y=alt.Y(f"{measure}_low:Q", title=y_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y2=f"{measure}_high:Q")
    baseline = base.mark_line(strokeDash=[4, 4], color=palette.CONTEXT).encode(x=x, y=f"{reference}:Q")
    line = base.mark_line(point=True, color=palette.INK).encode(x=x, y=f"{measure}:Q", tooltip=CURVE_TOOLTIP)
    return alt.layer(band, baseline, line, title=alt.Title(title, subtitle=subtitle, anchor="start"),
                     description=description).properties(width="container", height=280, autosize=FIT_WIDTH)


def gains_chart(curve: pd.DataFrame) -> alt.LayerChart:
    """Cumulative gains of the risk ranking with its bootstrap band; the diagonal is a random choice."""
    at_third = campaign_text.gains_point(curve)
    title = (f"Верхние {percent(at_third['share_targeted'], 0)} по риску содержат "
             f"{percent(at_third['gains'], 0)} всех снизивших активность")
    subtitle = (f"Полоса — 95 % бутстреп-интервал ({percent(at_third['gains_low'], 0)}–"
                f"{percent(at_third['gains_high'], 0)} в этой точке); пунктир — случайный выбор")
    return _ranking_curve(curve, "gains", "Доля всех, чья активность снизилась, %", "random", title, subtitle,
                          f"Кривая охвата: {title} ({subtitle})")


def precision_chart(curve: pd.DataFrame) -> alt.LayerChart:
    """Precision in the top k % of the risk ranking with its bootstrap band; the dashes are the base rate."""
    first = curve.iloc[0]
    title = (f"Точность в верхних {percent(first['share_targeted'], 0)} по риску — "
             f"{percent(first['precision'], 0)}")
    subtitle = (f"Полоса — 95 % бутстреп-интервал; пунктир — доля снизивших среди всех "
                f"({percent(first['drop_share'], 0)})")
    return _ranking_curve(curve, "precision", "Доля снизивших среди выбранных, %", "drop_share", title, subtitle,
                          f"Точность в верхних k %: {title} ({subtitle})")
