"""The downloads page: every published file described, every description published, units on real columns."""

import pytest

from analysis.report import downloads
from analysis.paths import RESULTS_DIR
from analysis.report.publish import copy_downloads


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("downloads")
    copy_downloads(folder, RESULTS_DIR)
    return folder


def test_every_published_file_is_described_and_every_description_is_published(published):
    names = [path.name for path in published.iterdir()]
    assert names, "copy_downloads published nothing"
    assert downloads.undescribed_and_missing(names) == ([], [])


def test_the_table_lists_each_file_with_its_real_columns_and_units(published):
    table = downloads.downloads_table(published).set_index("file")
    assert sorted(table.index) == sorted(downloads.DESCRIPTIONS)
    columns = dict(table.loc["customers.csv", "columns"])
    assert columns["id"] == "" and columns["probability_drop"] == downloads.units.PROBABILITY
    assert columns["profit"] == downloads.units.MONEY_PER_MONTH
    assert dict(table.loc["id_leak.json", "columns"])["roc_auc_id"].startswith("ROC-AUC")


def test_the_page_links_every_file_once(published):
    page = downloads.downloads_markdown(downloads.downloads_table(published))
    for name in downloads.DESCRIPTIONS:
        assert page.count(f"]({'../downloads/'}{name})") == 1


def test_an_undescribed_or_missing_file_fails_naming_it(published, tmp_path):
    (tmp_path / "new_table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"without a description in analysis/report/downloads.py: new_table.csv; "
                                         r"described but not published: .*action_list.csv"):
        downloads.downloads_table(tmp_path)


def test_a_unit_for_a_column_the_file_lacks_fails(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="t.csv: units given for columns the file does not have: c"):
        downloads.downloads_table(tmp_path, {"t.csv": downloads.Download("T.", {"c": "мин"})})


def test_published_json_names_the_data_folder_without_the_machine_path(published):
    import json

    from analysis.paths import DEFAULT_SHARED_DATA_DIR, PROJECT_ROOT

    text = (published / "provenance.json").read_text(encoding="utf-8")
    assert str(PROJECT_ROOT.parent) + "/" not in text
    built_from = json.loads((RESULTS_DIR / "provenance.json").read_text(encoding="utf-8"))["source"]
    if built_from == str(DEFAULT_SHARED_DATA_DIR):
        assert json.loads(text)["source"] == "../shared/data"  # as data/README.md names it


def test_a_public_build_lists_only_what_it_publishes(published, tmp_path):
    public = tmp_path / "public"
    public.mkdir()
    for path in published.glob("*"):
        if path.name != "customers.csv":
            (public / path.name).write_bytes(path.read_bytes())
    with pytest.raises(ValueError, match="described but not published: customers.csv"):
        downloads.downloads_table(public, complete=True)
    listed = downloads.downloads_table(public, complete=False)["file"].tolist()
    assert "customers.csv" not in listed and len(listed) == len(list(public.glob("*")))
