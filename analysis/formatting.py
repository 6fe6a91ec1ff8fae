"""Numbers and counted words as a Russian reader writes them: 1 300, 4 957,5, 38,3 %, 3 опечатки.

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


def plural(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun that agrees with a whole `count`, by the Russian rule:
    `plural(n, "опечатка", "опечатки", "опечаток")` -> «опечатка» for 1, 21, 101;
    «опечатки» for 2–4, 22–24; «опечаток» for 0, 5–20, 11–14, 25–30, 111."""
    count = abs(int(count))
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def counted(count: int, one: str, few: str, many: str) -> str:
    """`counted(3, "опечатка", "опечатки", "опечаток")` -> '3 опечатки' (number and agreeing noun,
    joined by a no-break space)."""
    return f"{number(count)}{NBSP}{plural(count, one, few, many)}"
