"""The one place where an HTML string becomes a cell's display output.

Interactive pieces (the customer picker, the customer lookup) are built as plain HTML
strings by pure functions; a chapter shows one with `show_html`. Keeping the wrapping
here means raw HTML reaches the page the way display.py decides for every rich output
(raw HTML inside `text/markdown`, so Quarto adds no CDN scripts).

Their JavaScript and CSS live as files in assets/widgets/ (read with `widget_asset`) and
are written into the page next to the HTML they drive, so a widget works wherever its
HTML is, from file:// as well as over HTTP, with nothing loaded from the network.
"""

from __future__ import annotations

import json
from .display import HtmlBlock
from ..paths import PROJECT_ROOT

WIDGET_ASSETS = PROJECT_ROOT / "assets" / "widgets"


def show_html(markup: str) -> HtmlBlock:
    """The display output of a chapter cell whose result is the HTML string `markup`."""
    return HtmlBlock(markup)


def widget_asset(name: str) -> str:
    """The text of assets/widgets/`name` (a widget's script or stylesheet).

    Raises FileNotFoundError naming the path when the file is missing."""
    path = WIDGET_ASSETS / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: widget asset missing")
    return path.read_text(encoding="utf-8")


def json_script(value, css_class: str) -> str:
    """`value` as inert JSON in a <script type="application/json" class=css_class>, safe
    against a '</script>' inside strings."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" class="{css_class}">{text}</script>'
