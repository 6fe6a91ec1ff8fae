"""Altair charts of the «Почему» chapter: SHAP importance, beeswarm, dependence, waterfalls.

Inputs are the results files of `explain.build_explain_results` (shap_values,
shap_importance, shap_waterfalls, the `explain` metadata) and the modelling table.
Per-customer charts ship one compact row per customer (short field names, SHAP
rounded to 4 significant digits, categories as codes) and do the reshaping in
Vega-Lite transforms, so the page stays small and every interaction works in the
static page, offline; the explorer's customer is chosen by the customer picker
(customer_picker.py) through one Vega signal. The beeswarm, the
dependence plots and the explorer use the very same rows (`customer_frame` of all used
features), so the page writes them once (charts.offline_chart_html).
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from . import explain_words, palette, units
from .charts import ACTIVITY_COLORS, DRAW_ON_CANVAS, FIT_WIDTH
from ..constants import NEGATIVE_CLASS, POSITIVE_CLASS
from ..explain.explain import probability_from_output
from ..data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS
from .formatting import number, percent
from ..data.labels import TARGET

# Okabe–Ito: orange pushes towards «Снизилась», blue away from it; grey has no direction.
RISK_UP, RISK_DOWN, NEUTRAL = palette.DROP, palette.STAY, palette.CONTEXT
DIRECTION_LEGEND = {1: "больше → выше риск", -1: "меньше → выше риск", 0: "категория или не используется"}
WATERFALL_FEATURES = 9
# A plot narrower than this (px) is on a phone: the explorer's caption then ends at its right edge.
NARROW_PLOT_PX = 320
SIGNIFICANT_DIGITS = 4
# The explorer's Vega signal holding the chosen customer's place by risk (1 = highest).
RISK_PLACE_SIGNAL = "risk_place"


def shap_units(meta: dict) -> tuple[float, str, str]:
    """(display factor, unit, what it measures) for the explained output space (explain_words.shap_units)."""
    return explain_words.shap_units(meta["output_space"])


def shap_text(value: float, meta: dict, signed: bool = False) -> str:
    """A SHAP value for prose in the chapter's units (explain_words.shap_text)."""
    return explain_words.shap_text(value, meta["output_space"], signed)


def scientific(value: float) -> str:
    """3.3e-16 -> '3·10⁻¹⁶' (one significant digit)."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.0e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{power}" if mantissa == "1" else f"{mantissa}·10{power}"


def output_axis_title(meta: dict) -> str:
    """What a waterfall's axis measures: the model output in display units."""
    if meta["output_space"] == "probability":
        return f"Вероятность «{POSITIVE_CLASS}», %"
    return explain_words.OUTPUT_SPACES[meta["output_space"]].capitalize()


def _unit_suffix(meta: dict) -> str:
    unit = shap_units(meta)[1]
    return f", {unit}" if unit else ""


def _round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    values = np.asarray(values, float)
    magnitude = np.floor(np.log10(np.abs(np.where(values == 0, 1, values))))
    scale = 10.0 ** (digits - 1 - magnitude)
    return np.round(values * scale) / scale


def _used(importance: pd.DataFrame) -> pd.DataFrame:
    return importance.loc[importance["used"]].sort_values("rank")


def risk_places(shap_values: pd.DataFrame) -> pd.Series:
    """Each customer's place by the model's output, 1 = highest risk (ties: the first row
    first), in the rows' order. The explorer's slider and the customer picker both count
    places with it, so a place names the same customer everywhere."""
    return shap_values["model_output"].rank(method="first", ascending=False).astype(int).rename("r")


def customer_frame(shap_values: pd.DataFrame, model_table: pd.DataFrame, features: list[str],
                   meta: dict) -> tuple[pd.DataFrame, list]:
    """One compact row per customer: id, a (1 = «Снизилась»), r (place by risk, 1 = highest),
    b (the base value of the customer's own model, display units), s0, v0, s1, v1, ... for `features` (SHAP in display units, value; a category as its
    code). Returns the frame and, per feature, its categories (None for numbers)."""
    factor = shap_units(meta)[0]
    values = shap_values.set_index("id")
    table = model_table.set_index("id").loc[values.index]
    frame = {"id": values.index.to_numpy(), "a": (table[TARGET] == POSITIVE_CLASS).astype(int).to_numpy(),
             "r": risk_places(shap_values).to_numpy(), "b": _round_significant(values["base_value"] * factor, 6)}
    categories = []
    for index, feature in enumerate(features):
        frame[f"s{index}"] = _round_significant(values[feature] * factor)
        if feature in CATEGORICAL_FEATURES:
            known = sorted(table[feature].unique())
            categories.append(known)
            frame[f"v{index}"] = table[feature].map({label: code for code, label in enumerate(known)}).to_numpy()
        else:
            categories.append(None)
            column = table[feature]
            frame[f"v{index}"] = column.to_numpy() if column.dtype.kind in "iu" else _round_significant(column, 6)
    return pd.DataFrame(frame), categories


def direction_lines(rows: pd.DataFrame, width: int = 70) -> list[str]:
    """Title lines stating which way the features in `rows` push the risk, e.g.
    ["Чем меньше, тем выше риск: «Страниц за визит»,", "«Минут на сайте, ...»"]."""
    lines = []
    for direction, lead in ((-1, "Чем меньше, тем выше риск: "), (1, "Чем больше, тем выше риск: ")):
        labels = [f"«{label}»" for label in rows.loc[rows["direction"] == direction, "label"]]
        if not labels:
            continue
        line = lead
        for position, label in enumerate(labels):
            piece = label + ("," if position < len(labels) - 1 else "")
            if len(line) + len(piece) > width and line != lead:
                lines.append(line.rstrip())
                line = ""
            line += piece + " "
        lines.append(line.rstrip())
    return lines


def _js(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _value_text_expr(categories: list, index_expr: str, value_expr: str) -> str:
    """Vega expression: a feature value as text (category name, or the number, Russian locale)."""
    return (f"isArray({_js(categories)}[{index_expr}]) ? {_js(categories)}[{index_expr}][{value_expr}] "
            f": format({value_expr}, ',.2~f')")


def importance_bars(importance: pd.DataFrame, meta: dict) -> alt.LayerChart:
    """Mean |SHAP| per feature, strongest first; colour = which way a larger value pushes."""
    factor, unit, _ = shap_units(meta)
    data = importance.assign(
        value=_round_significant(importance["mean_abs_shap"].where(importance["used"], 0) * factor),
        share_pct=importance["share"].round(4),
        legend=importance["direction"].map(DIRECTION_LEGEND))
    leaders = importance.head(3)["label"].tolist()
    title = alt.Title(
        ["Сильнее всего прогноз двигают", ", ".join(f"«{label}»" for label in leaders[:2]) + f" и «{leaders[2]}»"],
        subtitle=[f"Среднее |SHAP| по {number(meta['customers'])} покупателям — на сколько признак "
                  "в среднем сдвигает прогноз.",
                  f"Пять главных признаков дают {percent(importance.head(5)['share'].sum(), 0)} "
                  "суммарного влияния."],
        anchor="start")
    description = "Среднее |SHAP| по признакам: " + "; ".join(
        f"{row.rank}. {row.label} {number(row.mean_abs_shap * factor, 2)}{(' ' + unit) if unit else ''}, "
        f"{row.direction_text}" for row in importance.itertuples())
    color = alt.Color("legend:N", title="Направление", scale=alt.Scale(
        domain=list(DIRECTION_LEGEND.values()), range=[RISK_UP, RISK_DOWN, NEUTRAL]),
        legend=alt.Legend(orient="top", labelLimit=260))
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=320))
    tooltip = [alt.Tooltip("rank:Q", title=f"Место, {units.ORDINAL}"), alt.Tooltip("label:N", title="Признак"),
               alt.Tooltip("value:Q", title=f"Среднее |SHAP|{_unit_suffix(meta)}", format=",.3~r"),
               alt.Tooltip("share_pct:Q", title="Доля влияния", format=".1%"),
               alt.Tooltip("direction_text:N", title="Как влияет")]
    # A quarter of the axis beyond the longest bar keeps its printed value inside the chart on a phone.
    x_scale = alt.Scale(domain=[0, float(data["value"].max()) * 1.25], nice=False)
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("value:Q", title=f"Среднее |SHAP|{_unit_suffix(meta)}", scale=x_scale), color=color,
        tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=4, fontSize=11).encode(
        y=y, x="value:Q", text=alt.Text("value:Q", format=",.3~r"))
    return alt.layer(bars, labels, title=title, description=description).properties(
        width="container", height=22 * len(data), autosize=FIT_WIDTH)


def beeswarm(shap_values: pd.DataFrame, model_table: pd.DataFrame, importance: pd.DataFrame,
             meta: dict) -> alt.Chart:
    """One point per customer and feature: SHAP on x, features by importance, colour = the
    customer's value of the feature as a rank within that feature (blue low, orange high).

    Points pile up like shap's beeswarm: within each SHAP bin, alternately above and below
    the feature's line, scaled per feature. Features the model does not use are left out
    (named in the subtitle).
    """
    used = _used(importance)
    features = used["feature"].tolist()
    frame, categories = customer_frame(shap_values, model_table, features, meta)
    measure = shap_units(meta)[2]
    labels = used["label"].tolist()
    title = alt.Title(
        direction_lines(used.head(4)),
        subtitle=[f"Точка — покупатель; правее нуля — признак толкает прогноз к «{POSITIVE_CLASS}» ({measure}).",
                  "Цвет — значение признака среди всех покупателей: синий — низкое, оранжевый — высокое; "
                  "серый — категория."]
        + ([f"Модель не использует: {', '.join(meta.get('unused_features', []))}."]
           if meta.get("unused_features") else []),
        anchor="start")
    description = (f"SHAP-значения {number(len(frame))} покупателей по каждому признаку; "
                   "признаки по убыванию среднего |SHAP|: " + ", ".join(f"«{label}»" for label in labels) + ". "
                   + " ".join(direction_lines(used.head(4), width=10_000)))
    fold = [f"s{index}" for index in range(len(features))]
    index = "toNumber(slice(datum.key, 1))"
    chart = alt.Chart(frame).transform_fold(
        fold, as_=["key", "shap"]
    ).transform_calculate(
        feature=f"{_js(labels)}[{index}]",
        value=f"datum['v' + slice(datum.key, 1)]",
        categorical=f"isArray({_js(categories)}[{index}])",
    ).transform_calculate(
        value_text=_value_text_expr(categories, index, "datum.value"),
        activity=f"datum.a ? {_js(POSITIVE_CLASS)} : {_js(NEGATIVE_CLASS)}",
    ).transform_window(
        value_rank="percent_rank()", groupby=["feature"], sort=[alt.SortField("value")]
    ).transform_calculate(
        color_rank="datum.categorical ? 0.5 : datum.value_rank"  # categories: grey, sorted mid-stack
    ).transform_bin(
        "shap_bin", "shap", bin=alt.Bin(maxbins=70)
    ).transform_window(
        stack="row_number()", groupby=["feature", "shap_bin"],
        sort=[alt.SortField("color_rank"), alt.SortField("id")]
    ).transform_joinaggregate(
        tallest="max(stack)", groupby=["feature"]
    ).transform_calculate(
        offset="(datum.stack % 2 ? -1 : 1) * floor(datum.stack / 2) / max(datum.tallest, 8)"
    ).mark_circle(size=10, opacity=0.75).encode(
        x=alt.X("shap:Q", title=f"SHAP{_unit_suffix(meta)} — вклад в прогноз «{POSITIVE_CLASS}»"),
        y=alt.Y("feature:N", title=None, sort=labels, axis=alt.Axis(labelLimit=320, grid=True)),
        yOffset=alt.YOffset("offset:Q", scale=alt.Scale(domain=[-0.6, 0.6])),
        color=alt.condition("datum.categorical", alt.value(NEUTRAL), alt.Color(
            "color_rank:Q", title="Значение признака (от низкого к высокому)",
            scale=alt.Scale(scheme=palette.ORDER_SCHEME, domain=[0, 1]),
            legend=alt.Legend(orient="top", values=[0, 1], gradientLength=160,
                              labelExpr="datum.value == 0 ? 'низкое' : 'высокое'"))),
        tooltip=[alt.Tooltip("id:N", title="id"), alt.Tooltip("feature:N", title="Признак"),
                 alt.Tooltip("value_text:N", title="Значение"),
                 alt.Tooltip("shap:Q", title=f"SHAP{_unit_suffix(meta)}", format="+,.3~f"),
                 alt.Tooltip("activity:N", title="Активность")],
    ).properties(width="container", height=34 * len(features))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=palette.INK, strokeDash=[3, 3]).encode(x="x:Q")
    return alt.layer(chart, zero, title=title, description=description).properties(
        autosize=FIT_WIDTH, usermeta=DRAW_ON_CANVAS)


def dependence_plots(shap_values: pd.DataFrame, model_table: pd.DataFrame, importance: pd.DataFrame,
                     meta: dict, count: int = 4) -> alt.ConcatChart:
    """SHAP against the feature's value for the `count` strongest features, coloured by the
    customer's actual class, with a LOESS trend for numbers."""
    used = _used(importance)
    top = used.head(count)
    # The same rows as the beeswarm and the explorer (all used features), so the page holds one copy.
    frame, categories = customer_frame(shap_values, model_table, used["feature"].tolist(), meta)
    title = alt.Title(direction_lines(top) or ["Главные признаки"], subtitle=[
        "Точка — покупатель: значение признака и его вклад в прогноз; цвет — фактическая активность.",
        "Линия — сглаженный тренд (LOESS)."], anchor="start")
    description = "Зависимость SHAP от значения признака: " + "; ".join(
        f"{row.label} — {row.direction_text} (ранговая корреляция значения и вклада {number(row.correlation, 2)})"
        if pd.notna(row.correlation) else f"{row.label} — {row.direction_text}" for row in top.itertuples())
    color = alt.Color("activity:N", title="Покупательская активность", scale=alt.Scale(
        domain=list(ACTIVITY_COLORS), range=list(ACTIVITY_COLORS.values())), legend=alt.Legend(orient="top"))
    panels = []
    for index, row in enumerate(top.itertuples()):
        shap_field, value_field = f"s{index}", f"v{index}"
        base = alt.Chart().transform_calculate(
            activity=f"datum.a ? {_js(POSITIVE_CLASS)} : {_js(NEGATIVE_CLASS)}",
            value_text=_value_text_expr(categories, str(index), f"datum.{value_field}"),
        )
        tooltip = [alt.Tooltip("id:N", title="id"), alt.Tooltip("value_text:N", title=row.label),
                   alt.Tooltip(f"{shap_field}:Q", title=f"SHAP{_unit_suffix(meta)}", format="+,.3~f"),
                   alt.Tooltip("activity:N", title="Активность")]
        y = alt.Y(f"{shap_field}:Q", title=f"SHAP{_unit_suffix(meta)}")
        if categories[index] is not None:
            points = base.transform_calculate(jitter="(datum.id * 7919 % 1000) / 1000").mark_circle(
                size=12, opacity=0.6).encode(
                x=alt.X("value_text:N", title=row.label, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
                xOffset=alt.XOffset("jitter:Q"), y=y, color=color, tooltip=tooltip)
            layers = [points]
        else:
            whole = bool((model_table[row.feature] % 1 == 0).all())
            x = alt.X(f"{value_field}:Q", title=units.with_unit(row.feature, row.label), scale=alt.Scale(zero=False),
                      axis=alt.Axis(tickMinStep=1) if whole else alt.Axis())
            points = base.mark_circle(size=12, opacity=0.55).encode(x=x, y=y, color=color, tooltip=tooltip)
            trend = base.transform_loess(value_field, shap_field, bandwidth=0.4).mark_line(
                color=palette.INK, strokeWidth=2).encode(x=x, y=y)
            layers = [points, trend]
        zero = alt.Chart().mark_rule(color=palette.INK, strokeDash=[3, 3]).encode(y=alt.datum(0))
        panels.append(alt.layer(*layers, zero).properties(
            width=300, height=220, title=alt.Title(f"{row.rank}. {row.label}", fontSize=12, anchor="start")))
    return alt.concat(*panels, columns=2, data=frame, title=title, description=description,
                      usermeta=DRAW_ON_CANVAS)


def _waterfall_layers(value_format: str, unit: str, axis_title: str, legend_orient: str = "top") -> list:
    """Bars from start to end (sorted by `order`), SHAP labels, dashed base and solid output lines."""
    y = alt.Y("step_label:N", title=None, sort=alt.EncodingSortField("order", op="min"),
              axis=alt.Axis(labelLimit=360))
    # SHAP in percentage points means the output is a probability shown in percent.
    output_unit = ", %" if unit == units.PERCENTAGE_POINTS else ""
    tooltip = [alt.Tooltip("step_label:N", title="Признак"),
               alt.Tooltip("shap:Q", title=f"SHAP{(', ' + unit) if unit else ''}", format=value_format),
               alt.Tooltip("start:Q", title=f"Прогноз до{output_unit}", format=",.3~f"),
               alt.Tooltip("end:Q", title=f"Прогноз после{output_unit}", format=",.3~f")]
    bars = alt.Chart().mark_bar(height={"band": 0.7}).encode(
        y=y, x=alt.X("start:Q", title=axis_title, scale=alt.Scale(zero=False)), x2="end:Q",
        color=alt.Color("push:N", title=None, scale=alt.Scale(
            domain=[f"к «{POSITIVE_CLASS}»", f"от «{POSITIVE_CLASS}»"], range=[RISK_UP, RISK_DOWN]),
            legend=alt.Legend(orient=legend_orient)),
        tooltip=tooltip)
    text = alt.Chart().mark_text(align="left", dx=3, fontSize=10).encode(
        y=y, x=alt.X("right:Q"), text=alt.Text("shap:Q", format=value_format))
    base_rule = alt.Chart().mark_rule(strokeDash=[4, 3], color=palette.CONTEXT).encode(x="base_value:Q")
    output_rule = alt.Chart().mark_rule(color=palette.INK, strokeWidth=1.5).encode(x="model_output:Q")
    return [bars, text, base_rule, output_rule]


def _display_steps(steps: pd.DataFrame, meta: dict) -> pd.DataFrame:
    factor = shap_units(meta)[0]
    shown = steps.copy()
    for column in ("shap", "start", "end", "base_value", "model_output"):
        shown[column] = _round_significant(shown[column] * factor, 5)
    shown["right"] = shown[["start", "end"]].max(axis=1)
    shown["push"] = np.where(shown["shap"] > 0, f"к «{POSITIVE_CLASS}»", f"от «{POSITIVE_CLASS}»")
    return shown


def probability_text(value: float, meta: dict) -> str:
    """A model output as the reader wants it: a probability ('97 %') where the space allows."""
    probability = float(probability_from_output(value, meta["output_space"]))
    return percent(probability, 0) if np.isfinite(probability) else number(value, 2)


# The plot width of each static waterfall: with the longest step label («Популярная категория =
# Мелкая бытовая техника и электроника», ~300 px) it fits the 778 px text column at 1280 px.
WATERFALL_PANEL_PX = 430


def representative_waterfalls(steps: pd.DataFrame, meta: dict) -> alt.VConcatChart:
    """Static waterfalls of the example customers (explain.waterfall_steps), one panel each:
    from the base value (dashed) through the largest contributions to the prediction (solid)."""
    factor, unit, measure = shap_units(meta)
    shown = _display_steps(steps, meta)
    roles = steps.drop_duplicates("role")
    headers = {row.role: f"{row.role_label}: id {row.id}, прогноз {probability_text(row.model_output, meta)}"
               for row in roles.itertuples()}
    first = roles.iloc[0]
    leading = steps.loc[steps["role"] == first["role"]].iloc[0]
    title = alt.Title(
        [f"Самый рискованный покупатель (id {first['id']}): прогноз {probability_text(first['model_output'], meta)},",
         f"больше всего его прогноз {'поднимает' if leading['shap'] > 0 else 'снижает'} «{leading['step_label']}»"],
        subtitle=[f"Пунктир — базовое значение ({probability_text(meta['base_value'], meta)}, средний покупатель), "
                  "сплошная — прогноз для покупателя;",
                  f"столбцы — вклады признаков ({measure}), крупнейшие сверху."], anchor="start")
    description = "Разложение прогноза трёх покупателей: " + "; ".join(
        f"{headers[role]} — " + ", ".join(f"{row.step_label}: {number(row.shap * factor, 1)}"
                                          for row in group.head(3).itertuples())
        for role, group in steps.groupby("role", sort=False))
    value_format = "+,.1f" if unit else "+,.2f"
    panels = [alt.layer(*_waterfall_layers(value_format, unit, output_axis_title(meta))).transform_filter(
        alt.datum.role == role).properties(
        width=WATERFALL_PANEL_PX, height=alt.Step(20),
        title=alt.Title(header, anchor="start", fontSize=12, fontWeight="bold")) for role, header in headers.items()]
    return alt.vconcat(*panels, data=shown, title=title, description=description, spacing=24).resolve_scale(
        color="shared").resolve_legend(color="shared")


def waterfall_explorer(shap_values: pd.DataFrame, model_table: pd.DataFrame, importance: pd.DataFrame,
                       meta: dict, start_place: int = 1) -> alt.LayerChart:
    """Any customer's waterfall, chosen by the Vega signal `risk_place` (RISK_PLACE_SIGNAL:
    1 = the highest risk, see risk_places). The chart has no controls of its own: the
    customer picker (customer_picker.picker_html) sets the signal from its slider and id
    box, and only ever to a place that exists, so the filter always keeps exactly one
    customer and the axis never loses its extent."""
    used = _used(importance)
    features = used["feature"].tolist()
    frame, categories = customer_frame(shap_values, model_table, features, meta)
    factor, unit, measure = shap_units(meta)
    labels = used["label"].tolist()
    count = len(frame)
    if not 1 <= start_place <= count:
        raise ValueError(f"start_place {start_place} is not a place between 1 and {count}")
    rest = len(FEATURE_COLUMNS) - WATERFALL_FEATURES
    base = "datum.b"  # each customer's own model's base value (cross-fitted models differ slightly)
    total = " + ".join(f"datum.s{index}" for index in range(len(features)))
    if meta["output_space"] == "probability":
        probability = f"(({base} + ({total})) / {factor})"
    elif meta["output_space"] == "log-odds":
        probability = f"1 / (1 + exp(-({base} + ({total}))))"
    else:
        probability = "NaN"
    rank = alt.param(name=RISK_PLACE_SIGNAL, value=int(start_place))
    chosen = f"datum.r == {RISK_PLACE_SIGNAL}"
    index = "toNumber(slice(datum.key, 1))"
    value_format = "+,.1f" if unit else "+,.2f"
    layers = _waterfall_layers(value_format, unit, output_axis_title(meta), legend_orient="bottom")
    waterfall = alt.layer(*layers, data=frame).transform_filter(chosen).transform_fold(
        [f"s{i}" for i in range(len(features))], as_=["key", "shap"]
    ).transform_calculate(
        feature=f"{_js(labels)}[{index}]",
        value_text=_value_text_expr(categories, index, "datum['v' + slice(datum.key, 1)]"),
        magnitude="abs(datum.shap)",
    ).transform_window(
        place="row_number()", sort=[alt.SortField("magnitude", order="descending"), alt.SortField("key")]
    ).transform_calculate(
        step_label=f"datum.place <= {WATERFALL_FEATURES} ? datum.feature + ' = ' + datum.value_text "
                   f": 'Остальные признаки ({rest})'",
        order=f"min(datum.place, {WATERFALL_FEATURES + 1})",
    ).transform_aggregate(
        shap="sum(shap)", groupby=["step_label", "order", "b"]
    ).transform_window(
        cumulative="sum(shap)", sort=[alt.SortField("order")], frame=[None, 0]
    ).transform_joinaggregate(
        total="sum(shap)"
    ).transform_calculate(
        end=f"{base} + datum.cumulative", start=f"{base} + datum.cumulative - datum.shap",
        right="max(datum.start, datum.end)", base_value=base, model_output=f"{base} + datum.total",
        push=f"datum.shap > 0 ? {_js('к «' + POSITIVE_CLASS + '»')} : {_js('от «' + POSITIVE_CLASS + '»')}",
    )
    caption = alt.Chart(frame).transform_filter(chosen).transform_calculate(
        probability=probability,
        activity=f"datum.a ? {_js(POSITIVE_CLASS)} : {_js(NEGATIVE_CLASS)}",
    ).transform_calculate(
        text=(f"'id ' + datum.id + ' · прогноз «{POSITIVE_CLASS}»: ' + "
              "(isFinite(datum.probability) ? format(datum.probability, '.0%') : '—') + "
              f"'\\nместо по риску ' + datum.r + ' из {number(count)}\\nна самом деле: ' + datum.activity")
    ).mark_text(  # above the plot; on a narrow plot (a phone) ending at its right edge, over the labels
        align=alt.ExprRef(f"width < {NARROW_PLOT_PX} ? 'right' : 'left'"),
        x=alt.ExprRef(f"width < {NARROW_PLOT_PX} ? width : 0"),
        baseline="bottom", y=-43, lineBreak="\n", lineHeight=17, fontSize=13, fontWeight="bold").encode(
        text="text:N")
    title = alt.Title(
        "Почему этот покупатель в зоне риска: выберите любого",
        subtitle=["Ползунок под графиком — покупатели от самого высокого риска к самому низкому; поле — поиск по id.",
                  f"Пунктир — базовое значение, сплошная — прогноз; столбцы — вклады признаков ({measure})."],
        anchor="start", offset=74)
    description = (f"Разложение прогноза любого из {number(count)} покупателей по признакам; "
                   "покупатель выбирается ползунком по месту в рейтинге риска или вводом id")
    return alt.layer(waterfall, caption, title=title, description=description).add_params(rank).properties(
        width="container", height=22 * (WATERFALL_FEATURES + 1), autosize=FIT_WIDTH)
