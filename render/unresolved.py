"""The last check of every page: nothing the renderer should have resolved is left on it.

Parsing finds inline expressions and cross-references in the markdown; if that
finding ever misses one (as a code span running across a paragraph once did), the
page would show `{python} 2 + 2` or `@fig-bars` as text and the build would pass.
This check looks at the finished HTML instead, so any such miss fails the build.
What a reader cannot see or is shown as code is skipped: comments, `<code>`,
`<pre>`, `<script>` and `<style>` (a page may legitimately *show* the syntax).
"""
from __future__ import annotations

import re

from .errors import RenderError
from .qmd import XREF

HIDDEN_OR_CODE = re.compile(r"<!--.*?-->|<(pre|code|script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
INLINE_PYTHON = re.compile(r"\{python\}[^<\n]{0,40}")


def check(page_html: str, source: str, source_text: str) -> None:
    """Raise `RenderError` naming the page (and the source line, when found) for a leftover."""
    visible = HIDDEN_OR_CODE.sub(" ", page_html)
    leftovers = [(match.start(), match.group(0).strip(), "an inline expression that was not evaluated")
                 for match in INLINE_PYTHON.finditer(visible)]
    leftovers += [(match.start(), match.group(0), "a cross-reference that was not resolved")
                  for match in XREF.finditer(visible)]
    if not leftovers:
        return
    _, text, what = min(leftovers)
    found = source_text.find(text)
    line = f":{source_text.count(chr(10), 0, found) + 1}" if found != -1 else ""
    raise RenderError(f"{source}{line}: the rendered page still shows {text!r}, {what}; Quarto would "
                      "evaluate or resolve it. Check the markdown around it (an unclosed backtick?)")
