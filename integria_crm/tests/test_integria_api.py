import base64
import io
import re
from urllib.parse import quote

from PIL import Image

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.crm_lead_intake import API_GROUP, DEMO_API_KEY_PARAM
from ..models.integria_lead_intake_rate import RATE_LIMIT_PARAM
from .test_lead_intake import CONTROLLER_LOGGER, MANUAL_PARAMS, XML_CREATED, LeadIntakeCase


@tagged("post_install", "-at_install")
class TestIntegriaAnswers(LeadIntakeCase):
    """What real web forms send, and Integria's answers byte for byte."""

    def _lead(self, response):
        self.assertEqual(response.status_code, 200, (response.text, response.headers))
        return self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))

    def test_unknown_country_keeps_its_text(self):
        lead = self._lead(self._api_create("Ana,ACME,ana@acme.example,Atlantis"))
        self.assertFalse(lead.country_id)
        self.assertEqual(lead.integria_country_text, "Atlantis")
        self.assertIn('The country "Atlantis" matches no country', lead.message_ids[0].body)

    def test_countries_as_forms_write_them(self):
        cases = {"UK": "GB", "USA": "US", "Deutschland": "DE", "Espa%C3%B1a": "ES", "es": "ES", "EE.UU.": "US"}
        for text, code in cases.items():
            with self.subTest(country=text):
                lead = self._lead(self._api_create(f"Ana,ACME,ana@acme.example,{text}"))
                self.assertEqual((lead.country_id.code, lead.integria_country_text), (code, False))

    def test_visitor_language_not_installed(self):
        # a browser's Accept-Language of a language the database lacks used
        # to answer 422 "Invalid language code"
        response = self._api_create(MANUAL_PARAMS + "&return_type=xml", headers={"Accept-Language": "de-DE,de"})
        self.assertEqual(response.content, XML_CREATED)
        lead = self._lead(self._api_create("Ana,ACME,ana@acme.example,,,,,,,,de_DE"))
        self.assertFalse(lead.lang_id)
        self.assertIn('The language "de_DE" is not installed', lead.message_ids[0].body)

    def test_raw_utf8_in_a_post_body(self):
        # the README's curl pattern: --data "params=José,..." sends raw UTF-8
        body = "user=intake_api_user&op=create_lead&params=José,Peña y Cía,jose@raw.example,España".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {self.api_key}"}
        lead = self._lead(self.url_open("/include/api.php", data=body, headers=headers))
        self.assertEqual((lead.contact_name, lead.partner_name, lead.country_id.code), ("José", "Peña y Cía", "ES"))

    def test_raw_bytes_that_are_not_utf8(self):
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {self.api_key}"}
        for body in (
            b"op=create_lead&params=J\xffmmy,PFMS,a@raw.example",
            b"op=create_lead&params=Jos\xe9,x,a@raw.example",
        ):
            with self.subTest(body=body):
                response = self.url_open("/include/api.php", data=body, headers=headers)
                self.assertRefused(response, 400, "invalid_utf8")
        self.assertFalse(self._leads(email_from="a@raw.example"))

    def test_rate_limit_zero_is_off(self):
        settings = self.env["res.config.settings"].create({})
        settings.integria_lead_api_rate_limit = 0
        settings.execute()
        self.assertEqual(self.params.get_param(RATE_LIMIT_PARAM), "0")
        self.assertEqual(self.env["res.config.settings"].create({}).integria_lead_api_rate_limit, 0)
        statuses = {self._api_create(f"Lead {i},Off Co,off{i}@rate.example").status_code for i in range(8)}
        self.assertEqual(statuses, {200})

    def test_page_views_are_not_counted(self):
        self.params.set_param(RATE_LIMIT_PARAM, "2")
        # the manual's PHP form calls the API on every display, with no name
        for _view in range(5):
            self.assertRefused(self._api_create(",,,,0,0,,,,,,,1,0"), 400, "missing_parameter")
        statuses = [self._api_create(f"Lead {i},View Co,view{i}@rate.example").status_code for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])

    def test_idempotency_key(self):
        headers = {"Idempotency-Key": "order-2026-0001"}
        first = self._lead(self._api_create("Ana,ACME,ana@idem.example", headers=headers))
        again = self._lead(self._api_create("Ana,ACME,ana@idem.example", headers=headers))
        self.assertEqual(again, first)
        self.assertEqual(len(self._leads(email_from="ana@idem.example")), 1)
        other = self._lead(self._api_create("Ana,ACME,ana@idem.example", headers={"Idempotency-Key": "order-2"}))
        self.assertNotEqual(other, first)

    def test_idempotency_key_over_json2(self):
        headers = {"Authorization": f"bearer {self.api_key}", "X-Odoo-Database": self.env.cr.dbname}
        body = {"params": ["Eva", "ACME", "eva@idem.example"], "context": {"idempotency_key": "eva-1"}}
        ids = [
            self.url_open("/json/2/crm.lead/create_integria_lead", json=body, headers=headers).json() for _i in range(2)
        ]
        self.assertEqual(ids[0], ids[1])
        self.assertEqual(self._leads(email_from="eva@idem.example").ids, [ids[0]])


@tagged("post_install", "-at_install")
class TestIntegriaOperations(LeadIntakeCase):
    """Integria's CRM operations besides create_lead, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_api = cls._create_crm_company("API Customer", cls.api_user, cls.my_company)
        if not cls.env["integria.invoice.tax"].search_count([("kind", "=", "tax"), ("amount", "=", 21.0)]):
            cls.env["integria.invoice.tax"].create({"name": "IVA", "amount": 21.0, "kind": "tax"})
        cls.env.ref("base.EUR").active = True

    def _op(self, op, params="", return_type="csv"):
        return self._api(f"op={op}&return_type={return_type}&params={params}")

    def _invoice_params(self, number, company=None, **changes):
        values = {
            "id_user": "intake_api_user",
            "id_task": "",
            "id_company": str((company or self.customer_api).id),
            "bill_id": number,
            "concept1": "Soporte anual, nivel 2",
            "amount1": "1500.50",
            "tax": "21",
            "currency": "EUR",
            "description": "Año 2027",
            "locked": "0",
            "locked_id_user": "",
            "invoice_create_date": "2026-11-30",
            "invoice_payment_date": "",
            "status": "pending",
            "reference": "PO-7",
            "internal_note": "",
            "invoice_type": "Submitted",
            "id_language": "",
        }
        values.update(changes)
        return ",".join(quote(value, safe="") for value in values.values())

    def test_validate_user(self):
        self.assertEqual(self._op("validate_user", f"intake_api_user,{self.api_key}").content, b"1")
        self.assertEqual(self._op("validate_user", "intake_api_user,the-login-password").content, b"1")
        self.assertEqual(self._op("validate_user", "intake_api_user,wrong", "xml").content, b"<xml>0</xml>")
        self.assertEqual(self._op("validate_user", "nobody,x").content, b"0")

    def test_validate_user_is_the_connectors_check(self):
        # the WordPress connector's "check connection"
        response = self._api(f"op=validate_user&params=intake_api_user,{self.api_key}", user="intake_api_user")
        self.assertEqual((response.status_code, response.content), (200, b"1"))

    def test_user_exists(self):
        self.assertEqual(self._op("user_exists", "crm_user1").content, b"1")
        self.assertEqual(self._op("user_exists", "nobody").content, b"0")
        self.assertEqual(
            self._op("user_exists", "crm_user1", "xml").content,
            b"<xml>\n<user>\n<exists><![CDATA[1]]></exists>\n</user>\n</xml>\n",
        )

    def test_create_company(self):
        response = self._op(
            "create_company", "Talleres+P%C3%A9rez+SL,Calle+Mayor+1,B12345678,0,Deutschland,crm_user1,0"
        )
        self.assertEqual(response.status_code, 200, response.headers)
        company = self.env["res.partner"].browse(int(response.content))
        self.assertEqual(response.content, str(company.id).encode())
        self.assertEqual(
            (company.name, company.street, company.vat), ("Talleres Pérez SL", "Calle Mayor 1", "B12345678")
        )
        self.assertEqual(
            (company.country_id.code, company.owner_id, company.crm_parent_id), ("DE", self.user1, self.my_company)
        )
        self.assertTrue(company.is_crm_company)
        xml = self._op("create_company", "Otra+SL", "xml").content.decode()
        self.assertRegex(xml, r"^<xml>\n<company>\n<id><!\[CDATA\[\d+\]\]></id>\n</company>\n</xml>\n$")
        for params, code in ((",Calle", "missing_parameter"), ("X,,,,,nobody", "unknown_user")):
            with self.subTest(params=params):
                self.assertRefused(self._op("create_company", params), 400, code)

    def test_create_invoice(self):
        response = self._op("create_invoice", self._invoice_params("API-0001"))
        self.assertEqual(response.content, b'1,"invoice created"\n')
        invoice = self.env["integria.invoice"].browse(int(response.headers["X-Invoice-Id"]))
        self.assertEqual(
            (invoice.number, invoice.partner_id, invoice.invoice_type), ("API-0001", self.customer_api, "issued")
        )
        self.assertEqual(invoice.line_ids.mapped("description"), ["Soporte anual, nivel 2"])
        self.assertEqual(
            (invoice.line_ids.amount, invoice.tax_ids.mapped("amount"), invoice.currency_id.name),
            (1500.5, [21.0], "EUR"),
        )
        xml = self._op("create_invoice", self._invoice_params("API-0002"), "xml").content
        self.assertEqual(
            xml,
            b"<xml>\n<invoice>\n<status><![CDATA[1]]></status>\n"
            b"<error><![CDATA[invoice created]]></error>\n</invoice>\n</xml>\n",
        )

    def test_create_invoice_refusals(self):
        count = self.env["integria.invoice"].search_count([])
        self._op("create_invoice", self._invoice_params("API-0100"))
        cases = [
            (self._invoice_params(""), "empty billing id"),
            (self._invoice_params("X-1", concept1=""), "empty invoice concept"),
            (self._invoice_params("X-1", amount1=""), "empty invoice amount"),
            (self._invoice_params("X-1", invoice_type=""), "empty invoice type (Submitted or Received)"),
            (self._invoice_params("X-1", id_user="nobody"), "user does not exist"),
            (self._invoice_params("X-1", locked="1", locked_id_user="nobody"), "user locked does not exist"),
            (self._invoice_params("API-0100"), "invalid billing id"),
            # a company the API user may not invoice (Customer B is Manager 1's)
            (self._invoice_params("X-1", company=self.customer_b), "error creating invoice"),
        ]
        for params, error in cases:
            with self.subTest(error=error):
                response = self._op("create_invoice", params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.content.decode(), f'0,"{error}"\n')
        self.assertEqual(self.env["integria.invoice"].search_count([]), count + 1)

    def test_get_invoice_and_last_invoice_id(self):
        self._op("create_invoice", self._invoice_params("API-0201", invoice_create_date="2026-11-01"))
        self._op("create_invoice", self._invoice_params("API-0202", status="paid"))
        invoice = self.env["integria.invoice"].search([("number", "=", "API-0202")])
        expected = (
            f'{invoice.id},intake_api_user,,{self.customer_api.id},API-0202,"Soporte anual, nivel 2",,,,,'
            f'1500.50,0.00,0.00,0.00,0.00,21,EUR,"Año 2027",,0,,2026-11-30,2026-11-30,paid,PO-7,,'
            f"Submitted,{invoice.lang}\n"
        )
        self.assertEqual(self._op("get_invoice", "API-0202").content.decode(), expected)
        xml = self._op("get_invoice", "API-0202", "xml").content.decode()
        self.assertTrue(xml.startswith(f"<xml>\n<invoice>\n<id><![CDATA[{invoice.id}]]></id>\n"), xml)
        self.assertIn("<concept1><![CDATA[Soporte anual, nivel 2]]></concept1>\n", xml)
        self.assertTrue(xml.endswith("</invoice>\n</xml>\n"))
        self.assertEqual(self._op("get_invoice", "NOPE").content, b"\n")
        self.assertEqual(self._op("get_last_invoice_id").content, b"API-0202")
        self.assertEqual(
            self._op("get_last_invoice_id", "", "xml").content,
            b"<xml>\n<last_invoice_id>\n<id><![CDATA[API-0202]]></id>\n</last_invoice_id>\n</xml>\n",
        )

    def test_operations_share_keys_and_rate_limit(self):
        with mute_logger(CONTROLLER_LOGGER):
            self.assertRefused(self._api("op=user_exists&params=crm_user1", key="x" * 40), 401, "authentication_failed")
        self.params.set_param(RATE_LIMIT_PARAM, "2")
        self.params.set_param("integria_crm.lead_api_rate_window", "3600")
        self.env["integria.lead.intake.rate"].sudo().search([]).unlink()
        statuses = [self._op("get_last_invoice_id").status_code for _i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])


@tagged("post_install", "-at_install")
class TestIntakeSettings(LeadIntakeCase):
    def test_api_users_are_a_group(self):
        group = self.env.ref(API_GROUP)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.integria_lead_api_user_ids, self.api_user)
        settings.integria_lead_api_user_ids = self.user1
        settings.execute()
        self.assertEqual(group.user_ids, self.user1)
        self.assertTrue(self.user1.has_group(API_GROUP))
        self.assertEqual(self.env["crm.lead"]._integria_api_users(), self.user1)
        with mute_logger(CONTROLLER_LOGGER):
            self.assertRefused(self._api_create(MANUAL_PARAMS), 401, "authentication_failed")

    def test_demo_key_comes_from_res_users_apikeys(self):
        demo_user = self.env.ref("integria_crm.user_crm_api_user", raise_if_not_found=False)
        if not demo_user:
            self.skipTest("the demo data is not installed")
        key = self.params.get_param(DEMO_API_KEY_PARAM)
        self.assertTrue(key)
        Keys = self.env["res.users.apikeys"].sudo()
        self.assertEqual(Keys._check_credentials(scope="rpc", key=key), demo_user.id)
        self.assertEqual(Keys.search([("user_id", "=", demo_user.id)]).mapped("name"), ["Demo lead intake"])


@tagged("post_install", "-at_install")
class TestLeadFormInput(LeadIntakeCase):
    """The public form: bad input answers 400 with the form again, in the
    visitor's language, with the company's logo or none."""

    def _form_post(self, headers=None, **values):
        page = self.url_open("/integria/lead-form", headers=headers)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/integria/lead-form", data={"csrf_token": token, **values}, headers=headers)

    def test_bad_country_id(self):
        for country_id in ("abc", "999999", "1 OR 1=1"):
            with self.subTest(country_id=country_id):
                response = self._form_post(name="Ana Bad", email="ana@bad.example", country_id=country_id)
                self.assertEqual(response.status_code, 400)
                self.assertIn('value="Ana Bad"', response.text, "the form again, as filled")
                self.assertIn("alert-danger", response.text)
        self.assertFalse(self._leads(email_from="ana@bad.example"))

    def test_spanish_visitor(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["integria_crm"], ["es_ES"], overwrite=True)
        page = self.url_open("/integria/lead-form", headers={"Accept-Language": "es-ES,es;q=0.9"}).text
        self.assertIn('lang="es-ES"', page)
        self.assertIn("Nombre completo", page)
        self.assertIn("son obligatorios", page)
        self.assertEqual(page.count('title="Obligatorio"'), 2, "name and e-mail are marked")
        english = self.url_open("/integria/lead-form", headers={"Accept-Language": "en-US"}).text
        self.assertIn("Full name", english)
        self.assertEqual(english.count('title="Required"'), 2)
        response = self._form_post(headers={"Accept-Language": "es"}, name="Ana", email="no es un correo")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Indique una dirección de correo electrónico válida", response.text)

    def test_company_logo_or_none(self):
        company = self.env.company
        company.logo = False
        page = self.url_open("/integria/lead-form").text
        self.assertNotIn("o_integria_lead_form_logo", page)
        self.assertNotIn("/web/binary/company_logo", page, "never Odoo's placeholder")
        buffer = io.BytesIO()
        Image.new("RGB", (40, 20), "#8b0000").save(buffer, "PNG")
        company.logo = base64.b64encode(buffer.getvalue())
        page = self.url_open("/integria/lead-form").text
        self.assertIn("o_integria_lead_form_logo", page)
        self.assertIn("data:image/png;base64,", page)
