"""Altair charts of the «Связи признаков» chapter (02-correlation.qmd): the φK and Spearman heatmaps."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import palette
from .formatting import number
from .charts import FIT_WIDTH


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
