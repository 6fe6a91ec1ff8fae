"""Numbers and counted words for Russian prose: the plural rule and the no-break spaces."""

from __future__ import annotations

import pytest

from analysis.report.formatting import NBSP, counted, number, percent, plural

FORMS = ("опечатка", "опечатки", "опечаток")


@pytest.mark.parametrize("count, expected", [
    (0, "опечаток"), (1, "опечатка"), (2, "опечатки"), (3, "опечатки"), (4, "опечатки"), (5, "опечаток"),
    (10, "опечаток"), (11, "опечаток"), (12, "опечаток"), (14, "опечаток"), (20, "опечаток"),
    (21, "опечатка"), (22, "опечатки"), (25, "опечаток"), (101, "опечатка"), (111, "опечаток"),
    (112, "опечаток"), (122, "опечатки"), (1300, "опечаток"), (1301, "опечатка"), (1497, "опечаток"),
])
def test_plural_follows_the_last_two_digits(count, expected):
    assert plural(count, *FORMS) == expected


def test_plural_accepts_numpy_integers_and_negative_counts():
    np = pytest.importorskip("numpy")
    assert plural(np.int64(3), *FORMS) == "опечатки"
    assert plural(-1, *FORMS) == "опечатка"


def test_counted_joins_the_number_and_the_word_with_a_no_break_space():
    assert counted(3, *FORMS) == f"3{NBSP}опечатки"
    assert counted(1300, "покупатель", "покупателя", "покупателей") == f"1{NBSP}300{NBSP}покупателей"
    assert counted(231, "покупатель", "покупателя", "покупателей") == f"231{NBSP}покупатель"


def test_numbers_and_percents_use_the_decimal_comma():
    assert number(4957.5, 1) == f"4{NBSP}957,5"
    assert percent(0.383) == f"38,3{NBSP}%"
