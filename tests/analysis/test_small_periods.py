"""A period too small to model is refused before anything is written, and build-results is atomic (issue 17)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from csv_edit import read_rows, write_rows

from analysis.model import sample_size
from analysis import pipeline
from analysis.cli import main
from analysis.constants import POSITIVE_CLASS, RAW_FILES
from analysis.errors import InvalidInputError
from analysis.data.fetch import DATA_DIR_ENV, fetch_raw_data, read_checksums

TARGET_COLUMN = "Покупательская активность"


def keep_customers(folder: Path, dropping: int, others: int) -> None:
    """Keep the first `dropping` «Снизилась» and `others` other customers of market_file.csv, in all four files."""
    rows = read_rows(folder / "market_file.csv")
    target = rows[0].index(TARGET_COLUMN)
    positives = [row[0] for row in rows[1:] if row[target] == POSITIVE_CLASS][:dropping]
    negatives = [row[0] for row in rows[1:] if row[target] != POSITIVE_CLASS][:others]
    kept = set(positives) | set(negatives)
    for name in RAW_FILES:
        path = folder / name
        file_rows = read_rows(path)
        write_rows(path, file_rows[:1] + [row for row in file_rows[1:] if row[0] in kept])


def folder_state(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def previous_results(tmp_path) -> Path:
    out = tmp_path / "results"
    out.mkdir()
    (out / "model_table.csv").write_text("id\n1\n")
    (out / ".built").write_text("")
    return out


@pytest.mark.parametrize("dropping, others, reason", [
    (3, 57, "at least 126 in total"),                  # the period: too few in total and in one class
    (20, 200, "34 of each class"),                      # enough in total, too few per fold of one class
    (60, 60, "at least 126 in total"),                  # enough of each class, too few in total
])
def test_a_period_too_small_to_model_is_refused_everywhere_with_one_line(data_copy, previous_results, capsys,
                                                                        dropping, others, reason):
    keep_customers(data_copy, dropping, others)
    assert main(["validate", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "too few customers" in err and reason in err
    assert "Traceback" not in err

    before = folder_state(previous_results)
    assert main(["build-results", "--data-dir", str(data_copy), "--out", str(previous_results)]) == 1
    assert reason in capsys.readouterr().err
    assert folder_state(previous_results) == before
    assert [path.name for path in previous_results.parent.iterdir() if path.name.startswith(".results")] == []


def test_fetch_data_refuses_a_small_period_and_copies_nothing(data_copy, tmp_path):
    keep_customers(data_copy, 3, 57)
    destination = tmp_path / "fetched"
    with pytest.raises(InvalidInputError, match="too few customers"):
        fetch_raw_data(destination, env={DATA_DIR_ENV: str(data_copy)}, checksums=read_checksums())
    assert not destination.exists() or not any(destination.iterdir())


def test_the_real_data_are_well_above_the_minimum(table):
    sample_size.check_enough_customers(table)
    assert len(table) > 5 * sample_size.minimum_customers()


def test_the_minimum_follows_the_model_search_settings():
    """At the minimum the smallest fitted set holds the largest k of the KNN grid; one fewer does not."""
    minimum = sample_size.minimum_customers()
    assert sample_size.smallest_fit_set(minimum) >= sample_size.largest_neighbours() > sample_size.smallest_fit_set(
        minimum - 1)


def test_a_build_that_fails_late_leaves_the_previous_results_exactly(raw_dir, previous_results, monkeypatch,
                                                                       capsys):
    def crash(_inputs, _out):
        raise RuntimeError("the model search died")

    monkeypatch.setattr(pipeline, "STAGES", tuple(dataclasses.replace(stage, compute=crash) if stage.name == "model"
                                                  else stage for stage in pipeline.STAGES))
    before = folder_state(previous_results)
    with pytest.raises(RuntimeError, match="died"):
        main(["build-results", "--data-dir", str(raw_dir), "--out", str(previous_results), "--no-model-cache"])
    assert folder_state(previous_results) == before
    assert sorted(path.name for path in previous_results.parent.iterdir()) == ["results"]
