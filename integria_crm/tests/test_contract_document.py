import base64
from unittest.mock import patch

import lxml.html

from odoo import fields
from odoo.addons.base.models import ir_actions_report
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import file_open

from ..tools import contract_macros
from .common import IntegriaContractCase


def _texts_by_label(html):
    """Return {label: text} for the ``<p>label=value</p>`` lines of a document."""
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    texts = {}
    for paragraph in root.iter("p"):
        label, _sep, value = paragraph.text_content().partition("=")
        texts[label] = value
    return texts


@tagged("post_install", "-at_install")
class TestContractDocument(IntegriaContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.write(
            {
                "street": "Calle Mayor 1",
                "city": "Madrid",
                "zip": "28013",
                "country_id": cls.env.ref("base.es").id,
                "vat": "ESA12345674",
                "website": "https://customer-a.example.com",
                "comment": "<p>Pays <b>on time</b> & smiles</p>",
                "payment_conditions": "30",
            }
        )
        cls.contract_a.write(
            {
                "name": 'Support <A> & "B"',
                "description": "Line one\nLine two",
                "date_end": "2025-12-31",
                "contract_properties": {
                    "tier": "Gold <1>",
                    "notes": "first\nsecond",
                    "terms_html": "<p>Net <b>30</b></p>",
                    "renewal": True,
                    "seats": 1234,
                    "hours": 7.5,
                    "signed_on": "2025-02-03",
                    "kickoff": "2025-02-03 10:30:00",
                    "edition": "pro",
                    "channels": ["mail", "phone"],
                    "contact": cls.contact_a.id,
                    "signers": [cls.contact_a.id, cls.contact_b.id],
                },
            }
        )
        cls.all_macros_template = cls.env["integria.contract.template"].create(
            {
                "name": "All macros",
                "sequence": 60,
                "description": "Every macro <once>",
                "lang_id": cls.env.ref("base.lang_en").id,
                "show_custom_fields": False,
                "body": "".join(
                    f"<p>{name}={contract_macros.macro(name)}</p>"
                    for name in [
                        *contract_macros.CONTRACT_MACROS,
                        *(f"custom_{prop['name']}" for prop in cls.contract_type._get_custom_fields()),
                    ]
                ),
            }
        )

    def _expected_values(self, contract, template):
        today = fields.Date.context_today(contract)
        company = contract.partner_id
        return {
            "id_contract": str(contract.id),
            "name_contract": 'Support <A> & "B"',
            "contract_number": "A-001",
            "contract_description": "Line oneLine two",  # a <br/> between the lines
            "date_begin": "01/01/2025",
            "date_end": "31/12/2025",
            "id_company": str(company.id),
            "private": "No",
            "id_status": "1",
            "name_status": "Active",
            "company_name": "Customer A",
            "company_address": "Calle Mayor 128013 MadridSpain",
            "company_fiscal_id": "ESA12345674",
            "company_country": "Spain",
            "company_website": "https://customer-a.example.com",
            "company_comments": "Pays on time & smiles",
            "company_manager": "User 1",
            "company_last_update": fields.Datetime.context_timestamp(contract, company.last_activity_date).strftime(
                "%d/%m/%Y"
            ),
            "company_payment_conditions": "30 days",
            "contract_type_id": str(self.contract_type.id),
            "contract_type_name": "Service level",
            "contract_type_description": "Support with a service level",
            "template_id": str(template.id),
            "template_name": "All macros",
            "template_description": "Every macro <once>",
            "format_long_time": contract_macros.date_macros(today, "en_US")["format_long_time"],
            "format_short_time": today.strftime("%d/%m/%Y"),
            "format_annual_date": str(today.year),
            "custom_tier": "Gold <1>",
            "custom_notes": "firstsecond",
            "custom_terms_html": "Net 30",
            "custom_renewal": "Yes",
            "custom_seats": "1,234",
            "custom_hours": "7.5",
            "custom_signed_on": "03/02/2025",
            "custom_kickoff": "03/02/2025 10:30",
            "custom_edition": "Pro",
            "custom_channels": "E-mail, Phone",
            "custom_contact": "Customer A, Ana García",
            "custom_signers": "Customer A, Ana García, Customer B, Claire Martin",
        }

    # ------------------------------------------------------------------
    # Macros
    # ------------------------------------------------------------------
    def test_every_macro(self):
        contract = self.contract_a.with_context(tz="UTC")
        html = contract._render_document_html(self.all_macros_template)
        self.assertEqual(_texts_by_label(html), self._expected_values(contract, self.all_macros_template))
        # values are escaped, never markup
        self.assertNotIn("<A>", html)
        self.assertNotIn("<1>", html)
        self.assertIn("&lt;A&gt; &amp;", html)
        self.assertIn("Line one<br>Line two", html)

    def test_spanish_template(self):
        template = self.template.copy({"lang_id": self.env.ref("base.lang_es").id, "body": "<p>_format_long_time_</p>"})
        today = fields.Date.context_today(self.contract_a)
        html = self.contract_a._render_document_html(template)
        self.assertIn(contract_macros.date_macros(today, "es_ES")["format_long_time"], html)
        self.assertEqual(contract_macros.date_macros(today, "es_ES")["format_short_time"], today.strftime("%d/%m/%Y"))

    def test_default_templates(self):
        for xmlid in ("contract_template_certificate_en", "contract_template_certificate_es"):
            template = self.env.ref(f"integria_crm.{xmlid}")
            html = self.contract_a._render_document_html(template)
            self.assertIn("Customer A", html)
            self.assertIn("A-001", html)
            self.assertIn("31/12/2025", html)
            self.assertNotIn("_name_contract_", html)
        self.assertEqual(self.env.ref("integria_crm.contract_template_certificate_es").lang_id.code, "es_ES")

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
    def test_generate_pdf(self):
        """A real PDF from wkhtmltopdf, attached to the contract, with the values in its text."""
        template = self.env.ref("integria_crm.contract_template_certificate_en")
        contract = self.contract_a.with_user(self.user1).with_context(tz="UTC")
        real_run = ir_actions_report._run_wkhtmltopdf
        calls = []

        def spy(args):
            calls.append(args)
            return real_run(args)

        with patch.object(ir_actions_report, "_run_wkhtmltopdf", spy):
            attachment = contract._generate_document_pdf(template)
        self.assertEqual(len(calls), 1)
        args = calls[0]
        # Debian's wkhtmltopdf: no header or footer; no script to run or wait for
        self.assertNotIn("--header-html", args)
        self.assertNotIn("--footer-html", args)
        self.assertIn("--disable-javascript", args)
        self.assertEqual(args[args.index("--javascript-delay") + 1], "0")

        self.assertEqual(attachment.res_model, "integria.contract")
        self.assertEqual(attachment.res_id, self.contract_a.id)
        self.assertEqual(attachment.mimetype, "application/pdf")
        today = fields.Date.context_today(contract).isoformat()
        self.assertEqual(attachment.name, f'Support <A> & "B" - Contract certificate - {today}.pdf')
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        text = self._pdf_text(attachment.raw)
        for value in ('Support <A> & "B"', "Customer A", "ESA12345674", "01/01/2025", "31/12/2025", "Service level"):
            self.assertIn(value, text)
        # the custom fields table of the certificate
        for value in ("Gold <1>", "1,234", "E-mail, Phone", "Net 30", "03/02/2025 10:30"):
            self.assertIn(value, text)
        self.assertEqual(contract.document_count, 1)
        self.assertIn(attachment, contract.message_ids.attachment_ids)
        contract.invalidate_recordset(["document_count"])

        # generating again adds a second document
        again = contract._generate_document_pdf(template)
        self.assertNotEqual(again, attachment)
        self.assertEqual(again.name, f'Support <A> & "B" - Contract certificate - {today} (2).pdf')
        self.assertEqual(contract.document_count, 2)

    def test_wizard(self):
        action = self.contract_b.with_user(self.manager1).action_open_document_wizard()
        self.assertEqual(action["res_model"], "integria.contract.document.wizard")
        wizard_form = Form(
            self.env["integria.contract.document.wizard"].with_user(self.manager1).with_context(**action["context"])
        )
        # the first template in the user's language
        self.assertEqual(wizard_form.template_id, self.env.ref("integria_crm.contract_template_certificate_en"))
        wizard_form.template_id = self.template
        result = wizard_form.save().action_generate()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "integria.contract"), ("res_id", "=", self.contract_b.id)]
        )
        self.assertEqual(len(attachment), 1)
        # a notification offers to open the PDF, then the dialog closes on the contract
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["links"], [{"label": attachment.name, "url": f"/web/content/{attachment.id}"}]
        )
        self.assertEqual(result["params"]["next"], {"type": "ir.actions.act_window_close"})
        message = self.contract_b.message_ids.filtered(lambda message: attachment in message.attachment_ids)
        self.assertIn(self.template.name, message.body)
        self.assertIn("Support B for Customer B", self._pdf_text(attachment.raw))

    def test_certificate_issued_by_the_company(self):
        """The certificate names the res.company that issues it, prints the custom
        fields before the signature, and reads naturally in Spanish."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env.company.write(
            {
                "name": "My Company",
                "street": "Calle Gran Vía 28",
                "zip": "28013",
                "city": "Madrid",
                "country_id": self.env.ref("base.es").id,
            }
        )
        self.assertTrue(self.env.company.uses_default_logo)
        # Manager 1, working in Spanish, names two custom fields in Spanish
        spanish = {"tier": "Nivel", "seats": "Puestos"}
        definition = self.contract_type.with_context(lang="es_ES").read(["properties_definition"])[0]
        self.contract_type.with_user(self.manager1).with_context(lang="es_ES").properties_definition = [
            {**prop, "string": spanish.get(prop["name"], prop["string"])}
            for prop in definition["properties_definition"]
        ]
        self.assertEqual(self.contract_type.properties_definition[0]["string"], "Tier")

        contract = self.contract_a.with_user(self.user1).with_context(tz="UTC")
        today = fields.Date.context_today(contract)
        spanish_template = self.env.ref("integria_crm.contract_template_certificate_es")
        attachment = contract._generate_document_pdf(spanish_template)
        text = self._pdf_text(attachment.raw)
        for expected in ("My Company", "Calle Gran Vía 28", "28013 Madrid", "Nivel", "Puestos", "Gold <1>"):
            self.assertIn(expected, text)
        self.assertNotIn("Tier", text)
        self.assertNotIn("Gestor", text)
        issued = "Expedido el " + contract_macros.date_macros(today, "es_ES")["format_long_time"]
        self.assertIn(issued, " ".join(text.split()))
        # the custom fields come before the date and the owner's signature
        self.assertLess(text.index("Puestos"), text.index("Expedido el"))
        self.assertLess(text.index("Expedido el"), text.index("Responsable"))
        # no logo set: no picture at all (never Odoo's "Your logo" placeholder)
        self.assertEqual(self._pdf_image_count(attachment.raw), 0)

        self.env.company.logo = base64.b64encode(file_open("web/static/img/logo.png", "rb").read())
        english = contract._generate_document_pdf(self.env.ref("integria_crm.contract_template_certificate_en"))
        text = self._pdf_text(english.raw)
        self.assertIn("Tier", text)
        self.assertNotIn("Nivel", text)
        self.assertLess(text.index("Issued on"), text.index("Owner"))
        self.assertEqual(self._pdf_image_count(english.raw), 1)

    def test_readers_do_not_generate(self):
        with self.assertRaises(AccessError):
            self.contract_b.with_user(self.user1)._generate_document_pdf(self.template)
        self.assertFalse(self.contract_b.with_user(self.user1).crm_can_write)

    # ------------------------------------------------------------------
    # Template safety
    # ------------------------------------------------------------------
    def test_hostile_templates(self):
        """QWeb directives, expressions and scripts are text or gone; nothing runs."""
        other_type = self.env["integria.contract.type"].create(
            {"name": "Other", "properties_definition": [{"name": "color", "string": "Color", "type": "char"}]}
        )
        self.assertTrue(other_type)
        template = self.env["integria.contract.template"].create(
            {
                "name": "Hostile",
                "lang_id": self.env.ref("base.lang_en").id,
                "show_custom_fields": False,
                "body": (
                    "<p>A <t t-esc='6 * 7'>ESC</t> B</p>"
                    "<p t-out='env.user.login'>OUT</p>"
                    "<p t-att-title='env.user.login' t-if='False'>IF</p>"
                    "<p>{{ 6 * 7 }} {{ env.user.login }} ${object.name}</p>"
                    "<script>document.write('INJECTED')</script>"
                    # (no relative image: wkhtmltopdf would fetch it from this very test server)
                    "<p onmouseover=\"document.write('ONERROR')\">hover</p>"
                    "<p><a href=\"javascript:document.write('JSLINK')\">link</a></p>"
                    "<p>color=_custom_color_ tier=_custom_tier_</p>"
                ),
            }
        )
        body = str(template.body)
        for forbidden in ("<t ", "t-esc", "t-out", "t-att", "t-if", "<script", "onmouseover", "javascript:"):
            self.assertNotIn(forbidden, body)
        contract = self.contract_a.with_user(self.user1)
        text = self._pdf_text(contract._generate_document_pdf(template).raw)
        self.assertIn("{{ 6 * 7 }} {{ env.user.login }} ${object.name}", text)
        self.assertIn("color=_custom_color_", text)  # a field of another type stays as typed
        self.assertIn("tier=Gold <1>", text)
        self.assertIn("A ESC B", text)  # the <t> tag is gone, its text stays
        self.assertIn("IF", text)  # printed: its directive is gone
        self.assertNotIn("42", text)
        self.assertNotIn("crm_user1", text)
        for injected in ("INJECTED", "ONERROR", "JSLINK"):
            self.assertNotIn(injected, text)

    def test_body_never_compiled(self):
        """Even a body that skipped the sanitizer (written in SQL) is only data."""
        self.env.cr.execute(
            "UPDATE integria_contract_template SET body = %s WHERE id = %s",
            [
                "<p>X<t t-out='6 * 7'/>Y</p><p t-esc='env.user.login'>Z</p><script>alert(1)</script>"
                "<p>_company_name_</p>",
                self.template.id,
            ],
        )
        self.template.invalidate_recordset()
        html = self.contract_a._render_document_html(self.template)
        self.assertNotIn("42", html)
        self.assertNotIn("t-out", html)
        self.assertNotIn("t-esc", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("alert", html)
        self.assertIn("Customer A", html)

    def test_body_size_limit(self):
        huge = "<p>" + "x" * (1024 * 1024) + "</p>"
        with self.assertRaisesRegex(ValidationError, "too big"):
            self.env["integria.contract.template"].create({"name": "Huge", "body": huge})
        with self.assertRaisesRegex(ValidationError, "too big"):
            self.template.body = huge
        self.template.body = "<p>" + "x" * (500 * 1024) + "</p>"  # under 512 KB

    def test_report_not_in_print_menu(self):
        report = self.env.ref("integria_crm.action_report_integria_contract_document")
        self.assertFalse(report.binding_model_id)
