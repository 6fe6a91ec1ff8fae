"""The customer picker on «Почему»: a slider and an id box that choose whose waterfall
the explorer chart (explain_charts.waterfall_explorer) shows.

The chart holds one Vega signal, the chosen customer's place by risk; the picker's script
(assets/widgets/customer-picker.js) sets it only to a place that exists. An id that is not
(yet) a customer's — each prefix while an id is typed, an unknown id, an excluded
customer — leaves the chart as it was and says so under the box. `04-drivers.html#customer=ID`
opens the page with that customer chosen (the lookup's rows link there).
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from .charts import offline_chart_html
from .exclusion_texts import exclusion_reasons
from .explain_charts import RISK_PLACE_SIGNAL, risk_places
from .formatting import number
from .html_block import json_script, widget_asset


def picker_messages(customers: int) -> dict[str, str]:
    """What the picker says about a typed id that it cannot show; the script fills {id}
    and {reason}. A shown customer needs no sentence: the chart's caption names them."""
    return {
        "not_found": f"id «{{id}}» не найден среди {number(customers)} покупателей модели — "
                     "на графике прежний покупатель.",
        "excluded": "id {id} не найден: покупатель исключён из модели: {reason}. На графике прежний покупатель.",
    }


def ids_by_place(shap_values: pd.DataFrame) -> list[int]:
    """Customer ids ordered by place by risk: element k is the customer at place k + 1
    (the explorer's numbering, explain_charts.risk_places)."""
    places = risk_places(shap_values)
    return shap_values["id"].astype(int).to_numpy()[places.to_numpy().argsort()].tolist()


def picker_html(explorer: alt.TopLevelMixin, shap_values: pd.DataFrame, exclusions: pd.DataFrame,
                start_place: int = 1, element_id: str = "customer-picker") -> str:
    """The explorer chart (explain_charts.waterfall_explorer of the same `shap_values`,
    written as every chart on the page is, charts.offline_chart_html) with the slider,
    the id box and the status line under it, the ids by place, the script and its stylesheet,
    as one HTML string. Nothing in it loads from the network."""
    ids = ids_by_place(shap_values)
    if not 1 <= start_place <= len(ids):
        raise ValueError(f"start_place {start_place} is not a place between 1 and {len(ids)}")
    config = {"signal": RISK_PLACE_SIGNAL, "ids": ids, "excluded": exclusion_reasons(exclusions),
              "messages": picker_messages(len(ids))}
    return (
        f'<style>{widget_asset("customer-picker.css")}</style>\n'
        f'<div class="customer-picker" id="{html.escape(element_id, quote=True)}">\n'
        f'{offline_chart_html(explorer.to_dict())}\n'
        '<div class="picker-controls">'
        f'<label>Место по риску (1 — самый высокий): <input type="range" min="1" max="{len(ids)}" step="1" '
        f'value="{start_place}"> <output class="picker-place">{start_place}</output></label>'
        '<label>или id покупателя: <input type="search" inputmode="numeric" autocomplete="off" '
        'placeholder="например, 215412"></label></div>\n'
        '<p class="picker-status" role="status" aria-live="polite"></p>\n'
        f'{json_script(config, "picker-config")}\n</div>\n'
        f'<script>{widget_asset("customer-picker.js")}</script>'
    )
