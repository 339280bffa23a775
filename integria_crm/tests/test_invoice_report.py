import base64
import subprocess

from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open

from .common import IntegriaInvoiceCase

REPORT = "integria_crm.action_report_integria_invoice"

# Labels of the report template, as es.po translates them; set here so that
# the test does not depend on the state of the translation files.
SPANISH_LABELS = {
    "Invoice": "Factura",
    "PAID": "PAGADA",
    "Customer": "Cliente",
    "Invoice date": "Fecha de factura",
    "Due date": "Fecha de vencimiento",
    "Description": "Descripción",
    "Amount": "Importe",
    "Net amount": "Base imponible",
    "Payment date": "Fecha de pago",
    "Your reference": "Su referencia",
    "Fiscal ID": "NIF",
}


@tagged("post_install", "-at_install")
class TestInvoiceReport(IntegriaInvoiceCase, HttpCase):
    """The PDF is really rendered by wkhtmltopdf (which loads the report's
    styles from the test server) and read back with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "integria_invoice_header": "My Company\nCalle Gran Vía 28, Madrid",
                "integria_invoice_footer": "IBAN ES91 2100 0418 4502 0005 1332",
            }
        )
        cls.invoice = cls._create_invoice(
            cls.customer_a,
            amounts=[1000.0, 234.56],
            reference="PO-4711",
            discount_name="Volume discount",
            discount_rate=10,
            tax_ids=[Command.set((cls.iva_21 | cls.tax_5_2).ids)],
            retention_id=cls.irpf_15.id,
            description="<p>Delivered on site, as agreed.</p>",
            internal_note="SECRET-NOTE: the customer pays late",
            lang="en_US",
        )

    def _pdf(self, invoice, user=None):
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            reports = reports.with_user(user)
        content, report_type = reports._render_qweb_pdf(REPORT, invoice.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return content

    def _pdf_text(self, invoice, user=None):
        content = self._pdf(invoice, user=user)
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
        return result.stdout.decode()

    def test_issuing_company_and_translated_footer(self):
        """The invoice names the company that issues it, with its logo or none
        (never Odoo's placeholder), and its footer in the invoice's language."""
        self.env["res.lang"]._activate_lang("es_ES")
        company = self.env.company
        company.write(
            {
                "name": "My Company",
                "street": "Calle Gran Vía 28",
                "zip": "28013",
                "city": "Madrid",
                "integria_invoice_header": False,
                "integria_invoice_footer": "Bank transfer to IBAN ES91 2100 0418 4502 0005 1332",
            }
        )
        company.with_context(
            lang="es_ES"
        ).integria_invoice_footer = "Transferencia a IBAN ES91 2100 0418 4502 0005 1332"
        self.assertTrue(company.uses_default_logo)
        content = self._pdf(self.invoice)
        self.assertEqual(self._pdf_image_count(content), 0)
        text = self._pdf_text(self.invoice)
        for expected in ("My Company", "Calle Gran Vía 28", "28013 Madrid", "Bank transfer to IBAN"):
            self.assertIn(expected, text)
        self.assertNotIn("Transferencia", text)

        self.invoice.lang = "es_ES"
        text = self._pdf_text(self.invoice)
        self.assertIn("Transferencia a IBAN", text)
        self.assertNotIn("Bank transfer", text)

        company.integria_invoice_logo = base64.b64encode(file_open("web/static/img/logo.png", "rb").read())
        self.assertEqual(self._pdf_image_count(self._pdf(self.invoice)), 1)

    def test_paid_invoice(self):
        self.invoice.action_mark_paid()
        text = self._pdf_text(self.invoice, user=self.user1)
        for expected in (
            "Invoice 15/1000",
            "PAID",
            "Customer A",
            "ESA12345674",
            "Calle Mayor 1",
            "28013",
            "Spain",
            "PO-4711",
            "Line 1",
            "Volume discount (10%)",
            "IVA (21%)",
            "233.33",
            "Recargo (5.2%)",
            "57.78",
            "IRPF (15%)",
            "166.67",
            "1,235.54",
            "€",
            "Delivered on site, as agreed.",
            "Calle Gran Vía 28, Madrid",
            "IBAN ES91 2100 0418 4502 0005 1332",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("SECRET-NOTE", text)

    def test_pending_invoice_has_no_paid_mark(self):
        text = self._pdf_text(self.invoice)
        self.assertIn("15/1000", text)
        self.assertNotIn("PAID", text)
        self.assertNotIn("SECRET-NOTE", text)

    def test_printing_again_shows_the_changes(self):
        self.assertIn("Line 1", self._pdf_text(self.invoice))
        self.invoice.line_ids[0].description = "Changed after the first print"
        self.invoice.action_mark_paid()
        text = self._pdf_text(self.invoice)
        self.assertIn("Changed after the first print", text)
        self.assertIn("PAID", text)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "integria.invoice"), ("res_id", "=", self.invoice.id)]
        )
        self.assertFalse(attachments, "the PDF is never stored")

    def test_spanish_invoice(self):
        self.env["res.lang"]._activate_lang("es_ES")
        template = self.env.ref("integria_crm.report_integria_invoice_document")
        template.update_field_translations("arch_db", {"es_ES": SPANISH_LABELS})
        self.invoice.write({"lang": "es_ES"})
        self.invoice.action_mark_paid()
        text = self._pdf_text(self.invoice)
        for expected in (
            "Factura 15/1000",
            "PAGADA",
            "Cliente",
            "NIF: ESA12345674",
            "Fecha de factura",
            "Fecha de pago",
            "Base imponible",
            "1.235,54",
        ):
            self.assertIn(expected, text)
        for english in ("Invoice date", "PAID", "Fiscal ID", "Net amount", "Payment date", "Due date"):
            self.assertNotIn(english, text)
