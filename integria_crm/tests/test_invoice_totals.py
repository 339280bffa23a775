from datetime import date, datetime, timedelta

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

    def test_billing_overview(self):
        yen = self.env.ref("base.JPY")
        long_ago = date.today() - timedelta(days=90)
        overdue = self._create_invoice(self.customer_a, amounts=[100.0], date_invoice=long_ago, date_due=long_ago)
        self._create_invoice(self.customer_a, amounts=[50.0])
        self._create_invoice(self.customer_a, amounts=[30.0], date_invoice=long_ago).action_mark_paid()
        self._create_invoice(self.customer_a, amounts=[7000], currency_id=yen.id)
        self._create_invoice(self.customer_b, amounts=[20.0], invoice_type="received", number="R-1")
        invoices = self.env["integria.invoice"].with_user(self.manager1)
        # the filters of the search view
        self.assertEqual(invoices.search([("state", "=", "pending"), ("date_due", "<", "today")]), overdue)
        self.assertEqual(len(invoices.search([("state", "=", "pending")])), 4)
        # the pivot: per company, currency, type and status
        groups = invoices._read_group(
            [], ["partner_id", "currency_id", "invoice_type", "state"], ["amount_total:sum", "__count"]
        )
        self.assertEqual(
            {
                (company.name, currency.name, kind, state): (total, count)
                for company, currency, kind, state, total, count in groups
            },
            {
                ("Customer A", "EUR", "issued", "pending"): (150.0, 2),
                ("Customer A", "EUR", "issued", "paid"): (30.0, 1),
                ("Customer A", "JPY", "issued", "pending"): (7000, 1),
                ("Customer B", "EUR", "received", "pending"): (20.0, 1),
            },
        )
        months = invoices._read_group([("currency_id", "=", self.eur.id)], ["date_invoice:month"], ["amount_total:sum"])
        self.assertEqual(len(months), 2 if long_ago.month != date.today().month else 1)
