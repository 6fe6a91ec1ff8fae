"""How chapter outputs reach the page: text as clean text, HTML as raw HTML inside `text/markdown`.

Two things Quarto does with a Jupyter kernel's display data decide this module:

- an inline expression `` `{python} x` `` prints `x`'s `text/plain` representation; for a
  `str` that is Python's repr, quotes stripped, so a no-break space shows as the text `\\xa0`;
- any display output carrying `text/html` makes Quarto add require.js and jQuery from a CDN
  to the page head (`src/core/jupyter/widgets.ts`), which an offline site cannot have.

So every rich output this project shows (Altair charts, great-tables tables, `HtmlBlock`) is
emitted as `text/markdown` holding a raw-HTML block, and strings get a `text/plain`
representation without escape codes. `register_formatters()` installs this in the running
IPython kernel; `analysis/__init__.py` calls it on import, so every page that imports
`analysis` gets it, and a new chart or table needs nothing of its own. The fallback renderer
(render/) reads the same outputs, so both renderers draw the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BACKTICK_RUN = re.compile(r"`+")


def raw_html_markdown(html: str) -> str:
    """`html` as a pandoc raw-HTML block (```` ```{=html} ````), fenced with more backticks than
    any run inside it, so that no content can close the fence."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(html)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{=html}}\n{html}\n{fence}"


@dataclass(frozen=True)
class HtmlBlock:
    """Raw HTML a chapter shows as it is (a page-wide interactive table, for instance)."""

    html: str

    def _repr_markdown_(self) -> str:
        return raw_html_markdown(self.html)


def quoted_plain_text(text: str) -> str:
    """A `str`'s `text/plain` form: in quotes like its repr, but without escape codes.

    Quarto strips the quotes of a quoted inline value and backslash-escapes its markdown
    characters (`asEscapedMarkdown` in `src/core/jupyter/jupyter-inline.ts`), so the reader
    sees exactly the string; a no-break space stays a no-break space.
    """
    return f"'{text}'"


def _great_tables_markdown(table) -> str:
    return raw_html_markdown(table._repr_html_())


def register_formatters(shell=None) -> bool:
    """Install the representations above in IPython `shell` (default: the running one).

    Returns False outside IPython (plain Python, pytest), where nothing is displayed.
    Idempotent: registering again replaces the same printers.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    from great_tables import GT

    formatters = shell.display_formatter.formatters
    formatters["text/plain"].for_type(str, lambda text, printer, cycle: printer.text(quoted_plain_text(text)))
    formatters["text/markdown"].for_type(GT, _great_tables_markdown)
    formatters["text/html"].for_type(GT, lambda table: None)
    return True
