"""The words the data stage's results carry, added after the computation (pipeline.py's data stage).

data/profile.py and data/features.py return numbers and codes; these functions turn them into
the Russian the site and the downloads show, and leave every other column as it was:
- `separation_notes`: profile.feature_separation's direction codes → `note`
  («выше у «Снизилась»», «больше всего «Снизилась» в группе «…» (38 %)»);
- `distribution_bins`: profile.feature_distributions' range edges → the `bin` label («0,5–1,0»).
"""

from __future__ import annotations

import pandas as pd

from ..constants import POSITIVE_CLASS
from .formatting import number, percent

SEPARATION_COLUMNS = ["feature", "label", "kind", "roc_auc", "note"]
DISTRIBUTION_COLUMNS = ["feature", "label", "kind", "bin", "bin_order", "activity", "customers", "share"]


def separation_note(row) -> str:
    """The direction of one feature_separation row in words: a number's «выше/ниже у «Снизилась»», a
    category's riskiest group with its share of «Снизилась». Raises ValueError naming the feature
    for a kind it does not know."""
    if row.kind == "number":
        return f"{'выше' if row.direction > 0 else 'ниже'} у «{POSITIVE_CLASS}»"
    if row.kind == "category":
        return (f"больше всего «{POSITIVE_CLASS}» в группе «{row.riskiest_category}» "
                f"({percent(row.riskiest_share, 0)})")
    raise ValueError(f"feature_separation, feature {row.feature!r}: unknown kind {row.kind!r} "
                     "(expected 'number' or 'category')")


def separation_notes(separation: pd.DataFrame) -> pd.DataFrame:
    """profile.feature_separation with its direction codes replaced by `note` (SEPARATION_COLUMNS)."""
    return separation.assign(note=[separation_note(row) for row in separation.itertuples(index=False)])[
        SEPARATION_COLUMNS]


def range_label(start: float, end: float, digits: int) -> str:
    """A range bin's label: `range_label(0.5, 1.0, 1)` → «0,5–1,0», thousands with a no-break space."""
    return f"{number(start, digits)}–{number(end, digits)}"


def distribution_bins(distributions: pd.DataFrame) -> pd.DataFrame:
    """profile.feature_distributions with every range bin labelled by its edges (DISTRIBUTION_COLUMNS);
    a category's or whole value's bin keeps its text."""
    ranged = distributions["bin_start"].notna()
    labels = distributions["bin"].copy()
    labels[ranged] = [range_label(start, end, int(digits)) for start, end, digits in
                      distributions.loc[ranged, ["bin_start", "bin_end", "bin_digits"]].itertuples(index=False)]
    return distributions.assign(bin=labels)[DISTRIBUTION_COLUMNS]
