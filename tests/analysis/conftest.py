"""Shared fixtures: the real raw data (read-only) and throw-away copies to break."""

from __future__ import annotations

import shutil

import pytest

from analysis.data.cleaning import clean
from analysis.constants import RAW_FILES
from analysis.data.load import load_raw_data
from analysis.data.features import build_model_data
from analysis.paths import RAW_DATA_DIR


@pytest.fixture(scope="session")
def raw_dir():
    missing = [name for name in RAW_FILES if not (RAW_DATA_DIR / name).is_file()]
    if missing:
        pytest.skip(f"raw data missing ({missing}): run `python -m analysis fetch-data`")
    return RAW_DATA_DIR


@pytest.fixture(scope="session")
def raw(raw_dir):
    return load_raw_data(raw_dir)


@pytest.fixture(scope="session")
def clean_data(raw):
    return clean(raw)


@pytest.fixture(scope="session")
def model_data(clean_data):
    return build_model_data(clean_data)


@pytest.fixture(scope="session")
def built(raw_dir, tmp_path_factory):
    """A fresh `build-results` of the real data into a temporary folder."""
    from analysis.cli import main

    out = tmp_path_factory.mktemp("results")
    assert main(["build-results", "--data-dir", str(raw_dir), "--out", str(out)]) == 0
    return out


@pytest.fixture
def data_copy(raw_dir, tmp_path):
    """A private copy of the four raw files, for building one defect at a time."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in RAW_FILES:
        shutil.copy(raw_dir / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def table(model_data):
    """The modelling table (1296 customers), as build-results writes it."""
    return model_data.table
