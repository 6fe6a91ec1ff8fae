"""Aggregates behind the Data chapter's charts: they add up to the customers they describe."""

from __future__ import annotations

import json

import pytest

from analysis.data import leakage, profile
from analysis.report import data_charts, data_tables, data_words
from analysis.constants import POSITIVE_CLASS
from analysis.data.features import EXCLUSION_REASONS, FEATURE_COLUMNS, column_dictionary, revenue_outliers
from analysis.data.labels import TARGET

CHART_BUDGET_BYTES = 100_000


@pytest.fixture(scope="module")
def distributions(model_data):
    """As results/ holds it: computed, then worded (pipeline's data stage)."""
    return data_words.distribution_bins(profile.feature_distributions(model_data.table))


@pytest.fixture(scope="module")
def separation(model_data):
    return data_words.separation_notes(profile.feature_separation(model_data.table))


def test_every_feature_distribution_counts_every_customer_once(distributions, model_data):
    class_sizes = model_data.table[TARGET].value_counts()
    assert set(distributions["feature"]) == set(FEATURE_COLUMNS)
    sums = distributions.groupby(["feature", "activity"])["customers"].sum()
    for (_, activity), customers in sums.items():
        assert customers == class_sizes[activity]
    shares = distributions.groupby(["feature", "activity"])["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)


def test_period_summary_quantiles_are_ordered(model_data):
    summary = profile.period_summary(model_data.table)
    ordered = summary[["p05", "q1", "median", "q3", "p95"]].diff(axis=1).iloc[:, 1:]
    assert (ordered >= 0).all().all()
    assert set(summary["customers"]) <= set(model_data.table[TARGET].value_counts())


def test_revenue_histogram_holds_every_customer_month(clean_data):
    histogram = profile.revenue_histogram(clean_data.market_money)
    per_period = histogram.groupby("period")["months"].sum() + histogram.groupby("period")["zero_months"].first()
    assert (per_period == clean_data.market_money["period"].value_counts()[per_period.index]).all()


def test_position_slices_cover_the_file(clean_data):
    slices = leakage.class_share_by_position(clean_data.market_file)
    assert slices["customers"].sum() == len(clean_data.market_file)
    assert slices["dropped"].sum() == (clean_data.market_file[TARGET] == POSITIVE_CLASS).sum()


def test_separation_is_between_chance_and_perfect(separation):
    assert set(separation["feature"]) == set(FEATURE_COLUMNS)
    assert separation["roc_auc"].between(0.5, 1).all()
    assert separation["roc_auc"].is_monotonic_decreasing


def test_charts_build_valid_specs_within_the_page_budget(distributions, separation, model_data, clean_data):
    built = [
        data_charts.feature_distribution_explorer(distributions, separation),
        data_charts.period_distributions(profile.period_summary(model_data.table)),
        data_charts.revenue_outlier_context(profile.revenue_histogram(clean_data.market_money),
                                       revenue_outliers(clean_data.market_money)),
        data_charts.id_order_leak_chart(leakage.class_share_by_position(clean_data.market_file),
                                   leakage.id_order_leak(clean_data.market_file)),
    ]
    for chart in built:
        spec = chart.to_dict(validate=True)
        assert spec.get("title") and spec.get("description")
        assert len(json.dumps(spec, ensure_ascii=False).encode()) < CHART_BUDGET_BYTES
    explorer = built[0].to_dict()
    [param] = explorer["params"]
    assert param["bind"]["options"] == separation["feature"].tolist()
    assert param["bind"]["labels"] == separation["label"].tolist()


def test_tables_render_with_titles(clean_data, model_data):
    audit = clean_data.audit
    built = {
        "Журнал исправлений": data_tables.audit_table(audit),
        "Все метки": data_tables.labels_table(clean_data.labels),
        "Столбцы таблицы": data_tables.columns_table(column_dictionary()),
        "Кто не попал": data_tables.exclusions_table(model_data.exclusions, EXCLUSION_REASONS),
        "Покупатели-копии": data_tables.feature_copies_table(model_data.copies),
    }
    for title, table in built.items():
        assert title in table.as_raw_html()
