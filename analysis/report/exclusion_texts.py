"""Why a customer is not in the model, in the words the site uses.

features.build_model_data leaves some customers out and records each in exclusions.csv
(id, reason code, detail); the customer picker and the customer lookup tell a reader who
asks for such an id why it is not there.
"""

from __future__ import annotations

import pandas as pd

from ..data.features import EXCLUSION_REASONS


def exclusion_reasons(exclusions: pd.DataFrame) -> dict[str, str]:
    """{id as text: why the customer is not in the model}, from exclusions.csv (id, reason,
    detail): the reason in words (features.EXCLUSION_REASONS), then its detail, e.g.
    '215348' -> 'не покупал хотя бы в одном из трёх месяцев (выручка 0: …)'.

    Raises ValueError naming the id and the code for a reason code it does not know."""
    texts = {}
    for row in exclusions.itertuples(index=False):
        if row.reason not in EXCLUSION_REASONS:
            raise ValueError(f"exclusions.csv, id {row.id}: unknown reason code {row.reason!r} "
                             f"(expected one of {sorted(EXCLUSION_REASONS)})")
        detail = row.detail if isinstance(row.detail, str) and row.detail.strip() else ""
        texts[str(row.id)] = EXCLUSION_REASONS[row.reason] + (f" ({detail})" if detail else "")
    return texts
