"""Whether a period has enough customers for the analysis, decided before anything is written.

A valid folder can still be too small: 60 customers with 3 «Снизилась» pass every
schema, and the model search then dies deep inside scikit-learn
(`Expected n_neighbors <= n_samples_fit`) after the data-stage results were
rewritten. The minimum follows from how the model stage splits the data:

- the hold-out test takes `TEST_SIZE` of the customers; the rest are split into
  `COMPARISON_SPLITS` folds, and the calibrated candidate splits each training fold
  again into `CALIBRATION_SPLITS`: the smallest set a model is fitted on is
  about 0.75 × 0.8 × 0.8 = 48 % of the customers, and the k-nearest-neighbours
  grid needs its largest k within it;
- every test fold must hold at least `MIN_PER_CLASS_PER_FOLD` customers of each
  class, or its ROC-AUC is undefined or meaningless.

The figures are computed from the model stage's own settings, so they follow it.
"""

from __future__ import annotations

import math

import pandas as pd

from . import model_stage, modeling
from ..constants import ACTIVITY_CLASSES
from ..errors import InvalidInputError
from ..data.features import TARGET
from ..data.labels import raw_column
from ..data.raw_text import Problem

CALIBRATION_SPLITS = 5  # CalibratedClassifierCV(cv=StratifiedKFold(5)) in model_stage.py and modeling.py
MIN_PER_CLASS_PER_FOLD = 5


def largest_neighbours() -> int:
    """The largest `n_neighbors` any searched family tries (1 if none does)."""
    return max((value for family in modeling.families() for key, values in family.grid.items()
                if key.endswith("n_neighbors") for value in values), default=1)


def _folds() -> int:
    return max(modeling.COMPARISON_SPLITS, modeling.SEARCH_SPLITS)


def smallest_fit_set(customers: int) -> int:
    """Customers in the smallest set a model is fitted on (hold-out, then two nested fold splits)."""
    train = customers - math.ceil(model_stage.TEST_SIZE * customers)
    fold_train = train - math.ceil(train / _folds())
    return fold_train - math.ceil(fold_train / CALIBRATION_SPLITS)


def minimum_customers() -> int:
    """The fewest modelled customers for which `smallest_fit_set` holds the largest k of the KNN grid."""
    needed = largest_neighbours()
    customers = needed
    while smallest_fit_set(customers) < needed:
        customers += 1
    return customers


def minimum_per_class() -> int:
    """The fewest customers of one class that give every test fold of the training part enough of it."""
    customers = MIN_PER_CLASS_PER_FOLD
    while (customers - math.ceil(model_stage.TEST_SIZE * customers)) // _folds() < MIN_PER_CLASS_PER_FOLD:
        customers += 1
    return customers


def check_enough_customers(table: pd.DataFrame) -> None:
    """Raise InvalidInputError (one line) if the modelling table is too small for the model stage.

    `table` is the modelling table (features.build_model_data): customers left after
    the exclusions, with the target column.
    """
    counts = table[TARGET].value_counts().reindex(list(ACTIVITY_CLASSES), fill_value=0)
    total, per_class = minimum_customers(), minimum_per_class()
    short = [f"{count} «{label}»" for label, count in counts.items() if count < per_class]
    if len(table) >= total and not short:
        return
    found = ", ".join(f"{count} «{label}»" for label, count in counts.items())
    needs = []
    if len(table) < total:
        needs.append(f"{total} in total (the smallest set a model is fitted on must hold "
                     f"{largest_neighbours()} neighbours)")
    if short:
        needs.append(f"{per_class} of each class ({MIN_PER_CLASS_PER_FOLD} per test fold of {_folds()}; "
                     f"short: {', '.join(short)})")
    message = (f"too few customers for the analysis: {len(table)} after exclusions ({found}); "
               f"the model search needs at least {' and '.join(needs)}")
    problem = Problem("market_file.csv", message, column=raw_column("market_file.csv", TARGET))
    raise InvalidInputError(f"market_file.csv: {message}", [problem])
