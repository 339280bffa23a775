"""Invoice number patterns such as ``15/[1000]``.

The text outside the brackets is fixed; the digits inside the brackets are the
first number of the sequence: ``15/[1000]`` numbers invoices 15/1000, 15/1001,
15/1002… Numbers are integers, so 15/9999 is followed by 15/10000 (never sorted
as text). A seed written with leading zeros keeps its width: ``F-[0001]`` gives
F-0001, F-0002…
"""

import re
from typing import NamedTuple

# The sequence number is stored in a PostgreSQL integer column.
MAX_SEED_DIGITS = 9

EMPTY = "empty"
NO_BRACKETS = "no_brackets"
UNBALANCED = "unbalanced"
SEVERAL_GROUPS = "several_groups"
NOT_NUMERIC = "not_numeric"
TOO_LARGE = "too_large"


class PatternError(ValueError):
    """A pattern that cannot number invoices; ``code`` says why."""

    def __init__(self, code, pattern):
        super().__init__(f"{code}: {pattern!r}")
        self.code = code
        self.pattern = pattern


class InvoicePattern(NamedTuple):
    prefix: str
    seed: int
    width: int
    suffix: str


def parse_pattern(pattern):
    """Return the :class:`InvoicePattern` of ``pattern``; raise :class:`PatternError`."""
    text = (pattern or "").strip()
    if not text:
        raise PatternError(EMPTY, pattern)
    opening, closing = text.count("["), text.count("]")
    if not opening and not closing:
        raise PatternError(NO_BRACKETS, pattern)
    if opening > 1 or closing > 1:
        raise PatternError(SEVERAL_GROUPS, pattern)
    start, end = text.find("["), text.find("]")
    if opening != closing or end < start:
        raise PatternError(UNBALANCED, pattern)
    seed_text = text[start + 1 : end]
    if not re.fullmatch(r"[0-9]+", seed_text):
        raise PatternError(NOT_NUMERIC, pattern)
    if len(seed_text) > MAX_SEED_DIGITS:
        raise PatternError(TOO_LARGE, pattern)
    return InvoicePattern(text[:start], int(seed_text), len(seed_text), text[end + 1 :])


def format_number(pattern, number):
    """Return invoice number ``number`` of ``pattern`` (an :class:`InvoicePattern`)."""
    return f"{pattern.prefix}{number:0{pattern.width}d}{pattern.suffix}"


def parse_number(pattern, text):
    """Return the integer that ``pattern`` formats as ``text``, or None when
    ``text`` is not a number of that pattern."""
    if not text or not text.startswith(pattern.prefix) or not text.endswith(pattern.suffix):
        return None
    digits = text[len(pattern.prefix) : len(text) - len(pattern.suffix)]
    if not re.fullmatch(r"[0-9]+", digits):
        return None
    number = int(digits)
    return number if format_number(pattern, number) == text else None


def next_candidates(pattern, first, count):
    """Return ``count`` (number, text) pairs of ``pattern`` from ``first`` on."""
    return [(number, format_number(pattern, number)) for number in range(first, first + count)]


def split_numbers(text):
    """Return the invoice numbers listed in a contract's external code.

    Numbers are separated by commas (semicolons and new lines are accepted
    too); blanks around them and empty items are dropped, order is kept and
    duplicates are listed once.
    """
    numbers = (item.strip() for item in re.split(r"[,;\n]", text or ""))
    return list(dict.fromkeys(number for number in numbers if number))
