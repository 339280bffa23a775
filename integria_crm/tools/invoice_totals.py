"""Totals of an invoice.

base = sum of the lines; net = base - discount; each tax = net x its rate;
retention = net x its rate; total = net + taxes - retention. Every amount is
rounded to the currency, and the total is computed from the rounded amounts,
so that the figures printed on the invoice add up.
"""

from typing import NamedTuple


class InvoiceTotals(NamedTuple):
    base: float
    discount: float
    net: float
    taxes: tuple  # one amount per tax rate, in the order of the rates
    tax_total: float
    retention: float
    total: float


def compute_totals(
    line_amounts, round_amount, discount_rate=0.0, tax_rates=(), retention_rate=0.0, *, billed_total=None
):
    """Return the :class:`InvoiceTotals` of an invoice.

    :param line_amounts: the amounts of the lines
    :param round_amount: rounds an amount to the currency (``currency.round``)
    :param discount_rate: discount before taxes, in percent
    :param tax_rates: the rate of each tax, in percent
    :param retention_rate: retention subtracted from the total, in percent
    :param billed_total: the total another program billed for these figures
        (Integria adds the rates before applying them and rounds once): it
        is kept, and the difference of a cent or so goes to the last tax, or
        else to the retention, so that the printed figures still add up
    """
    base = round_amount(sum(line_amounts))
    discount = round_amount(base * (discount_rate or 0.0) / 100)
    net = round_amount(base - discount)
    taxes = tuple(round_amount(net * (rate or 0.0) / 100) for rate in tax_rates)
    tax_total = round_amount(sum(taxes))
    retention = round_amount(net * (retention_rate or 0.0) / 100)
    total = round_amount(net + tax_total - retention)
    if billed_total is not None and round_amount(billed_total) != total:
        difference = round_amount(billed_total - total)
        if taxes:
            taxes = (*taxes[:-1], round_amount(taxes[-1] + difference))
            tax_total = round_amount(sum(taxes))
        else:
            retention = round_amount(retention - difference)
        total = round_amount(billed_total)
    return InvoiceTotals(base, discount, net, taxes, tax_total, retention, total)
