"""What a reader sees of a built page, as comparable text: per block (paragraph, heading, list
item, table cell, caption), whitespace normalised, code, scripts and navigation left out.

Used by the page checks and the Quarto-vs-fallback parity test; works on either renderer's
HTML, which differ in their chrome (navbar, sidebar, title block) but not in the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose text a reader does not read as prose (code is folded, scripts are data).
SKIPPED = {"script", "style", "pre", "code", "noscript", "svg", "template", "button", "select", "option"}
# Chrome: navigation, table of contents, footer, Quarto's search and title-block metadata.
CHROME_CLASSES = {"navbar", "sidebar", "toc", "page-navigation", "page-footer", "nav-footer", "quarto-title-meta",
                  "sidebar-toggle-label", "toc-actions", "quarto-alternate-formats", "code-copy-outer-scaffold",
                  "anchorjs-link", "quarto-title-breadcrumbs", "quarto-search", "callout-icon-container",
                  "screen-reader-only"}
CHROME_IDS = {"quarto-header", "quarto-sidebar", "quarto-margin-sidebar", "TOC", "toc-title", "title-block-header",
              "quarto-search-results"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "caption", "summary", "dt", "dd",
          "blockquote", "div", "section", "figure", "table", "tr", "ul", "ol", "main", "header", "details", "label"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class PageText:
    lines: list[str] = field(default_factory=list)  # visible text, one block per line
    captions: list[str] = field(default_factory=list)  # figcaption / caption text
    charts: int = 0  # chart containers (.oneclick-chart)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, caption)
        self.buffer: list[str] = []
        self.caption: list[str] = []
        self.in_main = 0

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        if text:
            self.page.lines.append(text)
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if "oneclick-chart" in classes:
            self.page.charts += 1
        if tag == "main":
            self.in_main += 1
        if tag in VOID:
            return
        hidden = self._hidden() or tag in SKIPPED or bool(classes & CHROME_CLASSES) \
            or attributes.get("id") in CHROME_IDS or tag == "nav" or "hidden" in attributes
        caption = (bool(self.stack) and self.stack[-1][2]) or tag in ("figcaption", "caption")
        if tag in BLOCKS:
            self._flush()
        self.stack.append((tag, hidden, caption))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _, caption = self.stack.pop()
            if open_tag in ("figcaption", "caption") and caption:
                text = re.sub(r"\s+", " ", "".join(self.caption)).strip()
                if text:
                    self.page.captions.append(text)
                self.caption = []
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()
        if tag == "main":
            self.in_main -= 1

    def handle_data(self, data):
        if self.in_main and not self._hidden():
            self.buffer.append(data)
            if self.stack and self.stack[-1][2]:
                self.caption.append(data)


def page_text(html: str) -> PageText:
    """The reader's text of a page's `<main>`; see the module docstring."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.page


# Inline values gone wrong: escape codes of a Python repr, an unevaluated expression, an
# unresolved cross-reference, a repr's quotes around a number, markdown bold printed as
# asterisks (an inline value shown as escaped text instead of markdown).
ESCAPE_TEXT = re.compile(r"\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}")
LEFTOVERS = re.compile(r"\{python\}|@fig-|@tbl-|\*\*\w")
QUOTED_NUMBER = re.compile(r"(?<![\w'])'[−\-+]?\d[\d\s\u00a0,.%]*'(?!\w)")


def problems(text: PageText) -> list[str]:
    """Lines of visible text showing one of the inline-value faults above."""
    found = []
    for line in text.lines:
        for pattern in (ESCAPE_TEXT, LEFTOVERS, QUOTED_NUMBER):
            match = pattern.search(line)
            if match:
                found.append(f"{match.group(0)!r} in: {line[:200]}")
    return found
