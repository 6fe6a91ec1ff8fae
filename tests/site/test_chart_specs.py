"""Every chart the site ships, read from the rendered pages (no browser): a title that
states the finding, a text description for screen readers, colour-blind-safe colours,
data written once per page, and code folded under «Код»."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from analysis.report import palette

SPEC = re.compile(r'<script type="application/json" class="oneclick-chart-spec" data-target="([^"]+)"'
                  r' data-datasets="([^"]*)">(.*?)</script>', re.S)
DATA = re.compile(r'<script type="application/json" class="oneclick-chart-data" data-name="([^"]+)">(.*?)</script>',
                  re.S)
CONTAINER = re.compile(r'<div class="oneclick-chart" id="([^"]+)" role="img" aria-label="([^"]*)"></div>')
HEX_COLOUR = re.compile(r'^#(?:[0-9a-fA-F]{3}){1,2}$')
PAGE_BUDGET_BYTES = 2_000_000
VEGA_BUNDLE = Path("assets/vendor/vega-bundle.js")
# The DataTables bundle and its stylesheet, loaded by the customer lookup (customer_lookup.py).
DATATABLES_FILES = (Path("assets/vendor/datatables.js"), Path("assets/vendor/datatables.css"))


@dataclass
class Chart:
    page: str
    target: str
    spec: dict
    datasets: list[str]


def charts_of(site: Path) -> list[Chart]:
    charts = []
    for page in sorted(site.rglob("*.html")):
        for target, names, payload in SPEC.findall(page.read_text(encoding="utf-8")):
            charts.append(Chart(str(page.relative_to(site)), target, json.loads(payload.replace("<\\/", "</")),
                                names.split()))
    return charts


def title_text(title) -> str:
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else (title or "")


def colours_in(node, found: set[str], schemes: set[str]) -> None:
    """Every colour literal of a spec: mark colours, scale ranges, values, conditions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "resolve":  # {"scale": {"color": "shared"}} names no colour
                continue
            if key == "scheme":
                schemes.add(value if isinstance(value, str) else value["name"])
            elif isinstance(value, str) and HEX_COLOUR.match(value):
                found.add(value)
            elif key in ("color", "fill", "stroke") and isinstance(value, str):
                found.add(value)
            else:
                colours_in(value, found, schemes)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, str) and HEX_COLOUR.match(value):
                found.add(value)
            else:
                colours_in(value, found, schemes)


@pytest.fixture(scope="module")
def charts(rendered_site) -> list[Chart]:
    found = charts_of(rendered_site)
    assert len(found) >= 20, "expected the site's charts"
    return found


def test_every_chart_has_a_title_and_a_description_stating_the_finding(charts):
    for chart in charts:
        where = f"{chart.page} {chart.target}"
        assert title_text(chart.spec.get("title")).strip(), f"{where}: no top-level title"
        description = chart.spec.get("description", "")
        assert len(description) >= 40, f"{where}: description too short: {description!r}"
        # A finding computed from the data carries numbers; a title repeated is not a description.
        assert re.search(r"\d", description), f"{where}: description has no figures: {description!r}"
        assert description != title_text(chart.spec["title"]), where


def test_screen_readers_get_the_description_as_the_charts_label(rendered_site, charts):
    labels = {}
    for page in rendered_site.rglob("*.html"):
        labels.update({target: unescape(label)
                       for target, label in CONTAINER.findall(page.read_text(encoding="utf-8"))})
    for chart in charts:
        assert labels[chart.target] == chart.spec["description"], f"{chart.page} {chart.target}"


def test_charts_use_colour_blind_safe_colours(charts):
    allowed = palette.all_colours()
    for chart in charts:
        colours, schemes = set(), set()
        colours_in(chart.spec, colours, schemes)
        unsafe = {colour for colour in colours if colour.upper() not in allowed}
        assert unsafe == set(), f"{chart.page} {chart.target}: not in analysis/report/palette.py: {unsafe}"
        assert schemes <= set(palette.SCHEMES), f"{chart.page} {chart.target}: schemes {schemes}"


def test_each_dataset_is_written_once_per_page_and_every_chart_finds_its_data(rendered_site, charts):
    for page in sorted(rendered_site.rglob("*.html")):
        name = str(page.relative_to(rendered_site))
        written = [data_name for data_name, _ in DATA.findall(page.read_text(encoding="utf-8"))]
        assert len(written) == len(set(written)), f"{name}: a dataset written twice"
        used = {data_name for chart in charts if chart.page == name for data_name in chart.datasets}
        assert used == set(written), f"{name}: data used {sorted(used)}, written {sorted(written)}"
        assert all("datasets" not in chart.spec for chart in charts if chart.page == name)


def test_the_drivers_per_customer_charts_share_one_copy_of_the_customers(rendered_site, charts):
    drivers = [chart for chart in charts if chart.page == "chapters/04-drivers.html"]
    html = (rendered_site / "chapters/04-drivers.html").read_text(encoding="utf-8")
    sizes = {name: len(rows) for name, rows in DATA.findall(html)}
    per_customer = max(sizes, key=sizes.get)
    users = [chart for chart in drivers if per_customer in chart.datasets]
    assert len(users) == 3  # beeswarm, dependence plots, customer explorer
    rows = json.loads(dict(DATA.findall(html))[per_customer])
    assert len(rows) == len({row["id"] for row in rows}) > 1000


def test_every_page_stays_within_its_weight_budget(rendered_site):
    """HTML + the Vega bundle (loaded by any page with charts) + the DataTables bundle (loaded by
    the customer lookup) ≤ 2 MB (issue 8)."""
    bundle = (rendered_site / VEGA_BUNDLE).stat().st_size
    datatables = sum((rendered_site / path).stat().st_size for path in DATATABLES_FILES)
    for page in rendered_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # (The page header's script names the chart class too: count the bundle only for a real chart.)
        weight = (page.stat().st_size + (bundle if 'class="oneclick-chart-spec"' in html else 0)
                  + (datatables if 'class="lookup-config"' in html else 0))
        assert weight <= PAGE_BUDGET_BYTES, f"{page.name}: {weight / 1e6:.2f} MB"


def test_code_is_on_every_page_but_folded_under_kod(rendered_site):
    for page in sorted(rendered_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        # Quarto: <div class="sourceCode cell-code">; the fallback: <pre class="sourceCode python cell-code">.
        folds = len(re.findall(r'<details class="code-fold">\s*<summary>Код</summary>', html))
        code_blocks = len(re.findall(r'class="sourceCode (?:python )?cell-code"', html))
        assert folds >= 1, f"{page.name}: no folded code"
        assert code_blocks == folds, f"{page.name}: {code_blocks} code cells, {folds} folded"
        assert '<details class="code-fold" open>' not in html, page.name
