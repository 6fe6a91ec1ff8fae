"""number_format.py: the number every stage writes into its text, and report's page text built on it."""

from __future__ import annotations

import pytest

from analysis.number_format import NBSP, number_text
from analysis.report import formatting


@pytest.mark.parametrize("value, digits, expected", [
    (1300, 0, f"1{NBSP}300"), (4957.5, 1, f"4{NBSP}957,5"), (106862.2, 1, f"106{NBSP}862,2"),
    (0.383, 3, "0,383"), (-1234567.891, 2, f"-1{NBSP}234{NBSP}567,89"), (999.96, 1, f"1{NBSP}000,0"),
])
def test_thousands_take_a_no_break_space_and_decimals_a_comma(value, digits, expected):
    assert number_text(value, digits) == expected
    assert type(number_text(value, digits)) is str


def test_report_page_text_is_the_same_number_as_markdown_ready_text():
    page = formatting.number(106862.2, 1)
    assert isinstance(page, formatting.Text) and page == number_text(106862.2, 1)
    assert formatting.NBSP is NBSP


def test_a_value_that_is_not_a_number_is_refused():
    with pytest.raises((TypeError, ValueError)):
        number_text("4,1x")
