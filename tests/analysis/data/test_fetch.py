"""fetch-data: the right file from the right place, or a message that says what is wrong.

The reference dataset must match data/SHA256SUMS; another period's data are accepted
only from $ONECLICK_DATA_DIR, validated by schema, and recorded in PROVENANCE.json.
"""

import hashlib
import json
import shutil

import pytest
from csv_edit import read_rows, set_cell, write_rows

from analysis.data import fetch, summary
from analysis.constants import RAW_FILES
from analysis.errors import DataFetchError, InvalidInputError
from analysis.data.load import load_raw_data
from analysis.paths import CHECKSUMS_FILE, DATA_DIR, DEFAULT_SHARED_DATA_DIR, RAW_DATA_DIR


def reference_folder():
    """data/raw, or ../shared/data when data/raw holds another period's data (ONECLICK_DATA_DIR)."""
    checksums = fetch.read_checksums()
    for folder in (RAW_DATA_DIR, DEFAULT_SHARED_DATA_DIR):
        if all((folder / name).is_file() and fetch.sha256_of(folder / name) == checksums[name]
               for name in RAW_FILES):
            return folder
    pytest.skip("the reference dataset is in neither data/raw nor ../shared/data: run `make fetch-data`")


@pytest.fixture
def source(tmp_path):
    """A copy of the real raw files, as a folder someone could point ONECLICK_DATA_DIR at."""
    reference = reference_folder()
    folder = tmp_path / "source"
    folder.mkdir()
    for name in RAW_FILES:
        shutil.copy(reference / name, folder / name)
    return folder


def test_copies_and_verifies_every_file(source, tmp_path):
    fetched = fetch.fetch_data(tmp_path / "raw", [str(source)], fetch.read_checksums())
    assert [item.name for item in fetched] == list(RAW_FILES)
    for item in fetched:
        assert item.copied
        assert (tmp_path / "raw" / item.name).read_bytes() == (source / item.name).read_bytes()


def test_second_fetch_copies_nothing(source, tmp_path):
    checksums = fetch.read_checksums()
    fetch.fetch_data(tmp_path / "raw", [str(source)], checksums)
    again = fetch.fetch_data(tmp_path / "raw", [str(source)], checksums)
    assert not any(item.copied for item in again)


def test_missing_file_names_file_and_every_place_looked(source, tmp_path):
    (source / "money.csv").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(DataFetchError) as error:
        fetch.fetch_data(tmp_path / "raw", [str(source), str(elsewhere)], fetch.read_checksums())
    message = str(error.value)
    assert message.startswith("money.csv: not found")
    assert str(source / "money.csv") in message and str(elsewhere / "money.csv") in message


def test_wrong_checksum_names_expected_and_actual_hash(source, tmp_path):
    tampered = source / "market_time.csv"
    tampered.write_bytes(tampered.read_bytes().replace(b",14\r\n", b",15\r\n", 1))
    checksums = fetch.read_checksums()
    with pytest.raises(DataFetchError) as error:
        fetch.fetch_data(tmp_path / "raw", [str(source)], checksums)
    message = str(error.value)
    assert "market_time.csv" in message and str(tampered) in message
    assert checksums["market_time.csv"] in message
    assert hashlib.sha256(tampered.read_bytes()).hexdigest() in message
    assert not (tmp_path / "raw" / "market_time.csv").exists(), "a bad file must not be left behind"


def test_a_stale_file_in_the_destination_is_replaced(source, tmp_path):
    destination = tmp_path / "raw"
    destination.mkdir()
    (destination / "money.csv").write_text("id;Прибыль\r\n1;0,5\r\n", encoding="utf-8")
    fetched = fetch.fetch_data(destination, [str(source)], fetch.read_checksums())
    assert {item.name for item in fetched if item.copied} == set(RAW_FILES)
    assert (destination / "money.csv").read_bytes() == (source / "money.csv").read_bytes()


def test_env_dir_takes_precedence_and_is_the_only_source(tmp_path):
    env = {fetch.DATA_DIR_ENV: str(tmp_path / "mine")}
    assert fetch.candidate_sources(env, shared_dir=tmp_path / "shared") == [str(tmp_path / "mine")]


def test_without_env_shared_folder_then_public_url(tmp_path):
    sources = fetch.candidate_sources({}, shared_dir=tmp_path / "shared")
    assert sources[0] == str(tmp_path / "shared")
    assert sources[1].startswith("https://")


def test_env_dir_is_used_by_the_cli(source, tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    monkeypatch.setenv(fetch.DATA_DIR_ENV, str(source))
    assert main(["fetch-data", "--dest", str(tmp_path / "raw")]) == 0
    assert str(source / "market_file.csv") in capsys.readouterr().out


def test_cli_reports_fetch_errors_without_traceback(tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    monkeypatch.setenv(fetch.DATA_DIR_ENV, str(tmp_path / "empty"))
    assert main(["fetch-data", "--dest", str(tmp_path / "raw")]) == 1
    err = capsys.readouterr().err
    assert "market_file.csv: not found" in err and "Traceback" not in err


def test_readme_lists_the_same_checksums_as_sha256sums():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name, digest in fetch.read_checksums(CHECKSUMS_FILE).items():
        assert f"| {name} | `{digest}` |" in readme


# --- another period's data from $ONECLICK_DATA_DIR ---------------------------------------------

ID_SHIFT = 100_000


@pytest.fixture
def next_quarter(source, tmp_path):
    """Valid data that are not the reference dataset: every id shifted, one profit changed."""
    folder = tmp_path / "next_quarter"
    folder.mkdir()
    for name in RAW_FILES:
        rows = read_rows(source / name)
        write_rows(folder / name, [rows[0]] + [[str(int(row[0]) + ID_SHIFT), *row[1:]] for row in rows[1:]])
    set_cell(folder / "money.csv", 2, "Прибыль", "1,23")
    return folder


def reference_fetch(destination, shared):
    """fetch-data without ONECLICK_DATA_DIR, with `shared` as ../shared/data."""
    return fetch.fetch_raw_data(destination, env={}, shared_dir=shared)


def other_fetch(destination, folder):
    return fetch.fetch_raw_data(destination, env={fetch.DATA_DIR_ENV: str(folder)})


def test_other_data_are_copied_and_their_provenance_recorded(next_quarter, tmp_path):
    destination = tmp_path / "raw"
    fetched = other_fetch(destination, next_quarter)
    assert not fetched.reference and fetched.source == str(next_quarter.resolve())
    record = json.loads((destination / fetch.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert record == fetched.provenance
    assert record["reference"] is False and record["source"] == str(next_quarter.resolve())
    assert [item["file"] for item in record["files"]] == list(RAW_FILES)
    for item in record["files"]:
        copied = (destination / item["file"]).read_bytes()
        assert copied == (next_quarter / item["file"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(copied).hexdigest() and item["bytes"] == len(copied)
        assert item["source"] == str(next_quarter.resolve() / item["file"])
        assert item["matches_reference"] is False


def test_a_folder_identical_to_the_reference_is_the_reference_dataset(source, tmp_path):
    fetched = other_fetch(tmp_path / "raw", source)
    assert fetched.reference and fetched.source == str(source.resolve())
    assert all(item["matches_reference"] for item in fetched.provenance["files"])


def test_invalid_other_data_are_refused_with_every_problem_and_nothing_is_copied(source, next_quarter,
                                                                                 tmp_path):
    destination = tmp_path / "raw"
    reference_fetch(destination, source)
    before = {path.name: path.read_bytes() for path in destination.iterdir()}
    set_cell(next_quarter / "money.csv", 3, "Прибыль", "4,1x")
    set_cell(next_quarter / "market_file.csv", 4, "Тип сервиса", "люкс")
    with pytest.raises(InvalidInputError) as error:
        other_fetch(destination, next_quarter)
    message = str(error.value)
    assert "is not the reference dataset" in message and "nothing was copied" in message
    assert "money.csv, column 'Прибыль', row 3: '4,1x' is not a number" in message
    assert {(problem.file, problem.column, problem.row) for problem in error.value.problems} >= {
        ("money.csv", "Прибыль", 3), ("market_file.csv", "Тип сервиса", 4)}
    assert {path.name: path.read_bytes() for path in destination.iterdir()} == before


def test_reference_sources_must_match_the_checksums_even_when_the_data_are_valid(next_quarter, tmp_path):
    """Only $ONECLICK_DATA_DIR may hold other data: the same valid folder as ../shared/data is refused."""
    with pytest.raises(DataFetchError) as error:
        reference_fetch(tmp_path / "raw", next_quarter)
    assert "market_file.csv" in str(error.value) and "SHA-256 mismatch" in str(error.value)
    assert fetch.DATA_DIR_ENV in str(error.value)
    assert not (tmp_path / "raw" / "market_file.csv").exists()
    assert not (tmp_path / "raw" / fetch.PROVENANCE_FILE).exists()


def test_switching_back_restores_the_reference_files(source, next_quarter, tmp_path):
    destination = tmp_path / "raw"
    reference_fetch(destination, source)
    other_fetch(destination, next_quarter)
    other_times = {name: (destination / name).stat().st_mtime_ns for name in RAW_FILES}
    fetched = reference_fetch(destination, source)
    assert fetched.reference and all(item.copied for item in fetched.files)
    for name in RAW_FILES:
        assert (destination / name).read_bytes() == (source / name).read_bytes()
        assert (destination / name).stat().st_mtime_ns >= other_times[name]  # make sees the change
    record = json.loads((destination / fetch.PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert record["reference"] is True and record["source"] == str(source)


def test_a_repeated_fetch_copies_nothing_and_keeps_the_record(next_quarter, tmp_path):
    destination = tmp_path / "raw"
    other_fetch(destination, next_quarter)
    record = destination / fetch.PROVENANCE_FILE
    written = record.stat().st_mtime_ns
    again = other_fetch(destination, next_quarter)
    assert not any(item.copied for item in again.files)
    assert record.stat().st_mtime_ns == written and again.source == str(next_quarter.resolve())


def test_results_decide_reference_from_the_files_not_from_the_record(next_quarter, source, tmp_path):
    """A stale PROVENANCE.json claiming the reference dataset cannot label other files as reference."""
    destination = tmp_path / "raw"
    reference_fetch(destination, source)
    claim = (destination / fetch.PROVENANCE_FILE).read_text(encoding="utf-8")
    for name in RAW_FILES:
        shutil.copy(next_quarter / name, destination / name)
    (destination / fetch.PROVENANCE_FILE).write_text(claim, encoding="utf-8")
    files = summary.raw_files_summary(destination, load_raw_data(destination))
    provenance = summary.data_provenance(files, fetch.read_provenance(destination), fetch.read_checksums(),
                                         destination)
    assert provenance["reference"] is False and not provenance["source_recorded"]
    assert provenance["source"] == str(destination)
    assert provenance["differing_files"] == list(RAW_FILES)


def test_results_carry_the_recorded_source_of_other_data(next_quarter, tmp_path):
    destination = tmp_path / "raw"
    other_fetch(destination, next_quarter)
    files = summary.raw_files_summary(destination, load_raw_data(destination))
    provenance = summary.data_provenance(files, fetch.read_provenance(destination), fetch.read_checksums(),
                                         destination)
    assert provenance["reference"] is False and provenance["source_recorded"]
    assert provenance["source"] == str(next_quarter.resolve())
    assert [item["sha256"] for item in provenance["files"]] == [
        hashlib.sha256((next_quarter / name).read_bytes()).hexdigest() for name in RAW_FILES]


def test_cli_says_when_the_data_are_not_the_reference(next_quarter, tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    monkeypatch.setenv(fetch.DATA_DIR_ENV, str(next_quarter))
    assert main(["fetch-data", "--dest", str(tmp_path / "raw")]) == 0
    out = capsys.readouterr().out
    assert "validated by schema" in out and "not the reference dataset" in out


def test_cli_lists_the_problems_of_invalid_other_data(next_quarter, tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    set_cell(next_quarter / "market_time.csv", 2, "минут", "-3")
    monkeypatch.setenv(fetch.DATA_DIR_ENV, str(next_quarter))
    assert main(["fetch-data", "--dest", str(tmp_path / "raw")]) == 1
    err = capsys.readouterr().err
    assert "market_time.csv, column 'минут', row 2" in err and "Traceback" not in err
    assert not (tmp_path / "raw").exists()


def test_reference_files_already_in_place_are_attributed_to_an_identical_source(source, tmp_path):
    destination = tmp_path / "raw"
    destination.mkdir()
    for name in RAW_FILES:
        shutil.copy(source / name, destination / name)
    fetched = reference_fetch(destination, source)
    assert not any(item.copied for item in fetched.files)
    assert fetched.reference and fetched.source == str(source)


def test_pages_say_which_dataset_the_report_was_built_on(next_quarter, source, tmp_path):
    from analysis.report import environment

    def built_on(folder):
        fetched = other_fetch(tmp_path / folder.name, folder)
        files = summary.raw_files_summary(tmp_path / folder.name, load_raw_data(tmp_path / folder.name))
        return summary.data_provenance(files, fetched.provenance, fetch.read_checksums(), tmp_path / folder.name)

    other, reference = built_on(next_quarter), built_on(source)
    banner = environment.dataset_banner(other, "chapters/methods.qmd#data")
    assert "не на эталонных данных" in banner and f"«{next_quarter.name}»" in banner
    assert str(next_quarter.resolve()) not in banner  # a reader is not shown the build machine's folders
    assert "(chapters/methods.qmd#data)" in banner and banner.startswith("::: {.callout-warning}")
    note = environment.dataset_note(other)
    assert "Не эталонный набор" in note and all(f"`{name}`" in note for name in RAW_FILES)
    assert environment.dataset_banner(reference, "chapters/methods.qmd#data") == ""
    assert "Эталонный набор" in environment.dataset_note(reference)
    assert str(source) not in environment.dataset_note(reference) + note


def test_the_data_source_is_named_as_the_readme_names_it_never_by_machine_path(tmp_path):
    from analysis.report import environment
    from analysis.constants import PUBLIC_DATA_URL

    shared = tmp_path / "shared" / "data"
    assert environment.source_name(str(shared), shared) == "папка `../shared/data/` рядом с репозиторием"
    assert environment.source_name(PUBLIC_DATA_URL + "market_file.csv", shared).startswith("публичный адрес курса")
    other = environment.source_name(str(tmp_path / "q3"), shared)
    assert other == "папка из `ONECLICK_DATA_DIR` («q3»)" and str(tmp_path) not in other
