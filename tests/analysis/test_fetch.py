"""fetch-data: the right file from the right place, or a message that says what is wrong."""

import hashlib
import shutil

import pytest

from analysis import fetch
from analysis.constants import RAW_FILES
from analysis.errors import DataFetchError
from analysis.paths import CHECKSUMS_FILE, DATA_DIR, RAW_DATA_DIR


@pytest.fixture
def source(tmp_path):
    """A copy of the real raw files, as a folder someone could point ONECLICK_DATA_DIR at."""
    folder = tmp_path / "source"
    folder.mkdir()
    for name in RAW_FILES:
        shutil.copy(RAW_DATA_DIR / name, folder / name)
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
