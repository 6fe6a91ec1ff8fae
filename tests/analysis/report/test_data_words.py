"""report/data_words.py: the data stage's codes in words, as results/ holds them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.constants import POSITIVE_CLASS
from analysis.data import profile
from analysis.data.labels import TARGET
from analysis.report import data_words


@pytest.fixture(scope="module")
def table():
    """A small modelling table: `minutes` is lower among «Снизилась», `revenue` spans several ranges,
    `category` has a riskiest group."""
    rng = np.random.default_rng(0)
    dropped = np.repeat([True, False], 50)
    frame = pd.DataFrame({
        TARGET: np.where(dropped, POSITIVE_CLASS, "Прежний уровень"),
        "minutes": np.where(dropped, rng.integers(1, 10, 100), rng.integers(8, 20, 100)),
        "revenue": rng.uniform(3000, 7000, 100).round(1),
        "category": np.where(dropped & (np.arange(100) % 2 == 0), "Косметика", "Техника"),
    })
    return frame


def test_a_numbers_note_says_where_it_is_higher_and_a_categorys_names_its_riskiest_group():
    separation = pd.DataFrame({
        "feature": ["a", "b", "c"], "label": ["A", "B", "C"], "kind": ["number", "number", "category"],
        "roc_auc": [0.8, 0.7, 0.6], "direction": [1, -1, np.nan],
        "riskiest_category": [None, None, "Косметика"], "riskiest_share": [np.nan, np.nan, 0.383]})
    worded = data_words.separation_notes(separation)
    assert worded.columns.tolist() == data_words.SEPARATION_COLUMNS
    assert worded["note"].tolist() == [f"выше у «{POSITIVE_CLASS}»", f"ниже у «{POSITIVE_CLASS}»",
                                       f"больше всего «{POSITIVE_CLASS}» в группе «Косметика» (38\u00a0%)"]


def test_an_unknown_kind_is_refused_with_the_feature_named():
    separation = pd.DataFrame({"feature": ["a"], "label": ["A"], "kind": ["date"], "roc_auc": [0.6],
                               "direction": [1], "riskiest_category": [None], "riskiest_share": [np.nan]})
    with pytest.raises(ValueError, match="feature 'a': unknown kind 'date'"):
        data_words.separation_notes(separation)


def test_range_bins_are_labelled_by_their_edges_and_other_bins_keep_their_text(table, monkeypatch):
    monkeypatch.setattr(profile, "FEATURE_COLUMNS", ("minutes", "revenue", "category"))
    monkeypatch.setattr(profile, "CATEGORICAL_FEATURES", ("category",))
    monkeypatch.setattr(profile, "DISPLAY_LABELS", {"minutes": "Минуты", "revenue": "Выручка", "category": "Категория"})
    monkeypatch.setattr(profile, "ALLOWED_LABELS", {"market_file.csv": {"category": ("Косметика", "Техника")}})
    computed = profile.feature_distributions(table)
    worded = data_words.distribution_bins(computed)
    assert worded.columns.tolist() == data_words.DISTRIBUTION_COLUMNS
    revenue = worded.loc[worded["feature"] == "revenue"].drop_duplicates("bin_order")
    edges = computed.loc[computed["feature"] == "revenue"].drop_duplicates("bin_order")
    assert revenue["bin"].tolist() == [f"{int(a):,}".replace(",", "\u00a0") + "–" + f"{int(b):,}".replace(",", "\u00a0")
                                       for a, b in zip(edges["bin_start"], edges["bin_end"])]
    assert (edges["bin"] == "").all()
    others = worded["feature"] != "revenue"
    pd.testing.assert_series_equal(worded.loc[others, "bin"], computed.loc[others, "bin"])
    assert set(worded.loc[worded["feature"] == "category", "bin"]) == {"Косметика", "Техника"}
    assert data_words.range_label(0.5, 1.0, 1) == "0,5–1,0"
