"""Invoice totals (integria_crm/tools/invoice_totals.py)."""

from decimal import ROUND_HALF_UP, Decimal

from conftest import load_tool

invoice_totals = load_tool("invoice_totals")


def _rounder(digits):
    quantum = Decimal(1).scaleb(-digits)

    def round_amount(amount):
        return float(Decimal(repr(amount)).quantize(quantum, rounding=ROUND_HALF_UP))

    return round_amount


def test_discount_two_taxes_and_a_retention_in_cents():
    totals = invoice_totals.compute_totals(
        [1000.0, 234.56], _rounder(2), discount_rate=10, tax_rates=(21, 5.2), retention_rate=15
    )
    assert totals.base == 1234.56
    assert totals.discount == 123.46  # 123.456
    assert totals.net == 1111.10
    assert totals.taxes == (233.33, 57.78)  # 233.331, 57.7772
    assert totals.tax_total == 291.11
    assert totals.retention == 166.67  # 166.665
    assert totals.total == 1235.54  # 1111.10 + 291.11 - 166.67


def test_currency_without_decimals():
    totals = invoice_totals.compute_totals(
        [1000, 235], _rounder(0), discount_rate=10, tax_rates=(21, 5.2), retention_rate=15
    )
    assert totals.base == 1235
    assert totals.discount == 124  # 123.5
    assert totals.net == 1111
    assert totals.taxes == (233, 58)  # 233.31, 57.772
    assert totals.retention == 167  # 166.65
    assert totals.total == 1235


def test_no_lines_no_rates():
    totals = invoice_totals.compute_totals([], _rounder(2))
    assert totals == (0, 0, 0, (), 0, 0, 0)


def test_float_noise_is_rounded_away():
    totals = invoice_totals.compute_totals([0.1, 0.2], _rounder(2), tax_rates=(21,))
    assert totals.base == 0.3
    assert totals.taxes == (0.06,)  # 0.063
    assert totals.total == 0.36


def test_billed_total_kept_and_the_figures_add_up():
    # Integria: base 100.01 x (21 + 5.2) % rounded once = 126.21; per tax: 21.00 + 5.20 = 126.21 as well;
    # a total billed a cent apart is kept and the last tax absorbs the cent
    totals = invoice_totals.compute_totals(
        [100.01], lambda value: round(value, 2), tax_rates=(21.0, 5.2), billed_total=126.22
    )
    assert totals.total == 126.22
    assert totals.taxes == (21.0, 5.21)
    assert round(totals.net + totals.tax_total - totals.retention, 2) == totals.total


def test_billed_total_without_taxes_goes_to_the_retention():
    totals = invoice_totals.compute_totals(
        [100.0], lambda value: round(value, 2), retention_rate=15.0, billed_total=84.99
    )
    assert (totals.retention, totals.total) == (15.01, 84.99)
