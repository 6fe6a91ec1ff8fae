"""Units on the data, correlation, model, drivers, home, segments and planner pages: every numeric axis, legend and tooltip of their charts,
and every numeric table column's header, says what the number counts or measures.

A title counts as carrying a unit when it names one (у. е. выгрузки, мин, шт., покупателей,
строк, байт, ...) or states the measure's range («φK (от 0 до 1)»), or when the number is
formatted as a percentage. Other pages join the list as their owners add units.
"""

from __future__ import annotations

import re

import pytest

from analysis.report import units
from test_chart_specs import charts_of
from test_pages import DESKTOP, open_page

UNIT_PAGES = ("chapters/01-data.html", "chapters/02-correlation.html", "chapters/03-model.html",
              "chapters/04-drivers.html", "index.html", "chapters/05-segments.html", "chapters/planner.html")
# The pages above with numeric great-tables columns (the home page has no gt table, the
# planner's one table holds the assumptions as words).
UNIT_TABLE_PAGES = tuple(page for page in UNIT_PAGES if page not in ("index.html", "chapters/planner.html"))
UNIT_WORDS = (units.MONEY, units.MINUTES, units.DAYS, units.PERCENTAGE_POINTS, units.ORDINAL, "шт.", "покупател",
              "строк", "столбц", "байт", "(от ", "раз", "id", "ROC-AUC", "VIF", "%", "п. п.")
POSITIONAL = ("x", "y", "color", "size", "theta")


def has_unit(title: str | None, number_format: str | None = None) -> bool:
    text = " ".join(title) if isinstance(title, list) else (title or "")
    return "%" in (number_format or "") or any(word.lower() in text.lower() for word in UNIT_WORDS)


def quantitative_fields(node, found: list[tuple[str, dict, list]], tooltips: list | None = None) -> None:
    """(channel, field definition, sibling tooltips) for every quantitative encoding in a spec."""
    if isinstance(node, dict):
        encoding = node.get("encoding")
        if isinstance(encoding, dict):
            tooltip = encoding.get("tooltip") or []
            tooltip = tooltip if isinstance(tooltip, list) else [tooltip]
            for channel, definition in encoding.items():
                for item in (definition if isinstance(definition, list) else [definition]):
                    if isinstance(item, dict) and item.get("type") == "quantitative":
                        found.append((channel, item, tooltip))
        for value in node.values():
            quantitative_fields(value, found)
    elif isinstance(node, list):
        for value in node:
            quantitative_fields(value, found)


def chart_unit_problems(spec: dict) -> list[str]:
    fields: list[tuple[str, dict, list]] = []
    quantitative_fields(spec, fields)
    titled = {channel for channel, item, _ in fields if item.get("title")}
    facet = spec.get("facet", {}).get("column", {}) if isinstance(spec.get("facet"), dict) else {}
    problems = []
    for channel, item, tooltip in fields:
        axis = item.get("axis") if isinstance(item.get("axis"), dict) else {}
        number_format = item.get("format") or axis.get("format")
        if channel in POSITIONAL:
            # An untitled channel shares its scale with a titled layer, or a facet header names the unit.
            if item.get("title") is None and (channel in titled or facet):
                continue
            if not has_unit(item.get("title"), number_format):
                problems.append(f"{channel} axis/legend «{item.get('title')}» ({item.get('field')})")
        elif channel == "tooltip":
            declared = any(t.get("title") == "Показатель" for t in tooltip if isinstance(t, dict))
            if not declared and not has_unit(item.get("title"), number_format):
                problems.append(f"tooltip «{item.get('title')}» ({item.get('field')})")
    return sorted(set(problems))


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_every_numeric_axis_legend_and_tooltip_has_a_unit(rendered_site, name):
    charts = [chart for chart in charts_of(rendered_site) if chart.page == name]
    assert charts
    problems = {chart.target: chart_unit_problems(chart.spec) for chart in charts}
    assert {target: found for target, found in problems.items() if found} == {}


def test_the_unit_check_flags_a_bare_number_and_accepts_units():
    spec = {"layer": [{"encoding": {
        "x": {"field": "revenue", "type": "quantitative", "title": "Выручка"},
        "y": {"field": "share", "type": "quantitative", "title": "Доля", "axis": {"format": ".0%"}},
        "tooltip": [{"field": "minutes", "type": "quantitative", "title": f"Минут, {units.MINUTES}"},
                    {"field": "profit", "type": "quantitative", "title": "Прибыль"}]}}]}
    assert chart_unit_problems(spec) == ["tooltip «Прибыль» (profit)", "x axis/legend «Выручка» (revenue)"]


# Each gt table's numeric body columns with the header text above them (spanner included).
TABLE_COLUMNS = """() => [...document.querySelectorAll('main table.gt_table')].map(table => {
    const leaves = [...table.querySelectorAll('thead th.gt_col_heading')];
    const spanners = [...table.querySelectorAll('thead .gt_column_spanner')].map(s => s.textContent.trim()).join(' ');
    const rows = [...table.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));
    const width = rows.length ? rows[0].length : 0;
    const headers = leaves.slice(leaves.length - width).map(th => th.textContent.trim());
    const title = (table.querySelector('.gt_title') || {textContent: ''}).textContent.trim();
    return {title, spanners, columns: headers.map((header, i) => ({header, cells: rows.map(r => r[i] || '')}))};
})"""
NUMBER = re.compile(r"^[−+-]?\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?(?:\s*\([−+-]?\d[\d\s\u00a0,.]*\))?$")


@pytest.mark.parametrize("name", UNIT_TABLE_PAGES)
def test_every_numeric_table_column_header_has_a_unit(rendered_site, offline_page, name):
    offline_page.set_viewport_size(DESKTOP)
    open_page(offline_page, rendered_site, name)
    tables = offline_page.evaluate(TABLE_COLUMNS)
    assert tables
    numeric = [(table["title"], column["header"], table["spanners"]) for table in tables for column in table["columns"]
               if column["cells"] and all(NUMBER.match(cell) for cell in column["cells"])]
    assert numeric, f"{name}: no numeric table column found; the check would pass vacuously"
    missing = [(title, header) for title, header, spanners in numeric if not has_unit(f"{header} {spanners}")]
    assert missing == [], "\n".join(f"{title}: {header}" for title, header in missing)


def test_the_lookup_tables_numeric_headers_carry_units():
    from analysis.report.customer_lookup import SHOWN_COLUMNS

    numeric = ("risk_text", "profit_text", "at_risk_text")
    assert [SHOWN_COLUMNS[key] for key in numeric if not has_unit(SHOWN_COLUMNS[key])] == []
