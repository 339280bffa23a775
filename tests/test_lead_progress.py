"""Integria's progress codes (integria_crm/tools/lead_progress.py)."""

import pytest
from conftest import load_tool

progress = load_tool("lead_progress")


def test_the_nine_codes_of_the_spec():
    assert sorted(progress.PROGRESS_CODES) == [0, 20, 40, 60, 80, 100, 101, 102, 200]
    assert set(progress.OPEN_CODES) | set(progress.LOST_CODES) | {progress.WON_CODE} == set(progress.PROGRESS_CODES)


@pytest.mark.parametrize(("code", "closed"), [(0, False), (80, False), (100, True), (102, True), (200, True)])
def test_codes_from_100_are_closed(code, closed):
    assert progress.is_closed(code) is closed


@pytest.mark.parametrize(("code", "expected"), [(0, 20), (20, 40), (60, 80), (80, 80), (101, 101), (200, 200)])
def test_next_open_code(code, expected):
    assert progress.next_open_code(code) == expected


def test_stage_without_code_takes_the_code_before_it():
    coded = [(1, 0), (2, 20), (5, 40)]
    assert progress.open_code_at(coded, 3) == 20
    assert progress.open_code_at(coded, 5) == 40
    assert progress.open_code_at(coded, 0) == 0
    assert progress.open_code_at([], 9) == 0


def test_conversion_ratio_without_division_by_zero():
    assert progress.conversion_ratio(0, 0) == 0.0
    assert progress.conversion_ratio(1, 4) == 0.25
