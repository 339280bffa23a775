from odoo.tests import Form, tagged

from .common import IntegriaInvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceContractLink(IntegriaInvoiceCase):
    """A contract lists the invoices its external code names and those that
    point to it; an invoice created from a contract starts linked to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contracts = cls.env["integria.contract"]
        cls.contract_a = contracts.create({"name": "Support A", "partner_id": cls.customer_a.id})
        cls.contract_b = contracts.create({"name": "Support B", "partner_id": cls.customer_b.id})

    def test_external_code_and_contract_field(self):
        first = self._create_invoice(self.customer_a)
        second = self._create_invoice(self.customer_a)
        linked = self._create_invoice(self.customer_a, contract_id=self.contract_a.id)
        elsewhere = self._create_invoice(self.customer_b)
        self.assertEqual((first.number, second.number), ("15/1000", "15/1001"))
        self.contract_a.external_code = f"{first.number} ,{second.number},, 99/404"
        self.assertEqual(self.contract_a.invoice_ids, first | second | linked)
        self.assertEqual(self.contract_a.invoice_count, 3)
        # a number of another company's invoice is not this contract's
        self.contract_a.external_code = elsewhere.number
        self.assertEqual(self.contract_a.invoice_ids, linked)

    def test_users_see_only_the_invoices_they_may_see(self):
        invoice_b = self._create_invoice(self.customer_b, contract_id=self.contract_b.id)
        self.assertEqual(self.contract_b.with_user(self.manager1).invoice_ids, invoice_b)
        # User 1 reads Customer B's contract, not its invoices
        self.assertFalse(self.contract_b.with_user(self.user1).invoice_ids)

    def test_create_invoice_from_contract(self):
        action = self.contract_a.with_user(self.user1).action_create_invoice()
        invoices = self.env["integria.invoice"].with_user(self.user1).with_context(**action["context"])
        form = Form(invoices)
        with form.line_ids.new() as line:
            line.description = "Support, January"
            line.amount = 300
        invoice = form.save()
        self.assertEqual(invoice.partner_id, self.customer_a)
        self.assertEqual(invoice.contract_id, self.contract_a)
        self.assertIn(invoice, self.contract_a.with_user(self.user1).invoice_ids)
