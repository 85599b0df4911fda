"""Formula-safe CSV cells."""

import pytest

from core.csv import safe_cell


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A2)", "+1", "-2", "@cmd", "\tTabbed", "\rReturn", '=HYPERLINK("x")']
)
def test_text_a_spreadsheet_would_run_is_prefixed(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Sam", "Family 1", "2026-11-26", " =later", "a=b", ""])
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


def test_none_is_an_empty_cell_and_numbers_are_text():
    assert safe_cell(None) == ""
    assert safe_cell(3) == "3"
    assert safe_cell(-3) == "'-3"
