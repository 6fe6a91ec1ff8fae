"""`python -m analysis score`: the report's model applied to a folder of customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from csv_edit import column_values, drop_column, set_cell

from analysis.explain import driver_curves
from analysis.decide import segments
from analysis.score import scoring
from analysis.cli import main
from analysis.data.features import CATEGORICAL_FEATURES, FEATURE_COLUMNS, FEATURE_LABELS
from analysis.model.modeling import MAX_MEMORISATION_GAP
from sklearn.metrics import roc_auc_score

REPORT_COLUMNS = ["probability_drop", "predicted_drop", "segment", "top_drivers", "offer"]


def score(data_dir, output, model, *options) -> int:
    return main(["score", "--data-dir", str(data_dir), "--output", str(output), "--model", str(model), *options])


@pytest.fixture(scope="module")
def model_file(built):
    return built / "model.skops"


@pytest.fixture(scope="module")
def exact_scores(raw_dir, model_file, tmp_path_factory):
    output = tmp_path_factory.mktemp("scores") / "scores.csv"
    assert score(raw_dir, output, model_file, "--drivers", "exact") == 0
    return pd.read_csv(output, keep_default_na=False), pd.read_csv(scoring.unscored_path(output))


@pytest.fixture(scope="module")
def approx_scores(raw_dir, model_file, tmp_path_factory):
    output = tmp_path_factory.mktemp("scores") / "scores.csv"
    assert score(raw_dir, output, model_file, "--chunk-rows", "400") == 0
    return pd.read_csv(output, keep_default_na=False)


@pytest.fixture(scope="module")
def report(built):
    return pd.read_csv(built / "customers.csv", keep_default_na=False).set_index("id")


def test_the_cli_scores_the_real_data_as_the_report_does(exact_scores, report):
    """Test-part customers were scored by the saved model in the report: every column agrees.

    Training customers carry out-of-fold probabilities in the report (no customer is
    scored there by a model that saw them), so only their explanations can agree.
    """
    scores = exact_scores[0].set_index("id")
    assert scores.index.is_unique and set(scores.index) == set(report.index)
    test_ids = report.index[report["split"] == "test"]
    assert len(test_ids) > 300
    expected = report.loc[test_ids, REPORT_COLUMNS]
    pd.testing.assert_frame_equal(scores.loc[test_ids, REPORT_COLUMNS], expected, check_dtype=False)
    assert (scores["note"] == "").all()


def test_scoring_a_training_customer_gives_what_their_features_earn_not_their_label(exact_scores, report, built):
    """The scorer's model has seen the training customers; it must not hand back their labels.

    Its in-sample ROC-AUC on them may exceed the out-of-fold one (the report's numbers)
    only by the allowed memorisation gap; a distance-weighted KNN would reach 1.0.
    """
    scores = exact_scores[0].set_index("id")
    train = report.index[report["split"] == "train"]
    labels = pd.read_csv(built / "model_table.csv").set_index("id")["activity"]
    dropped = labels.loc[train] == "Снизилась"
    in_sample = roc_auc_score(dropped, scores.loc[train, "probability_drop"])
    out_of_fold = roc_auc_score(dropped, report.loc[train, "probability_drop"])
    assert in_sample - out_of_fold <= MAX_MEMORISATION_GAP
    # Not the label either: the scores spread between the classes, they are not 0/1 copies.
    assert scores.loc[train, "probability_drop"].between(0.02, 0.98).mean() > 0.5


def test_every_raw_customer_is_scored_or_listed_with_the_reports_reason(exact_scores, raw_dir, built):
    scores, unscored = exact_scores
    raw_ids = {int(value) for value in column_values(raw_dir / "market_file.csv", "id")}
    assert set(scores["id"]).isdisjoint(unscored["id"])
    assert set(scores["id"]) | set(unscored["id"]) == raw_ids
    exclusions = pd.read_csv(built / "exclusions.csv")
    pd.testing.assert_frame_equal(unscored, exclusions.sort_values("id", ignore_index=True))


def test_fast_drivers_change_only_the_explanations(approx_scores, exact_scores, report):
    """The curve approximation leaves probabilities and segments alone and mostly agrees on drivers."""
    approx, exact = approx_scores.set_index("id"), exact_scores[0].set_index("id")
    pd.testing.assert_frame_equal(approx[["probability_drop", "predicted_drop", "segment"]],
                                  exact[["probability_drop", "predicted_drop", "segment"]])
    first_driver = lambda texts: texts.str.split(";").str[0]  # noqa: E731
    agreement = (first_driver(approx["top_drivers"]) == first_driver(exact["top_drivers"])).mean()
    assert 0.6 < agreement < 1
    high_risk = exact["predicted_drop"] == 1
    assert (approx.loc[~high_risk, "offer"] == exact.loc[~high_risk, "offer"]).all()


def test_without_money_csv_segment_and_offer_are_empty_with_the_reason(data_copy, model_file, approx_scores,
                                                                     tmp_path):
    (data_copy / "money.csv").unlink()
    output = tmp_path / "scores.csv"
    assert score(data_copy, output, model_file) == 0
    scores = pd.read_csv(output, keep_default_na=False)
    assert (scores["segment"] == "").all() and (scores["offer"] == "").all()
    assert (scores["note"] == scoring.NO_PROFIT_NOTE).all()
    pd.testing.assert_frame_equal(scores[["id", "probability_drop", "predicted_drop", "top_drivers"]],
                                  approx_scores[["id", "probability_drop", "predicted_drop", "top_drivers"]])


def test_the_target_column_is_not_needed(data_copy, model_file, approx_scores, tmp_path):
    drop_column(data_copy / "market_file.csv", "Покупательская активность")
    output = tmp_path / "scores.csv"
    assert score(data_copy, output, model_file) == 0
    pd.testing.assert_frame_equal(pd.read_csv(output, keep_default_na=False), approx_scores)


def test_malformed_input_gives_the_validation_errors_and_writes_nothing(data_copy, model_file, tmp_path, capsys):
    set_cell(data_copy / "market_time.csv", 40, "минут", "много")
    output = tmp_path / "scores.csv"
    assert score(data_copy, output, model_file) == 1
    error = capsys.readouterr().err
    assert "market_time.csv, column 'минут', row 40: 'много' is not a number" in error
    assert not output.exists()


def test_a_model_folder_without_the_reports_decisions_is_refused(tmp_path, model_file, raw_dir, capsys):
    lonely = tmp_path / "model.skops"
    lonely.write_bytes(model_file.read_bytes())
    assert score(raw_dir, tmp_path / "scores.csv", lonely) == 1
    assert "segments.json, driver_curves.csv, model_table.csv" in capsys.readouterr().err


def test_the_dask_engine_on_a_local_cluster_equals_the_pandas_path(raw_dir, model_file, approx_scores, tmp_path):
    distributed = pytest.importorskip("distributed")
    scorer = scoring.load_scorer(model_file)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        run = scoring.score_folder(raw_dir, scorer, tmp_path / "scores.csv", engine="dask", partitions=5,
                                   client=client, progress=False)
    assert run.scored == len(approx_scores)
    pd.testing.assert_frame_equal(pd.read_csv(run.scores_file, keep_default_na=False), approx_scores)


# --- the pieces ------------------------------------------------------------------------------

def test_dependence_curves_reproduce_an_additive_explanation():
    """When each SHAP value depends on its own feature only, the curves give it back exactly."""
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"pages_per_visit": rng.integers(1, 15, 500),
                             "promo_share": rng.uniform(0, 1, 500).round(2),
                             "popular_category": rng.choice(["Кухонная посуда", "Домашний текстиль"], 500)})
    shap = pd.DataFrame({"pages_per_visit": 0.3 - 0.02 * features["pages_per_visit"],
                         "promo_share": np.where(features["promo_share"] > 0.5, 0.2, -0.05),
                         "popular_category": features["popular_category"].map(
                             {"Кухонная посуда": 0.04, "Домашний текстиль": -0.01})})
    curves = driver_curves.fit_curves(features, shap)
    approximated = driver_curves.approximate_shap(curves, features)
    np.testing.assert_allclose(approximated["pages_per_visit"], shap["pages_per_visit"])
    np.testing.assert_allclose(approximated["popular_category"], shap["popular_category"])
    # a binned, stepped feature is right away from the step
    away = (features["promo_share"] - 0.5).abs() > 0.1
    np.testing.assert_allclose(approximated.loc[away, "promo_share"], shap.loc[away, "promo_share"], atol=0.03)
    unseen = features.head(2).assign(popular_category="Мелкая бытовая техника и электроника", pages_per_visit=99)
    assert (driver_curves.approximate_shap(curves, unseen)["popular_category"] == 0).all()
    assert (driver_curves.approximate_shap(curves, unseen)["pages_per_visit"] == shap["pages_per_visit"].min()).all()


def naive_top_drivers(shap: pd.DataFrame, n: int = 3) -> list[str]:
    labels = [FEATURE_LABELS[column] for column in shap.columns]
    texts = []
    for row in shap.to_numpy():
        order = sorted(range(len(row)), key=lambda column: -abs(row[column]))[:n]
        texts.append("; ".join(f"{labels[c]} ({'+' if row[c] > 0 else '−'})" for c in order if row[c] != 0))
    return texts


def test_top_drivers_text_matches_a_plain_loop():
    rng = np.random.default_rng(1)
    columns = [column for column in FEATURE_COLUMNS if column not in CATEGORICAL_FEATURES][:6]
    values = rng.normal(size=(300, len(columns))).round(1)  # rounding makes ties and zeros
    values[:20, 2:] = 0
    shap = pd.DataFrame(values, columns=columns, index=pd.RangeIndex(1000, 1300, name="id"))
    assert segments.top_drivers(shap).tolist() == naive_top_drivers(shap)


# Nothing partially written (issue 17) -------------------------------------------

@pytest.mark.parametrize("file, column, written", [
    ("market_file.csv", "Маркет_актив_6_мес", "1e400"),
    ("market_money.csv", "Выручка", "inf"),
    ("market_file.csv", "id", "99999999999999999999"),
])
def test_an_unreadable_number_is_refused_before_scoring_and_writes_no_file(data_copy, model_file, tmp_path, capsys,
                                                                           file, column, written):
    set_cell(data_copy / file, 2, column, written)
    output = tmp_path / "out" / "scores.csv"
    assert score(data_copy, output, model_file) == 1
    err = capsys.readouterr().err
    assert f"{file}, column '{column}', row 2" in err and "Traceback" not in err
    assert not output.parent.exists() or list(output.parent.iterdir()) == []


def test_a_run_that_fails_while_scoring_leaves_no_output_at_all(raw_dir, model_file, tmp_path, monkeypatch):
    """A crash after the first chunk (here: in the second) leaves neither file, not a header or half the scores."""
    real = scoring.score_table
    calls = []

    def failing_on_the_second_chunk(table, scorer, shap=None):
        calls.append(len(table))
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(table, scorer, shap)

    monkeypatch.setattr(scoring, "score_table", failing_on_the_second_chunk)
    output = tmp_path / "scores.csv"
    with pytest.raises(RuntimeError, match="worker lost"):
        scoring.score_folder(raw_dir, scoring.load_scorer(model_file), output, chunk_rows=400)
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []
