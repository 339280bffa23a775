from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import IntegriaInvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceUi(IntegriaInvoiceCase, HttpCase):
    def test_invoice_tour_user1(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        reports = type(self.env["ir.actions.report"])
        render_pdf = reports._render_qweb_pdf
        rendered = []

        def record_rendering(report_self, report_ref, res_ids=None, data=None):
            rendered.append((report_ref, list(res_ids or [])))
            return render_pdf(report_self, report_ref, res_ids=res_ids, data=data)

        with patch.object(reports, "_render_qweb_pdf", record_rendering):
            self.start_tour("/odoo/crm-invoices", "integria_invoice_tour", login="crm_user1")
        invoice = self.env["integria.invoice"].search([("partner_id", "=", self.customer_a.id)])
        self.assertRecordValues(invoice, [{"number": "15/1000", "amount_total": 500.0, "create_uid": self.user1.id}])
        self.assertEqual(invoice.line_ids.description, "Consulting, May")
        self.assertIn(("integria_crm.report_integria_invoice", [invoice.id]), rendered)

    def test_invoice_from_contract(self):
        """Create Invoice on a contract: a new invoice in the company's currency, whose actions wait for the save."""
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.env.company.currency_id = self.env.ref("base.EUR")
        contract = self.env["integria.contract"].create(
            {"name": "Support A", "partner_id": self.customer_a.id, "date_start": "2025-01-01"}
        )
        self.start_tour("/odoo/crm-contracts", "integria_invoice_from_contract_tour", login="crm_user1")
        invoice = self.env["integria.invoice"].search([("contract_id", "=", contract.id)])
        self.assertRecordValues(
            invoice,
            [{"partner_id": self.customer_a.id, "currency_id": self.env.ref("base.EUR").id, "amount_total": 300.0}],
        )
