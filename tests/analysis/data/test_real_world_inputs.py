"""Exports as people really send them (issue 17): other encodings, out-of-range and non-finite numbers,
ids written as floats. Each is refused with file, column, row and the true problem, exit 1, no traceback."""

from __future__ import annotations

import codecs
import shutil
import subprocess

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from csv_edit import read_rows, set_cell, write_rows

from analysis.cli import main
from analysis.data.load import load_raw_data
from analysis.errors import InvalidInputError
from analysis.data.schemas import raw_schema


def problems_of(folder) -> list:
    with pytest.raises(InvalidInputError) as error:
        load_raw_data(folder)
    return list(error.value.problems)


def reencode(path, encode) -> None:
    path.write_bytes(encode(path.read_bytes().decode("utf-8-sig")))


def assert_cli_refuses(folder, capsys, *words) -> str:
    assert main(["validate", "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for word in words:
        assert word in err
    return err


# 1. Encodings: the message names the encoding actually found ------------------

ENCODINGS = [  # (file, how it is written, the name the message must give, iconv's -f)
    ("money.csv", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "UTF-16LE with a BOM", "UTF-16"),
    ("money.csv", lambda text: text.encode("utf-16-be"), "UTF-16BE without a BOM", "UTF-16BE"),
    ("market_time.csv", lambda text: text.encode("utf-16-le"), "UTF-16LE without a BOM", "UTF-16LE"),
    ("market_time.csv", lambda text: text.encode("utf-32"), "UTF-32LE with a BOM", "UTF-32"),
    ("market_money.csv", lambda text: text.encode("utf-32-be"), "UTF-32BE without a BOM", "UTF-32BE"),
    ("market_file.csv", lambda text: text.encode("cp1251"), "Windows-1251", "CP1251"),
    ("market_file.csv", lambda text: text.encode("koi8_r"), "KOI8-R", "KOI8-R"),
    ("market_money.csv", lambda text: text.encode("cp866"), "CP866", "CP866"),
]


@pytest.mark.parametrize("name, encode, found, iconv", ENCODINGS, ids=lambda value: value if isinstance(value, str)
                         and " " in value else None)
def test_a_file_in_another_encoding_is_named_with_its_conversion(data_copy, capsys, name, encode, found, iconv):
    reencode(data_copy / name, encode)
    [problem] = problems_of(data_copy)
    assert (problem.file, problem.row) == (name, 1)
    assert f"the file is {found}" in problem.issue
    assert f"iconv -f {iconv} -t UTF-8 {name}" in problem.expected
    if found != "Windows-1251":
        assert "1251" not in str(problem)
    assert_cli_refuses(data_copy, capsys, name, found)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv is not installed")
@pytest.mark.parametrize("name, encode, found, iconv", ENCODINGS[:1] + ENCODINGS[3:4] + ENCODINGS[6:7])
def test_following_the_advice_gives_a_valid_file(data_copy, raw, name, encode, found, iconv):
    """The issue's complaint: the old advice (cp1251 for a UTF-16 file) gave 2 602 new problems."""
    reencode(data_copy / name, encode)
    [problem] = problems_of(data_copy)
    command = problem.expected.split("convert it: ", 1)[1]
    subprocess.run(command, shell=True, cwd=data_copy, check=True)
    (data_copy / name.replace(".csv", ".utf8.csv")).replace(data_copy / name)
    again = load_raw_data(data_copy)
    pd.testing.assert_frame_equal(again.frames()[name], raw.frames()[name])


def test_utf8_with_a_bom_is_accepted(data_copy, raw):
    reencode(data_copy / "money.csv", lambda text: codecs.BOM_UTF8 + text.encode("utf-8"))
    pd.testing.assert_frame_equal(load_raw_data(data_copy).money, raw.money)


def test_text_in_no_cyrillic_encoding_gets_no_cyrillic_advice(data_copy):
    path = data_copy / "money.csv"
    rows = read_rows(path)
    rows[0][1] = "Profit"
    rows[5][1] = "café"
    path.write_bytes("".join(";".join(row) + "\r\n" for row in rows).encode("latin-1"))
    [problem] = problems_of(data_copy)
    assert (problem.row, problem.column) == (6, "Profit")
    assert "not valid UTF-8" in problem.issue and "1251" in problem.issue  # listed as tried, not suggested
    assert "does not read as" in problem.issue and "iconv" not in problem.expected


def test_one_value_in_windows_1251_inside_a_utf8_file_is_pointed_at(data_copy):
    path = data_copy / "market_file.csv"
    rows = read_rows(path)
    column = rows[0].index("Популярная_категория")
    value = rows[9][column]
    lines = [",".join(row) + "\r\n" for row in rows]
    before = "".join(lines[:9]) + ",".join(rows[9][:column]) + ","
    after = "," + ",".join(rows[9][column + 1:]) + "\r\n" + "".join(lines[10:])
    path.write_bytes(before.encode() + value.encode("cp1251") + after.encode())
    [problem] = problems_of(data_copy)
    assert (problem.column, problem.row, problem.value) == ("Популярная_категория", 10, value)
    assert "Windows-1251" in problem.issue and "otherwise UTF-8" in problem.issue


# 2. Integers beyond 64 bits ---------------------------------------------------

@pytest.mark.parametrize("name, row, column, written", [
    ("market_file.csv", 2, "id", "99999999999999999999"),
    ("market_file.csv", 3, "Длительность", "-99999999999999999999"),
    ("market_time.csv", 4, "минут", "18446744073709551615"),  # fits uint64, not int64
    ("market_money.csv", 5, "id", "9223372036854775808"),
    ("money.csv", 6, "id", "+000099999999999999999999"),
])
def test_an_integer_beyond_64_bits_is_out_of_range(data_copy, capsys, name, row, column, written):
    set_cell(data_copy / name, row, column, written)
    [problem] = problems_of(data_copy)
    assert (problem.file, problem.column, problem.row, problem.value) == (name, column, row, written)
    assert "out of range" in problem.issue and "9223372036854775807" in problem.expected
    assert_cli_refuses(data_copy, capsys, "out of range", f"row {row}")


def test_the_largest_int64_is_read_exactly(data_copy):
    set_cell(data_copy / "market_time.csv", 4, "минут", "9223372036854775807")
    assert load_raw_data(data_copy).market_time.loc[4, "минут"] == np.iinfo(np.int64).max


# 3. Ids written as floats: only the true problems -----------------------------

@pytest.mark.parametrize("written, issue", [
    ("215348.0", "a whole number written with a decimal point or exponent"),
    ("2.15348e5", "a whole number written with a decimal point or exponent"),
    ("215348,0", "a whole number written with a decimal point or exponent"),
    ("1.5", "is not a whole number"),
])
def test_an_id_written_as_a_float_is_one_problem_and_no_invented_conflict(data_copy, written, issue):
    path = data_copy / "money.csv"
    set_cell(path, 2, "id", written)
    set_cell(path, 3, "id", written.replace("8", "9", 1) if "8" in written else written)
    problems = problems_of(data_copy)
    assert [(p.file, p.column, p.row) for p in problems] == [("money.csv", "id", 2), ("money.csv", "id", 3)]
    assert all(issue in p.issue for p in problems)
    assert not any("differ" in p.issue for p in problems)


def test_a_whole_file_of_float_ids_reports_each_row_once(data_copy):
    """pandas writes an int column that held a missing value as floats: 1300 rows, 1300 problems, not 2600."""
    path = data_copy / "money.csv"
    rows = read_rows(path)
    write_rows(path, rows[:1] + [[row[0] + ".0", *row[1:]] for row in rows[1:]])
    problems = problems_of(data_copy)
    assert len(problems) == len(rows) - 1
    assert {p.row for p in problems} == set(range(2, len(rows) + 1))
    assert all("written with a decimal point" in p.issue for p in problems)


def test_an_unreadable_id_in_market_file_makes_no_other_id_unknown(data_copy):
    set_cell(data_copy / "market_file.csv", 2, "id", "215348.0")
    problems = problems_of(data_copy)
    assert [(p.file, p.column, p.row) for p in problems] == [("market_file.csv", "id", 2)]


def test_two_rows_with_an_unreadable_period_are_not_a_conflict(data_copy):
    path = data_copy / "market_time.csv"
    set_cell(path, 2, "Период", "")
    set_cell(path, 3, "Период", "")
    set_cell(path, 3, "id", read_rows(path)[1][0])
    problems = problems_of(data_copy)
    assert [(p.column, p.row, p.issue) for p in problems] == [
        ("Период", 2, "missing value"), ("Период", 3, "missing value")]


# 4. Non-finite numbers ----------------------------------------------------------

@pytest.mark.parametrize("name, column, written, issue", [
    ("market_file.csv", "Маркет_актив_6_мес", "1e400", "out of range"),
    ("market_file.csv", "Акционные_покупки", "-inf", "not a finite number"),
    ("market_money.csv", "Выручка", "1e400", "out of range"),
    ("market_money.csv", "Выручка", "inf", "not a finite number"),
    ("money.csv", "Прибыль", "nan", "not a finite number"),
    ("money.csv", "Прибыль", "-1e400", "out of range"),
    ("money.csv", "Прибыль", "1" + "0" * 400 + ",5", "out of range"),
    ("market_file.csv", "Длительность", "1e400", "out of range"),
    ("market_time.csv", "минут", "NaN", "not a finite number"),
    ("market_file.csv", "Маркет_актив_тек_мес", "-Infinity", "not a finite number"),
])
def test_a_non_finite_number_is_refused_at_validation(data_copy, capsys, name, column, written, issue):
    set_cell(data_copy / name, 7, column, written)
    [problem] = problems_of(data_copy)
    assert (problem.file, problem.column, problem.row, problem.value) == (name, column, 7, written)
    assert issue in problem.issue
    assert_cli_refuses(data_copy, capsys, name, f"row 7")


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_the_schema_itself_refuses_infinity_in_every_float_column(raw, value):
    """The loader reports the text; the schema is the rule for frames typed any other way."""
    for name, frame in raw.frames().items():
        for column in frame.select_dtypes("float64").columns:
            broken = frame.copy()
            broken.loc[broken.index[0], column] = value
            with pytest.raises(pa.errors.SchemaErrors) as error:
                raw_schema(name).validate(broken, lazy=True)
            assert "finite" in str(error.value.failure_cases["check"].tolist())
