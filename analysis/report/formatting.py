"""Numbers and counted words as a Russian reader writes them: 1 300, 4 957,5, 38,3 %, 3 опечатки.

Chapters put computed numbers into prose with these; the thousands separator is
a no-break space so a number never wraps across lines. The number itself is written by the
top-level analysis/number_format.py (the stages write numbers into their messages too, and may
not import report/); NBSP is re-exported from there.
"""

from __future__ import annotations

import re

from ..number_format import NBSP, number_text

# Every ASCII punctuation character: pandoc's markdown reads each as itself after a backslash.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


class Text(str):
    """Prose text computed for a page: a `str` that every renderer prints as the text itself.

    Quarto shows an inline expression's richest representation, and a plain `str`'s is its
    repr (`'1\\xa0296'`); this one offers markdown with its punctuation escaped, so
    «1 296» prints with a real no-break space under Quarto and the fallback alike.
    Joining with `+` keeps the kind (`"из " + number(n)` is a `Text` too); an f-string or
    `str.join` makes a plain `str`, which `analysis.report.display` also prints cleanly.
    """

    __slots__ = ()

    def _repr_markdown_(self) -> str:
        return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(self))

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def __add__(self, other: str) -> "Text":
        return Text(str.__add__(self, other)) if isinstance(other, str) else NotImplemented

    def __radd__(self, other: str) -> "Text":
        return Text(str.__add__(other, self)) if isinstance(other, str) else NotImplemented


def number(value: float, digits: int = 0) -> Text:
    """`1300` -> '1 300'; `number(4957.5, 1)` -> '4 957,5' (decimal comma): number_format.number_text
    as page text."""
    return Text(number_text(value, digits))


def percent(share: float, digits: int = 1) -> Text:
    """`0.383` -> '38,3 %'; `percent(0.383, 0)` -> '38 %'."""
    return Text(f"{number(share * 100, digits)}{NBSP}%")


def plural(count: int, one: str, few: str, many: str) -> Text:
    """The form of a noun that agrees with a whole `count`, by the Russian rule:
    `plural(n, "опечатка", "опечатки", "опечаток")` -> «опечатка» for 1, 21, 101;
    «опечатки» for 2–4, 22–24; «опечаток» for 0, 5–20, 11–14, 25–30, 111."""
    count = abs(int(count))
    if count % 10 == 1 and count % 100 != 11:
        return Text(one)
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return Text(few)
    return Text(many)


def counted(count: int, one: str, few: str, many: str) -> Text:
    """`counted(3, "опечатка", "опечатки", "опечаток")` -> '3 опечатки' (number and agreeing noun,
    joined by a no-break space)."""
    return Text(f"{number(count)}{NBSP}{plural(count, one, few, many)}")


def signed(value: float, digits: int = 4) -> Text:
    """`0.0123` -> '+0,0123', `-0.002` -> '−0,0020' (a true minus sign): a change, with its sign
    always shown."""
    return Text(("+" if value >= 0 else "−") + number(abs(value), digits))
