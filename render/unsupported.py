"""Quarto constructs the fallback cannot render, found before anything runs.

Each rule is (where it applies, pattern, message). Prose rules see markdown
with code spans blanked out, so documentation that *mentions* a construct in
backticks is not flagged; fence rules see the info string of a fenced block;
code-span rules see the content of inline code.
"""
from __future__ import annotations

import re

from .errors import RenderError

PROSE, FENCE, CODE_SPAN = "prose", "fence", "code span"
_ATTRS = r"\{[^{}\n]*"  # inside a pandoc attribute block {...}

RULES: tuple[tuple[str, re.Pattern, str], ...] = tuple((scope, re.compile(pattern, re.MULTILINE), message) for
                                                       scope, pattern, message in (
    (PROSE, r"\{\{<\s*include\b", "include directives ({{< include >}})"),
    (PROSE, r"\{\{<", "shortcodes ({{< ... >}})"),
    (PROSE, r"(?<![\w.@])@(sec|eq)-\w", "cross-references to sections and equations (@sec-, @eq-)"),
    (PROSE, _ATTRS + r"#(fig|tbl|eq)-", "figure/table/equation labels in markdown (label a code cell instead)"),
    (PROSE, _ATTRS + r"\.panel-tabset\b", "tabsets (.panel-tabset)"),
    (PROSE, _ATTRS + r"\.column-(?!(page|body)(?![\w-]))[\w-]+", "column layouts other than .column-page, .column-body"),
    (PROSE, _ATTRS + r"\blayout(-ncol|-nrow)?\s*=", "layout attributes (layout, layout-ncol, layout-nrow)"),
    (PROSE, _ATTRS + r"\.callout-(?!(note|tip|warning|important|caution)\b)[\w-]+",
     "callout types other than note, tip, warning, important, caution"),
    (PROSE, _ATTRS + r"\.callout-[^{}\n]*\b(appearance|icon)\s*=",
     "callout options appearance and icon"),
    (PROSE, _ATTRS + r"\.callout-[^{}\n]*\bcollapse\s*=\s*(?!\"?(true|false)\b)",
     "callout collapse values other than true and false"),
    (FENCE, r"^\{(?!python[\s,}])[A-Za-z][\w-]*", "code cells in engines other than python ({r}, {ojs}, ...)"),
    (FENCE, r"^\{python[\s,]+[^\s}]", "options in the cell header (write them as '#| key: value' lines)"),
    (CODE_SPAN, r"^\{(r|julia|ojs)\}", "inline code in engines other than python"),
))


def check(scope: str, text: str, path: str, first_line: int) -> None:
    """Raise `RenderError` naming file and line for the first unsupported construct in `text`."""
    for rule_scope, pattern, message in RULES:
        if rule_scope != scope:
            continue
        match = pattern.search(text)
        if match:
            line = first_line + text.count("\n", 0, match.start())
            raise RenderError(f"{path}:{line}: {message} are not supported by the fallback renderer "
                              f"(found {match.group(0).strip()!r})")
