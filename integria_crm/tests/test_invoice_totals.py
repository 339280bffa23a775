from datetime import datetime

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import IntegriaInvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceTotals(IntegriaInvoiceCase):
    """base = sum of lines; net = base - discount; taxes = net x each rate;
    retention = net x rate; total = net + taxes - retention; rounded to the
    currency."""

    def _full_invoice(self, currency, amounts):
        return self._create_invoice(
            self.customer_a,
            amounts=amounts,
            currency_id=currency.id,
            discount_name="Volume discount",
            discount_rate=10,
            tax_ids=[Command.set((self.iva_21 | self.tax_5_2).ids)],
            retention_id=self.irpf_15.id,
        )

    def test_discount_two_taxes_and_retention_in_cents(self):
        invoice = self._full_invoice(self.eur, [1000.0, 234.56])
        self.assertRecordValues(
            invoice,
            [
                {
                    "amount_base": 1234.56,
                    "amount_discount": 123.46,  # 123.456
                    "amount_net": 1111.10,
                    "amount_tax": 291.11,  # 233.331 + 57.7772
                    "amount_retention": 166.67,  # 166.665
                    "amount_total": 1235.54,
                }
            ],
        )
        self.assertEqual(invoice._get_tax_amounts(), [(self.iva_21, 233.33), (self.tax_5_2, 57.78)])

    def test_currency_without_decimals(self):
        yen = self.env.ref("base.JPY")
        self.assertEqual(yen.decimal_places, 0)
        invoice = self._full_invoice(yen, [1000, 235])
        self.assertRecordValues(
            invoice,
            [
                {
                    "amount_base": 1235,
                    "amount_discount": 124,  # 123.5
                    "amount_net": 1111,
                    "amount_tax": 291,  # 233.31 -> 233, 57.772 -> 58
                    "amount_retention": 167,  # 166.65
                    "amount_total": 1235,
                }
            ],
        )
        self.assertEqual([amount for _tax, amount in invoice._get_tax_amounts()], [233, 58])

    def test_totals_follow_changes(self):
        invoice = self._create_invoice(self.customer_a, user=self.user1, amounts=[100.0])
        self.assertEqual(invoice.amount_total, 100.0)
        invoice.write({"line_ids": [Command.create({"description": "Extra", "amount": 50.0})]})
        invoice.tax_ids = self.iva_21
        self.assertEqual(invoice.amount_total, 181.5)
        invoice.line_ids[0].amount = 200.0
        self.assertEqual(invoice.amount_total, 302.5)
        invoice.discount_rate = 50
        self.assertEqual((invoice.amount_net, invoice.amount_total), (125.0, 151.25))

    def test_rate_of_a_used_tax_cannot_change(self):
        self._create_invoice(self.customer_a, tax_ids=[Command.set(self.iva_21.ids)])
        with self.assertRaises(UserError):
            self.iva_21.amount = 18
        with self.assertRaises(UserError):
            self.iva_21.unlink()
        self.iva_21.action_archive()
        self.tax_5_2.amount = 4  # unused taxes can change

    def test_saving_moves_the_company_activity(self):
        old = datetime(2020, 1, 1)
        self.customer_a.last_activity_date = old
        invoice = self._create_invoice(self.customer_a, user=self.user1)
        self.assertGreater(self.customer_a.last_activity_date, old)
        self.customer_a.last_activity_date = old
        invoice.with_user(self.user1).reference = "PO-7"
        self.assertGreater(self.customer_a.last_activity_date, old)
