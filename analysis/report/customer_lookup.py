"""The «Поиск покупателя» page: every modelled customer in one interactive table.

The table is DataTables as packaged by itables (pinned in requirements.txt): itables turns
the rows and options into the arguments of its `ITable` JavaScript class, and its
DataTables bundle is served by the site itself (publish.write_datatables_bundle), so the
page works offline, from file:// as well as over HTTP. assets/widgets/customer-lookup.js
adds what a table library cannot know: the id box and the segment filter (every segment
the site names, the promo hunters included), and a sentence when nobody is shown —
an excluded customer with the reason from exclusions.csv, an id that does not exist, or
an id that is in another segment.

Each row's id links to that customer's explanation on «Почему» (`04-drivers.html#customer=ID`,
which opens the customer picker on that customer). The offer comes right after the risk,
so on a phone (390 px) it is on screen without scrolling the table sideways.
"""

from __future__ import annotations

import html
import json

import pandas as pd
from itables.javascript import get_expanded_classes, get_expanded_style, get_itable_arguments

from .units import MONEY as MONEY_UNIT
from .exclusion_texts import exclusion_reasons
from .formatting import number, percent
from .html_block import json_script, widget_asset
from .publish import DATATABLES_BUNDLE, DATATABLES_GLOBAL, site_path
from ..decide.segments import BEHAVIOURAL_SEGMENT

DRIVERS_PAGE = "04-drivers.html"
# The displayed columns, in order; the offer right after the risk (see the module docstring).
SHOWN_COLUMNS = {"id_link": "id → почему", "risk_text": "Риск снижения, %", "offer": "Предложение",
                 "segment_label": "Сегмент", "profit_text": f"Прибыль в месяц, {MONEY_UNIT}",
                 "at_risk_text": f"Под риском за {{horizon}} мес., {MONEY_UNIT}",
                 "top_drivers": "Главные причины (+ повышает риск)"}
# Hidden columns the script and the sorting use: exact values behind the formatted ones.
HIDDEN_COLUMNS = ("id", "probability_drop", "profit", "expected_profit_at_risk", "segment", "promo_hunter")
SORTED_BY = {"id_link": "id", "risk_text": "probability_drop", "profit_text": "profit",
             "at_risk_text": "expected_profit_at_risk"}
PAGE_LENGTHS = [10, 25, 100, {"label": "все", "value": -1}]
# The parts of itables' arguments that concern loading from a CDN or notebook warnings,
# not the table: the site loads the bundle itself.
_NOT_FOR_THE_TABLE = ("connected", "dt_url", "dt_bundle", "display_logo_when_loading",
                      "warn_on_undocumented_option", "warn_on_unexpected_option_type")


def lookup_messages(customers: int) -> dict[str, str]:
    """What the page says when no row is shown; {id}, {reason}, {segment}, {elsewhere} are
    filled in by the page's script."""
    total = number(customers)
    return {
        "excluded": "id {id} исключён из модели: {reason}.",
        "unknown": f"такого id нет: ни один из {total} id покупателей модели не содержит «{{id}}», "
                   "и среди исключённых его нет.",
        "not_digits": "id покупателя состоит только из цифр, а введено «{id}».",
        "other_segment": "В сегменте «{segment}» нет id, содержащих «{id}»; в других сегментах "
                         "таких {elsewhere} — выберите «все сегменты».",
        "empty_segment": "В сегменте «{segment}» нет ни одного покупателя.",
    }


def lookup_rows(customers: pd.DataFrame, drivers_page: str = DRIVERS_PAGE) -> pd.DataFrame:
    """One row per customer, highest risk first (ties by id): SHOWN_COLUMNS as the reader
    sees them (Russian number formats, the id as a link to its explanation, every text
    HTML-escaped), then HIDDEN_COLUMNS with the exact values."""
    ordered = customers.sort_values(["probability_drop", "id"], ascending=[False, True]).reset_index(drop=True)
    ids = ordered["id"].astype(int)
    rows = pd.DataFrame({
        "id_link": [f'<a href="{html.escape(drivers_page, quote=True)}#customer={i}">{i}</a>' for i in ids],
        "risk_text": ordered["probability_drop"].map(percent),
        "offer": ordered["offer"].astype(str).map(html.escape),
        "segment_label": ordered["segment_label"].astype(str).map(html.escape),
        "profit_text": ordered["profit"].map(lambda value: number(value, 2)),
        "at_risk_text": ordered["expected_profit_at_risk"].map(lambda value: number(value, 2)),
        "top_drivers": ordered["top_drivers"].astype(str).map(html.escape),
    })
    for column in HIDDEN_COLUMNS:
        rows[column] = ordered[column]
    rows["id"] = ids
    rows["promo_hunter"] = ordered["promo_hunter"].astype(bool).astype(int)
    return rows


def segment_choices(segment_summary: pd.DataFrame) -> list[dict]:
    """Every segment the site names (segment_summary.csv: the four risk × profit segments
    and the promo hunters), as {key, label, hunters} for the filter; `hunters` marks the
    behavioural segment, which cuts across the others."""
    return [{"key": row.segment, "label": row.label, "hunters": row.segment == BEHAVIOURAL_SEGMENT}
            for row in segment_summary.itertuples(index=False)]


def table_arguments(rows: pd.DataFrame, horizon_months: int) -> dict:
    """itables' arguments for `rows` (lookup_rows): headers, data, sorting by the exact
    values, hidden helper columns, Russian wording, layout without DataTables' own search."""
    names = list(rows.columns)
    headers = {key: label.format(horizon=horizon_months) for key, label in SHOWN_COLUMNS.items()}
    shown = rows.rename(columns=headers)
    hidden = [names.index(column) for column in HIDDEN_COLUMNS]
    column_defs = [{"targets": hidden, "visible": False, "searchable": False},
                   {"targets": [names.index(c) for c in ("risk_text", "profit_text", "at_risk_text")],
                    "className": "dt-right"},
                   {"targets": [names.index("offer")], "className": "lookup-offer"},
                   {"targets": [names.index("id_link")], "className": "lookup-link"},
                   {"targets": [names.index("top_drivers")], "className": "lookup-drivers"}]
    column_defs += [{"targets": [names.index(shown_column)], "orderData": [names.index(value_column)]}
                    for shown_column, value_column in SORTED_BY.items()]
    arguments = get_itable_arguments(
        shown, None, allow_html=True, showIndex=False, classes="display compact",
        style="table-layout:auto;width:100%;margin:0",
        columnDefs=column_defs, order=[[names.index("risk_text"), "desc"]],
        pageLength=25, lengthMenu=PAGE_LENGTHS, autoWidth=False, scrollX=True,
        layout={"topStart": "pageLength", "topEnd": None, "bottomStart": "info", "bottomEnd": "paging"},
        language={"info": "Показаны _START_–_END_ из _TOTAL_", "infoEmpty": "Никого не показано",
                  "infoFiltered": "(отобраны из _MAX_)", "lengthMenu": "Строк на странице: _MENU_",
                  "zeroRecords": "Никого не нашлось — причина над таблицей", "emptyTable": "Нет покупателей",
                  "thousands": "\u00a0", "decimal": ","},
        # Every customer, always: itables would otherwise drop rows beyond 64 KB.
        maxBytes=0, maxRows=0, maxColumns=0,
        format_floats_in_python=False, text_in_header_can_be_selected=False,
        warn_on_unexpected_option_type=False, warn_on_undocumented_option=False)
    for key in _NOT_FOR_THE_TABLE:
        arguments.pop(key, None)
    # As itables' own HTML template does: the ITable class takes these as a list and a mapping.
    arguments["classes"] = list(get_expanded_classes(arguments["classes"]))
    arguments["style"] = dict(get_expanded_style(arguments["style"]))
    return dict(arguments)


def lookup_html(customers: pd.DataFrame, segment_summary: pd.DataFrame, exclusions: pd.DataFrame,
                horizon_months: int, element_id: str = "customer-lookup",
                drivers_page: str = DRIVERS_PAGE) -> str:
    """The whole lookup as one HTML string: the id box and segment filter, the status line,
    a box in which the page's script builds the interactive table, the data, the script
    and its stylesheet. Nothing in it loads from the network. (No <table> element: Quarto
    would turn a raw HTML table into a pandoc table of its own.)"""
    rows = lookup_rows(customers, drivers_page)
    arguments = table_arguments(rows, horizon_months)
    # The rows go in a script of their own as plain JSON (itables writes them \u-escaped, as
    # a string): a third of the size for Cyrillic text. The page's script hands them back.
    data = json.loads(arguments.pop("data_json"))
    config = {"table": arguments,
              "columns": {name: index for index, name in enumerate(rows.columns)},
              "segments": segment_choices(segment_summary),
              "excluded": exclusion_reasons(exclusions),
              "messages": lookup_messages(len(rows)),
              "bundle": {"script": site_path(DATATABLES_BUNDLE), "css": site_path(DATATABLES_BUNDLE.with_suffix(".css")),
                         "global": DATATABLES_GLOBAL}}
    options = "".join(f'<option value="{html.escape(choice["key"], quote=True)}">'
                      f'{html.escape(choice["label"])}</option>' for choice in config["segments"])
    return (
        f'<style>{widget_asset("customer-lookup.css")}</style>\n'
        f'<div class="customer-lookup" id="{html.escape(element_id, quote=True)}">\n'
        '<div class="lookup-controls">'
        '<label>id покупателя: <input class="lookup-id" type="search" inputmode="numeric" '
        'autocomplete="off" placeholder="например, 215349"></label>'
        f'<label>Сегмент: <select class="lookup-segment"><option value="">все сегменты</option>{options}</select></label></div>\n'
        '<p class="lookup-status" role="status" aria-live="polite"></p>\n'
        '<div class="lookup-table-box"></div>\n'
        f'{json_script(config, "lookup-config")}\n{json_script(data, "lookup-data")}\n</div>\n'
        f'<script>{widget_asset("customer-lookup.js")}</script>'
    )
