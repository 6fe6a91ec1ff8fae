"""Numbers as a Russian reader writes them: 1 300, 4 957,5 (no-break thousands space, decimal comma).

A foundation, like errors.py, not a part of report/: stages write numbers into text that leaves
the computation — data/features.py the revenue outliers' other months, the exclusion details and
the cleaning audit's outlier row; score/scoring.py hands the same exclusion details to the user in
`*_unscored.csv` — and a stage may not import report/ (dependencies point one way). So the number
formatter lives here, once; report/formatting.py builds its page text (`Text`, percents, counted
words) on it.
"""

from __future__ import annotations

NBSP = "\u00a0"


def number_text(value: float, digits: int = 0) -> str:
    """`number_text(1300)` -> '1 300'; `number_text(4957.5, 1)` -> '4 957,5': rounded to `digits`
    decimals, the thousands separated by a no-break space so a number never wraps across lines."""
    return f"{float(value):,.{digits}f}".replace(",", NBSP).replace(".", ",")
