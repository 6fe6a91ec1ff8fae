"""Numbers as a Russian reader writes them: 1 300, 4 957,5, 38,3 %.

Chapters put computed numbers into prose with these; the thousands separator is
a no-break space so a number never wraps across lines.
"""

from __future__ import annotations

NBSP = "\u00a0"


def number(value: float, digits: int = 0) -> str:
    """`1300` -> '1 300'; `number(4957.5, 1)` -> '4 957,5' (decimal comma)."""
    return f"{float(value):,.{digits}f}".replace(",", NBSP).replace(".", ",")


def percent(share: float, digits: int = 1) -> str:
    """`0.383` -> '38,3 %'; `percent(0.383, 0)` -> '38 %'."""
    return f"{number(share * 100, digits)}{NBSP}%"
