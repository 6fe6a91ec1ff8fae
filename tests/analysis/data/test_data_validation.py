"""Loading and validation: the real files pass; each planted defect is named by file, column and row."""

from __future__ import annotations

import codecs
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from csv_edit import append_row, cell, column_values, drop_column, read_rows, set_cell, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.constants import RAW_FILES
from analysis.data.load import MAX_LISTED_PER_KIND, Problem, load_raw_data
from analysis.data.raw_text import python_whitespace, read_text_table, read_with_csv_module
from analysis.errors import InvalidInputError
from analysis.data.labels import COLUMNS, TARGET, raw_column
from analysis.data.synthetic import write_synthetic_dataset


@dataclass(frozen=True)
class Expected:
    file: str
    column: str | None = None
    row: int | None = None
    words: tuple[str, ...] = ()


def missing_file(folder: Path) -> Expected:
    (folder / "money.csv").unlink()
    return Expected("money.csv", words=("not found",))


def empty_file(folder: Path) -> Expected:
    (folder / "market_time.csv").write_bytes(b"")
    return Expected("market_time.csv", words=("empty",))


def header_only(folder: Path) -> Expected:
    path = folder / "market_money.csv"
    write_rows(path, read_rows(path)[:1])
    return Expected("market_money.csv", row=1, words=("only a header",))


def missing_column(folder: Path) -> Expected:
    drop_column(folder / "market_file.csv", "Длительность")
    return Expected("market_file.csv", "Длительность", 1, ("missing",))


def extra_column(folder: Path) -> Expected:
    """An unknown column is an error: a changed export must be reviewed, not silently ignored."""
    path = folder / "money.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0] + ["Бонус"]] + [row + ["1"] for row in rows[1:]])
    return Expected("money.csv", "Бонус", 1, ("unknown column",))


def wrong_separator(folder: Path) -> Expected:
    path = folder / "market_time.csv"
    write_rows(path, read_rows(path), sep=";")
    return Expected("market_time.csv", row=1, words=("separated by ';'",))


def non_numeric(folder: Path) -> Expected:
    set_cell(folder / "money.csv", 17, "Прибыль", "4,1x")
    return Expected("money.csv", "Прибыль", 17, ("'4,1x'", "not a number"))


def decimal_point_in_money(folder: Path) -> Expected:
    path = folder / "money.csv"
    set_cell(path, 9, "Прибыль", cell(path, 9, "Прибыль").replace(",", "."))
    return Expected("money.csv", "Прибыль", 9, ("decimal comma",))


def fraction_in_whole_column(folder: Path) -> Expected:
    set_cell(folder / "market_time.csv", 3, "минут", "12.5")
    return Expected("market_time.csv", "минут", 3, ("'12.5'", "whole number"))


def negative_revenue(folder: Path) -> Expected:
    path = folder / "market_money.csv"
    set_cell(path, 10, "Выручка", "-" + cell(path, 10, "Выручка"))
    return Expected("market_money.csv", "Выручка", 10, ("≥ 0",))


def share_above_one(folder: Path) -> Expected:
    set_cell(folder / "market_file.csv", 5, "Акционные_покупки", "1.5")
    return Expected("market_file.csv", "Акционные_покупки", 5, ("'1.5'", "from 0 to 1"))


def missing_value(folder: Path) -> Expected:
    set_cell(folder / "market_file.csv", 11, "Длительность", "")
    return Expected("market_file.csv", "Длительность", 11, ("missing value",))


def unknown_category(folder: Path) -> Expected:
    set_cell(folder / "market_file.csv", 8, "Популярная_категория", "Книги")
    return Expected("market_file.csv", "Популярная_категория", 8, ("'Книги'", "Кухонная посуда"))


def unknown_target(folder: Path) -> Expected:
    set_cell(folder / "market_file.csv", 12, "Покупательская активность", "Выросла")
    return Expected("market_file.csv", "Покупательская активность", 12, ("'Выросла'", "Снизилась"))


def conflicting_duplicate_id(folder: Path) -> Expected:
    path = folder / "market_file.csv"
    copy = read_rows(path)[18]  # row 19
    copy[-1] = str(int(copy[-1]) + 1)
    last = append_row(path, copy)
    return Expected("market_file.csv", "id", 19, (f"rows 19, {last}", "one row per 'id'"))


def conflicting_period_row(folder: Path) -> Expected:
    path = folder / "market_time.csv"
    copy = read_rows(path)[4]  # row 5
    copy[-1] = str(int(copy[-1]) + 1)
    last = append_row(path, copy)
    return Expected("market_time.csv", "id + Период", 5, (f"rows 5, {last}",))


def conflict_hidden_by_a_typo(folder: Path) -> Expected:
    """Row 3 says 'предыдцщий_месяц'; a new row for the same customer and 'предыдущий_месяц' conflicts with it."""
    path = folder / "market_time.csv"
    copy = read_rows(path)[2]  # row 3
    assert copy[1] == "предыдцщий_месяц"
    last = append_row(path, [copy[0], "предыдущий_месяц", str(int(copy[2]) + 1)])
    return Expected("market_time.csv", "id + Период", 3, (f"rows 3, {last}",))


def unknown_period(folder: Path) -> Expected:
    set_cell(folder / "market_time.csv", 30, "Период", "позапрошлый_месяц")
    return Expected("market_time.csv", "Период", 30, ("'позапрошлый_месяц'",))


def id_unknown_to_market_file(folder: Path) -> Expected:
    set_cell(folder / "market_money.csv", 40, "id", "999999")
    return Expected("market_money.csv", "id", 40, ("'999999'", "market_file.csv"))


def not_utf8(folder: Path) -> Expected:
    """One cell re-encoded as Windows-1251: the offset, row and column of the first bad byte are named."""
    path = folder / "market_file.csv"
    rows = read_rows(path)
    column = rows[0].index("Тип сервиса")
    lines = [",".join(row) + "\r\n" for row in rows]
    before = "".join(lines[:5]) + ",".join(rows[5][:column]) + ","
    after = "," + ",".join(rows[5][column + 1:]) + "\r\n" + "".join(lines[6:])
    prefix = before.encode("utf-8")
    path.write_bytes(prefix + rows[5][column].encode("cp1251") + after.encode("utf-8"))
    return Expected("market_file.csv", "Тип сервиса", 6,
                    ("not valid UTF-8", f"byte offset {len(prefix)}", "Windows-1251"))


def ragged_row(folder: Path) -> Expected:
    path = folder / "money.csv"
    rows = read_rows(path)
    rows[8].append("5")
    write_rows(path, rows)
    return Expected("money.csv", row=9, words=("3 fields", "2 fields"))


DEFECTS = [missing_file, empty_file, header_only, missing_column, extra_column, wrong_separator, non_numeric,
           decimal_point_in_money, fraction_in_whole_column, negative_revenue, share_above_one, missing_value,
           unknown_category, unknown_target, conflicting_duplicate_id, conflicting_period_row,
           conflict_hidden_by_a_typo, unknown_period,
           id_unknown_to_market_file, not_utf8, ragged_row]


def test_real_files_pass_and_keep_their_shape(raw):
    for name, frame in raw.frames().items():
        assert list(frame.columns) == list(COLUMNS[name])
        assert frame.index[0] == 2, "row numbers follow the file: header is row 1"
    assert raw.market_file["id"].is_unique


def test_numbers_match_an_independent_reading(raw, raw_dir):
    money = pd.read_csv(raw_dir / "money.csv", sep=";", decimal=",")
    assert raw.money["Прибыль"].tolist() == money["Прибыль"].tolist()
    market_file = pd.read_csv(raw_dir / "market_file.csv")
    assert raw.market_file["Акционные_покупки"].tolist() == market_file["Акционные_покупки"].tolist()


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda defect: defect.__name__)
def test_each_defect_is_named_by_file_column_and_row(defect, data_copy, capsys):
    expected = defect(data_copy)
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy)
    matching = [p for p in error.value.problems
                if p.file == expected.file and p.column == expected.column and p.row == expected.row]
    assert matching, f"no problem at {expected}; got {[str(p) for p in error.value.problems]}"
    message = str(error.value)
    line = str(matching[0])
    assert f"  {line}" in message.splitlines()
    assert line.startswith(expected.file)
    if expected.column:
        for part in expected.column.split(" + "):
            assert part in line
    if expected.row:
        assert f"row {expected.row}" in line
    for word in expected.words:
        assert word in message

    assert main(["validate", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert expected.file in err and "Traceback" not in err


def test_there_are_at_least_fifteen_malformed_cases():
    assert len(DEFECTS) >= 15


def test_every_problem_is_collected_before_raising(data_copy):
    non_numeric(data_copy)
    share_above_one(data_copy)
    unknown_period(data_copy)
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy)
    assert {(p.file, p.row) for p in error.value.problems} == {
        ("money.csv", 17), ("market_file.csv", 5), ("market_time.csv", 30)}


def test_long_runs_of_one_problem_are_summarised(data_copy):
    path = data_copy / "market_time.csv"
    rows = read_rows(path)
    bad = len(rows) - 1
    write_rows(path, rows[:1] + [row[:-1] + ["-" + row[-1]] for row in rows[1:]])
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy)
    assert len(error.value.problems) == bad
    assert f"… and {bad - MAX_LISTED_PER_KIND} more" in str(error.value)
    assert len(str(error.value).splitlines()) < 20


def test_bom_and_lf_line_endings_are_accepted(data_copy, raw):
    path = data_copy / "market_file.csv"
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes().replace(b"\r\n", b"\n"))
    again = load_raw_data(data_copy)
    pd.testing.assert_frame_equal(again.market_file, raw.market_file)


def test_exact_repeats_and_label_spellings_pass_validation(data_copy):
    """Both are cleaning's job (and appear in its audit), not reasons to reject the data."""
    path = data_copy / "money.csv"
    append_row(path, read_rows(path)[1])
    set_cell(data_copy / "market_file.csv", 3, "Тип сервиса", " Премиум ")
    loaded = load_raw_data(data_copy)
    assert len(loaded.money) == len(read_rows(path)) - 1
    assert loaded.market_file.loc[3, "Тип сервиса"] == " Премиум "


def test_blank_lines_are_skipped_without_shifting_row_numbers(data_copy):
    path = data_copy / "money.csv"
    rows = read_rows(path)
    write_rows(path, rows[:5] + [[""]] + rows[5:])
    set_cell(path, 12, "Прибыль", "abc")
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy)
    [problem] = error.value.problems
    assert problem.row == 12 and problem.value == "abc"


def test_validate_command_prints_a_summary_of_the_real_data(raw_dir, capsys):
    assert main(["validate", "--data-dir", str(raw_dir)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out
    for name in RAW_FILES:
        assert name in out
    typo_rows = column_values(raw_dir / "market_file.csv", "Тип сервиса").count("стандартт")
    assert f"'стандартт' -> 'стандарт' ({typo_rows} rows)" in out
    assert len(out.splitlines()) <= 25


# Scoring inputs: the target and money.csv may be absent ---------------------

TARGET_COLUMN = raw_column("market_file.csv", TARGET)


def test_a_scoring_input_may_leave_out_the_target_and_money(data_copy, raw):
    drop_column(data_copy / "market_file.csv", TARGET_COLUMN)
    (data_copy / "money.csv").unlink()
    loaded = load_raw_data(data_copy, require_target=False, require_money=False)
    assert loaded.money is None
    assert list(loaded.frames()) == list(RAW_FILES[:3])
    pd.testing.assert_frame_equal(loaded.market_file, raw.market_file.drop(columns=TARGET_COLUMN))
    pd.testing.assert_frame_equal(loaded.market_money, raw.market_money)


def test_by_default_the_target_and_money_are_still_required(data_copy):
    drop_column(data_copy / "market_file.csv", TARGET_COLUMN)
    (data_copy / "money.csv").unlink()
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy)
    found = {(p.file, p.column, p.row) for p in error.value.problems}
    assert found == {("market_file.csv", TARGET_COLUMN, 1), ("money.csv", None, None)}


@pytest.mark.parametrize("defect", [d for d in DEFECTS if d is not missing_file], ids=lambda d: d.__name__)
def test_a_scoring_input_gets_the_same_problems(defect, data_copy):
    """Relaxing what must be present changes nothing about what is checked when it is there."""
    defect(data_copy)
    with pytest.raises(InvalidInputError) as strict:
        load_raw_data(data_copy)
    with pytest.raises(InvalidInputError) as relaxed:
        load_raw_data(data_copy, require_target=False, require_money=False)
    assert relaxed.value.problems == strict.value.problems


def test_problems_are_named_the_same_without_the_target_column(data_copy):
    drop_column(data_copy / "market_file.csv", TARGET_COLUMN)
    expected = [non_numeric(data_copy), share_above_one(data_copy)]
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(data_copy, require_target=False)
    assert [(p.file, p.column, p.row) for p in error.value.problems] == [
        (e.file, e.column, e.row) for e in sorted(expected, key=lambda e: RAW_FILES.index(e.file))]


# Large files: the fast reader names the same rows ---------------------------

LARGE = 20_000


@pytest.fixture(scope="module")
def large_dir(raw_dir, tmp_path_factory):
    return write_synthetic_dataset(raw_dir, tmp_path_factory.mktemp("large"), LARGE)


@pytest.fixture
def large_copy(large_dir, tmp_path):
    return Path(shutil.copytree(large_dir, tmp_path / "large"))


def only_problem(folder: Path) -> Problem:
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(folder)
    [problem] = error.value.problems
    return problem


def test_a_bad_number_on_a_late_row_is_named_exactly(large_copy):
    path = large_copy / "market_money.csv"
    row = 3 * LARGE - 1
    set_cell(path, row, "Выручка", "4971.6 руб")
    problem = only_problem(large_copy)
    assert (problem.file, problem.column, problem.row) == ("market_money.csv", "Выручка", row)
    assert problem.value == "4971.6 руб"
    assert "decimal point" in problem.expected


def test_a_wrong_field_count_on_a_late_row_is_named_exactly(large_copy):
    path = large_copy / "market_time.csv"
    rows = read_rows(path)
    row = len(rows) - 2
    rows[row - 1] = rows[row - 1] + ["7"]
    write_rows(path, rows)
    problem = only_problem(large_copy)
    assert (problem.file, problem.row, problem.issue) == ("market_time.csv", row, "4 fields")
    assert problem.value == ",".join(rows[row - 1])


def test_blank_lines_in_a_large_file_do_not_shift_row_numbers(large_copy):
    path = large_copy / "money.csv"
    rows = read_rows(path)
    write_rows(path, rows[:100] + [[""], ["  ", " "]] + rows[100:])
    row = len(rows) + 2  # the last row, two blank lines further down
    set_cell(path, row, "Прибыль", "n/a")
    problem = only_problem(large_copy)
    assert (problem.file, problem.column, problem.row, problem.value) == ("money.csv", "Прибыль", row, "n/a")


def test_an_unknown_id_in_a_large_file_is_quoted_as_written(large_copy):
    path = large_copy / "market_time.csv"
    set_cell(path, 2 * LARGE, "id", "0042")
    problem = only_problem(large_copy)
    assert (problem.column, problem.row, problem.value) == ("id", 2 * LARGE, "0042")


# The two readers agree ------------------------------------------------------

def mangled_lines(draw_lines: list[str], edits: list[tuple[int, str]]) -> list[str]:
    lines = list(draw_lines)
    for position, edit in edits:
        at = 1 + position % len(lines)  # never before the header
        if edit == "drop_field":
            lines[min(at, len(lines) - 1)] = lines[min(at, len(lines) - 1)].rsplit(",", 1)[0]
        elif edit == "add_field":
            lines[min(at, len(lines) - 1)] += ",5"
        else:
            lines.insert(at, edit)
    return lines


EDITS = st.sampled_from(["", "   ", "\t", "\u00a0", " , ,", ",,", " ,", ",,,,", "\x1c", "drop_field", "add_field"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 40), EDITS), max_size=4), line_end=st.sampled_from(["\r\n", "\n"]),
       final_break=st.booleans(), bom=st.booleans())
def test_the_fast_reader_and_the_csv_module_read_alike(raw_dir, tmp_path, edits, line_end, final_break, bom):
    """Blank and ragged lines, line endings and a BOM: same frame, same problems, from either reader."""
    lines = (raw_dir / "market_money.csv").read_text(encoding="utf-8").splitlines()[:30]
    text = line_end.join(mangled_lines(lines, edits)) + (line_end if final_break else "")
    path = tmp_path / "market_money.csv"
    path.write_bytes(codecs.BOM_UTF8 * bom + text.encode("utf-8"))
    fast_frame, fast_problems = read_text_table(path)
    slow_frame, slow_problems = read_with_csv_module(path.name, path.read_bytes(), ",")
    assert fast_problems == slow_problems
    if slow_frame is None:
        assert fast_frame is None
    else:
        pd.testing.assert_frame_equal(fast_frame, slow_frame)


def test_the_whitespace_the_fast_reader_skips_is_pythons():
    """Blank lines are those `str.strip` empties; the fast reader's character class must list them all."""
    every_space = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(python_whitespace()) == every_space
