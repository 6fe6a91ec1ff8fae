"""Effective options for a page and for each of its cells.

Precedence is Quarto's: cell `#|` option > page front matter > `_quarto.yml`.
HTML options may sit at the top of the front matter or under `format: html:`.
`include-in-header` and `css` accumulate (project first, then page), with
paths made project-relative so the build can read and copy them.
"""
from __future__ import annotations

import dataclasses
import posixpath

from .config import EXECUTE_DEFAULTS, HTML_KEYS, Project, words
from .errors import RenderError
from .qmd import Cell, Document

ACCUMULATED = ("include-in-header", "css")


@dataclasses.dataclass(frozen=True)
class PageOptions:
    html: dict
    execute: dict
    words: dict


def page_options(project: Project, doc: Document) -> PageOptions:
    front = doc.front
    page_html = {k: v for k, v in front.items() if k in HTML_KEYS}
    if isinstance(front.get("format"), dict):
        page_html.update(front["format"].get("html") or {})
    html = {**project.html, **page_html}
    page_dir = posixpath.dirname(doc.path)
    for key in ACCUMULATED:
        html[key] = (_paths(project.html.get(key), "", "_quarto.yml", key)
                     + _paths(page_html.get(key), page_dir, doc.path, key))
    lang = page_html.get("lang") or project.lang
    html["lang"] = lang or "en"
    execute = {**EXECUTE_DEFAULTS, **project.execute, **(front.get("execute") or {})}
    return PageOptions(html=html, execute=execute, words=words(lang, doc.path))


def _paths(value, base: str, file: str, key: str) -> list:
    """Path items resolved against `base`; `{text: ...}` / `{file: ...}` items kept (file resolved)."""
    items = value if isinstance(value, list) else [value] if value else []
    resolved = []
    for item in items:
        if key == "include-in-header" and isinstance(item, dict) and len(item) == 1 and "file" in item:
            item = item["file"]
        if isinstance(item, str):
            item = posixpath.normpath(posixpath.join(base, item))
        elif not (key == "include-in-header" and isinstance(item, dict) and list(item) == ["text"]):
            shown = "paths or {text: ...} / {file: ...} items" if key == "include-in-header" else "paths"
            raise RenderError(f"{file}: '{key}' entries must be {shown}, got {item!r}")
        resolved.append(item)
    return resolved


def cell_options(cell: Cell, page: PageOptions) -> dict:
    """All options a cell needs, with defaults filled in."""
    defaults = {**page.execute, "code-fold": page.html.get("code-fold", False),
                "code-summary": page.html.get("code-summary", page.words["code"])}
    return {**defaults, **cell.options}
