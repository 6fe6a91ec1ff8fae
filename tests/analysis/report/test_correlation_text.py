"""The «Связи признаков» chapter's sentences on the real correlation results and on edited ones."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report import correlation_text
from analysis import report
from analysis.paths import RESULTS_DIR


@pytest.fixture(scope="module")
def inputs():
    if not (RESULTS_DIR / "phik.csv").is_file():
        pytest.skip("results missing: run `make results`")
    results = report.load()
    return (results.table("phik"), results.table("collinear_pairs"), results.table("vif"),
            results.table("feature_drop"), results.json("metrics")["chosen"])


def test_sentences_on_the_real_results_are_never_empty(inputs):
    c = correlation_text.correlations(*inputs)
    for sentence in (correlation_text.unrelated_text(c), correlation_text.repeats_plain_text(c),
                     correlation_text.repeats_text(c), correlation_text.drop_summary_text(c),
                     correlation_text.strong_pairs_text(c), correlation_text.spearman_text(c),
                     correlation_text.drop_text(c), correlation_text.coefficients_text(inputs[4])):
        assert sentence.strip() and "nan" not in sentence


def test_without_collinear_table_pairs_nothing_is_dropped(inputs):
    phik, pairs, vif, drops, chosen = inputs
    c = correlation_text.correlations(phik, pairs.query("engineered"), vif, drops.query("variant == 'all'"), chosen)
    assert correlation_text.repeats_text(c).startswith("Сильно повторяющих друг друга исходных признаков нет")
    assert correlation_text.drop_text(c).endswith("убирать нечего.")
    assert "нет" in correlation_text.drop_summary_text(c)
    assert correlation_text.harmless(c)


def test_a_drop_beyond_the_noise_is_not_called_noise(inputs):
    phik, pairs, vif, drops, chosen = inputs
    loud = drops.assign(delta=drops["delta"].where(drops["variant"] == "all", 0.5))
    c = correlation_text.correlations(phik, pairs, vif, loud, chosen)
    if not len(c.pair_drops):
        pytest.skip("no collinear pair among the table's features in these results")
    assert not c.quiet and "больше шума" in correlation_text.drop_text(c)
    assert "больше шума перекрёстной проверки" in correlation_text.drop_summary_text(c)


def test_strong_pairs_wording_counts_them():
    between = pd.DataFrame({"value": [0.9, 0.8, 0.3], "row_order": [1, 1, 2], "column_order": [2, 3, 3],
                            "row_label": list("ABC"), "column_label": list("DEF")})
    c = correlation_text.Correlations(
        to_target=between.iloc[:0], between=between, table_pairs=between.iloc[:0], pairs=between.iloc[:0],
        table_vif=pd.Series({"vif_table": 2.0}), vif=pd.DataFrame({"vif_model": [3.0]}), pair_drops=between.iloc[:0],
        worst_drop=0.0, noise=0.01, left_out=[], pair_features=0)
    assert correlation_text.strongest_pair_lead(c) == "Самая сильная пара — "
    assert "связаны 2\u00a0пары признаков" in correlation_text.strong_pairs_text(c)
    assert correlation_text.model_vif_text(c) == "вырастает до 3"
    one = correlation_text.Correlations(**{**c.__dict__, "between": between.assign(value=[0.9, 0.5, 0.3])})
    assert correlation_text.strongest_pair_lead(one) == "Между собой признаки связаны умеренно. Выделяется одна пара — "
    assert correlation_text.second_pair_value(one) == "уже 0,50"
