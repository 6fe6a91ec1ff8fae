"""The offline chart setup every page shares, and the encodings and sizes the chapters' chart
modules share (data_charts, correlation_charts, model_charts, explain_charts, segment_charts,
campaign_charts: one module per chapter, DataFrame in, Chart out).

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

from . import palette
from ..constants import NEGATIVE_CLASS, POSITIVE_CLASS
from .display import raw_html_markdown

RENDERER_NAME = "oneclick-offline"

# The colours of the classes (analysis/report/palette.py: one meaning per colour across the site).
ACTIVITY_COLORS = {POSITIVE_CLASS: palette.DROP, NEGATIVE_CLASS: palette.STAY}
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
