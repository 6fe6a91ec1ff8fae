"""downloads/ for each build: every result for the internal site, only aggregates for the public one."""

from __future__ import annotations

from analysis.report import publish
from analysis.report.publish import active_profiles, copy_downloads, is_customer_level


def _results(folder):
    folder.mkdir()
    (folder / "customers.csv").write_text("id,probability_drop\n215349,0.9\n", encoding="utf-8")
    (folder / "risk_by_segment.csv").write_text("segment,customer_id,share\nA,1,0.5\n", encoding="utf-8")
    (folder / "new_per_customer.csv").write_text("share,id\n0.5,215350\n", encoding="utf-8")
    (folder / "metrics.json").write_text("{}", encoding="utf-8")
    (folder / "model.skops").write_bytes(b"\0")
    return folder


def test_public_downloads_hold_no_customer_level_file_and_nothing_left_from_before(tmp_path):
    results, downloads = _results(tmp_path / "results"), tmp_path / "downloads"
    copy_downloads(downloads, results, active_profiles("internal"))
    assert sorted(p.name for p in downloads.iterdir()) == [
        "customers.csv", "metrics.json", "new_per_customer.csv", "risk_by_segment.csv"]
    copy_downloads(downloads, results, active_profiles("public"))
    # A file with an `id` column is customer-level even when no list names it.
    assert sorted(p.name for p in downloads.iterdir()) == ["metrics.json", "risk_by_segment.csv"]


def test_profiles_default_to_internal_and_read_quarto_profile_lists():
    assert active_profiles(None) == active_profiles("") == {"internal"}
    assert active_profiles("public") == {"public"}
    assert active_profiles("public, extra") == {"public", "extra"}


def test_customer_level_is_decided_by_name_or_id_column(tmp_path):
    results = _results(tmp_path / "results")
    assert is_customer_level(results / "customers.csv")
    assert is_customer_level(results / "new_per_customer.csv")
    assert not is_customer_level(results / "risk_by_segment.csv")
    assert not is_customer_level(results / "metrics.json")


def test_public_results_show_numbers_in_id_order_instead_of_ids(tmp_path):
    from analysis import report

    results = tmp_path / "results"
    results.mkdir()
    (results / "model_table.csv").write_text("id,copy_group,minutes\n215350,215350,12\n215349,215349,900001\n",
                                             encoding="utf-8")
    (results / "exclusions.csv").write_text("id,reason\n215348,zero revenue\n", encoding="utf-8")
    (results / "explain.json").write_text('{"representatives": [{"id": 215350, "shap": 0.5}], "n": 3}',
                                          encoding="utf-8")
    public = report.load(results, public=True)
    table = public.table("model_table")
    assert table["id"].tolist() == [3, 2] and table["copy_group"].tolist() == [3, 2]
    assert table["minutes"].tolist() == [12, 900001]  # not an id: unchanged
    assert public.json("explain") == {"representatives": [{"id": 3, "shap": 0.5}], "n": 3}
    assert report.load(results, public=False).table("model_table")["id"].tolist() == [215350, 215349]

    downloads = tmp_path / "downloads"
    copy_downloads(downloads, results, active_profiles("public"))
    assert sorted(p.name for p in downloads.iterdir()) == ["explain.json"]  # the others have an id column
    assert "215350" not in (downloads / "explain.json").read_text(encoding="utf-8")


def test_published_json_names_a_shared_data_folder_recorded_elsewhere_without_its_path():
    text = '{"source": "/tmp/other-clone/../shared/data", "file": "/srv/x/shared/data/money.csv", "n": 1}'
    assert publish.without_machine_paths(text) == \
        '{"source": "../shared/data", "file": "../shared/data/money.csv", "n": 1}'
