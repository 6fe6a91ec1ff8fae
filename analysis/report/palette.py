"""The site's colours, each with one meaning: a reader who learns what a colour means on one
chart can read it the same way on every other chart and table.

Every chart and table module takes its colours from here by meaning (`palette.DROP`, not
"#D55E00"); tests/analysis/test_palette.py fails on a literal colour anywhere else in
analysis/ and on two meanings sharing a colour. Hues are Okabe–Ito (distinguishable with
the common colour-vision deficiencies); the greys and pale fills are their neutral and
light companions; the continuous scales are Vega schemes that are colour-blind safe.

Segments are not a meaning of their own: a segment's hue is its risk (DROP or STAY) and its
shade its profit (full colour = high profit, pale = low profit), so «high risk» is vermillion
on the segment chart exactly as it is on the model's charts.
"""

from __future__ import annotations

# meaning -> (colour, what it marks on the site). The colours of MEANINGS are all different.
MEANINGS: dict[str, tuple[str, str]] = {
    "DROP": ("#D55E00", "«Снизилась»: the class, a higher risk, a push of the forecast towards it"),
    "STAY": ("#0072B2", "«Прежний уровень»: the class, a lower risk, a push of the forecast away from «Снизилась»"),
    "DROP_PALE": ("#F0A97F", "high risk with low profit (the pale shade of DROP)"),
    "STAY_PALE": ("#56B4E9", "low risk with low profit (the pale shade of STAY)"),
    "REFERENCE": ("#009E73", "a line to compare against: the goal, a threshold or cut, the break-even point"),
    "CHOSEN": ("#CC79A7", "what the text singles out: the chosen model or threshold, the outlier, the slider's value"),
    "MONEY_OUT": ("#E69F00", "money paid or lost: the cost of offers, a negative net result"),
    "INK": ("#222222", "text, totals and measured values with no class to show (estimates, their intervals)"),
    "CONTEXT": ("#999999", "context, not the finding: a random choice, other models, the training part, no direction"),
    "FADED": ("#DDDDDD", "outside the reader's selection, or not used by the model"),
    "PAPER": ("#FFFFFF", "text on a dark cell, gaps between bars"),
    "CHOSEN_FILL": ("#F6E3EE", "a table row the text singles out (the pale shade of CHOSEN)"),
    "AGREE_FILL": ("#E3F1E8", "a table cell where two methods agree"),
    "PARTLY_FILL": ("#FFF4D6", "a table cell where two methods partly agree"),
    "DISAGREE_FILL": ("#FBE3D6", "a table cell where two methods disagree"),
}

DROP, STAY = MEANINGS["DROP"][0], MEANINGS["STAY"][0]
DROP_PALE, STAY_PALE = MEANINGS["DROP_PALE"][0], MEANINGS["STAY_PALE"][0]
REFERENCE, CHOSEN, MONEY_OUT = MEANINGS["REFERENCE"][0], MEANINGS["CHOSEN"][0], MEANINGS["MONEY_OUT"][0]
INK, CONTEXT, FADED, PAPER = (MEANINGS[name][0] for name in ("INK", "CONTEXT", "FADED", "PAPER"))
CHOSEN_FILL = MEANINGS["CHOSEN_FILL"][0]
AGREE_FILL, PARTLY_FILL, DISAGREE_FILL = (MEANINGS[name][0] for name in ("AGREE_FILL", "PARTLY_FILL", "DISAGREE_FILL"))

# Continuous and ordered values: Vega schemes, each with one meaning.
STRENGTH_SCHEME = "viridis"        # a strength from 0 to 1 (φK, a share of a class)
SIGNED_SCHEME = "brownbluegreen"   # a signed correlation from −1 to 1
ORDER_SCHEME = "cividis"           # an order: a feature's value from low to high, months from earlier to later
SCHEMES = (STRENGTH_SCHEME, SIGNED_SCHEME, ORDER_SCHEME)


def segment_colors(labels: dict[str, str]) -> dict[str, str]:
    """Segment label -> colour, from `segments.SEGMENT_LABELS` (segment code -> label).

    Hue = risk, shade = profit; a code outside the four risk × profit segments raises KeyError.
    """
    by_code = {"high_risk_high_profit": DROP, "high_risk_low_profit": DROP_PALE,
               "low_risk_high_profit": STAY, "low_risk_low_profit": STAY_PALE}
    return {label: by_code[code] for code, label in labels.items()}


def all_colours() -> set[str]:
    """Every colour a chart or table may use, upper case."""
    return {colour.upper() for colour, _ in MEANINGS.values()}
