import logging
import xmlrpc.client
from unittest.mock import patch
from urllib.parse import quote

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.sql import table_exists

from ..controllers.lead_intake import _MASK_API_KEYS, _mask_keys_of_this_request
from ..models.crm_lead_intake import (
    API_ALLOWED_IPS_PARAM,
    API_GROUP,
    API_PREFIX_PARAM,
    API_TRUSTED_IPS_PARAM,
    IntegriaLeadError,
)
from ..models.integria_lead_intake_rate import RATE_LIMIT_PARAM
from .common import LeadCase

MANUAL_PARAMS = "Jimmy,PFMS,Rodriguez,Spain,0,0,,,Developer,,,,1,0"
# Integria's xml_node($result) of create_lead
XML_CREATED = b"<xml version='1.0' encoding='UTF-8'>\n<data>1</data>\n</xml>\n"
CONTROLLER_LOGGER = "odoo.addons.integria_crm.controllers.lead_intake"


class LeadIntakeCase(LeadCase, HttpCase):
    """The manual's example with the manual's ``api_user`` (Write level, of
    My Company, in the group Integria CRM API / API), the only API user,
    holding a global API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._create_user("intake_api_user", "write", cls.my_company, name="Intake API User")
        cls.api_user.password = "the-login-password"
        cls.api_key = cls._api_key(cls.api_user)
        cls.env.ref(API_GROUP).user_ids = [Command.set(cls.api_user.ids)]
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param(RATE_LIMIT_PARAM, "1000")
        cls.tag_vip = cls.env["crm.tag"].create({"name": "VIP"})
        cls.tag_web = cls.env["crm.tag"].create({"name": "Web form"})
        cls.env.ref("base.lang_es").active = True

    @classmethod
    def _api_key(cls, user, scope=None):
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(scope, "Lead intake test", None)

    def _api(self, query="", *, key=None, user="intake_api_user", path="/integria/include/api.php", **kwargs):
        """Call the endpoint with GET (or POST when ``data`` is given); the
        query string goes as written, as a PHP form builds it."""
        key = self.api_key if key is None else key
        head = "&".join(part for part in (f"user={user}" if user else "", f"user_pass={key}" if key else "") if part)
        url = f"{path}?{head}&{query}" if query else f"{path}?{head}"
        method = "POST" if "data" in kwargs else "GET"
        return self.url_open(url, method=method, **kwargs)

    def _api_create(self, params, **kwargs):
        return self._api(f"op=create_lead&params={params}", **kwargs)

    def _leads(self, **domain):
        return self.env["crm.lead"].with_context(active_test=False).search([(k, "=", v) for k, v in domain.items()])

    def assertRefused(self, response, status, code, body="0"):
        """Integria's answer of a failure (``0`` for create_lead), the
        reason in the X-Integria-Error header."""
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.content, body.encode())
        self.assertEqual(response.headers.get("X-Integria-Error"), code, response.headers)


@tagged("post_install", "-at_install")
class TestLeadIntakeEndpoint(LeadIntakeCase):
    def test_manual_url(self):
        response = self._api_create(MANUAL_PARAMS)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.content, b"1", "Integria's answer, without a newline")
        lead = self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))
        self.assertEqual(lead.contact_name, "Jimmy")
        self.assertEqual(lead.partner_name, "PFMS")
        self.assertEqual(lead.email_from, "Rodriguez")
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertEqual(lead.function, "Developer")
        self.assertEqual(lead.integria_product, "1")
        self.assertEqual(lead.progress_code, 0)
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.crm_partner_id, self.my_company, "unowned leads belong to the API user's company")
        self.assertEqual(lead.create_uid, self.api_user)
        self.assertIn("Integria API endpoint", lead.message_ids[0].body)
        self.assertIn(lead, self._visible(self.user1, lead), "User 1 of My Company sees the lead and may take it")

    def test_root_path_post_and_xml(self):
        response = self.url_open(
            "/include/api.php",
            data={
                "user": "intake_api_user",
                "pass": self.api_key,
                "op": "create_lead",
                "return_type": "xml",
                "params": "Ana,ACME,ana@acme.example,ES,1500,20,,,,crm_user1,es,Hello",
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.content, XML_CREATED)
        lead = self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))
        self.assertEqual((lead.user_id, lead.progress_code, lead.expected_revenue), (self.user1, 20, 1500))
        self.assertEqual(lead.lang_id.code, "es_ES")

    def test_xml_error(self):
        response = self._api_create("Jimmy&return_type=xml")
        self.assertRefused(
            response, 400, "missing_parameter", "<xml version='1.0' encoding='UTF-8'>\n<data>0</data>\n</xml>\n"
        )

    def test_encoded_comma_inside_values(self):
        params = "Jimmy,PFMS%2C+Inc.,jimmy%40pfms.example,Spain,0,0,,,Developer,,,Hi%2C+there,1,0"
        response = self._api_create(params)
        self.assertEqual(response.status_code, 200, response.text)
        lead = self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))
        self.assertEqual((lead.partner_name, lead.email_from), ("PFMS, Inc.", "jimmy@pfms.example"))
        self.assertIn("Hi, there", lead.description)

    def test_encoded_comma_in_a_post_body(self):
        body = "user=intake_api_user&op=create_lead&params=Jimmy,PFMS%2C+Inc.,jimmy%40pfms.example"
        response = self.url_open(
            "/include/api.php",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {self.api_key}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"])).partner_name, "PFMS, Inc.")

    def test_bad_input_creates_nothing(self):
        count = self.env["crm.lead"].with_context(active_test=False).search_count([])
        cases = [
            ("", "missing_parameter"),
            ("Jimmy,PFMS", "missing_parameter"),
            (",PFMS,a@b.example", "missing_parameter"),
            (MANUAL_PARAMS + ",,,,", "too_many_parameters"),
            ("Jimmy,PFMS,a@b.example,Spain,lots", "not_a_number"),
            ("Jimmy,PFMS,a@b.example,Spain,0,new", "not_a_number"),
            ("Jimmy,PFMS,a@b.example,Spain,0,0,,,,,,,,zero", "not_a_number"),
            ("Jimmy,PFMS,a@b.example,Spain,0,55", "unknown_progress_code"),
            ("Jimmy,PFMS,a@b.example,,,,,,,nobody", "unknown_owner"),
            ("Jimmy,PFMS,a@b.example,,,,,,,crm_user2x", "unknown_owner"),
            ("Jimmy,PFMS,a@b.example,,,,,,,,,,,999999", "unknown_company"),
            ("Jimmy,PFMS,a@b.example,,,,,,,,,,,,No such campaign", "unknown_campaign"),
            ("J%FFmmy,PFMS,a@b.example", "invalid_utf8"),
            ("Jimmy,PF%00MS,a@b.example", "invalid_character"),
            ("Jimmy," + "x" * 2000 + ",a@b.example", "too_long"),
        ]
        for params, code in cases:
            with self.subTest(params=params[:60]):
                self.assertRefused(self._api_create(params), 400, code)
        self.assertEqual(self.env["crm.lead"].with_context(active_test=False).search_count([]), count)

    def test_one_megabyte_parameter(self):
        response = self._api(data={"op": "create_lead", "params": "Jimmy,PFMS,a@b.example,,,,,,,,," + "x" * 2**20})
        self.assertRefused(response, 400, "too_long")
        self.assertFalse(self._leads(contact_name="Jimmy"))

    def test_sql_and_html_are_stored_as_text(self):
        payload = "x'); DROP TABLE crm_lead;-- <script>alert(1)</script> <b>bold</b>"
        values = [payload, payload, "a@b.example", "", "", "", payload, payload, payload, "", "", payload, payload]
        response = self._api_create(",".join(quote(value, safe="") for value in values))
        self.assertEqual(response.status_code, 200, response.text)
        lead = self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))
        for field in ("contact_name", "partner_name", "phone", "mobile", "function", "integria_product"):
            self.assertEqual(lead[field], payload, field)
        self.assertNotIn("<script>", lead.description)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", lead.description)
        self.assertNotIn("<script>", lead.message_ids[0].body)
        self.assertTrue(table_exists(self.env.cr, "crm_lead"))

    def test_duplicate_email_is_created_and_marked(self):
        first = self._api_create("Jimmy,PFMS,Jimmy@Duplicate.example")
        second = self._api_create("Jimmy%20R.,PFMS,jimmy@duplicate.example")
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        first, second = (self.env["crm.lead"].browse(int(r.headers["X-Lead-Id"])) for r in (first, second))
        self.assertFalse(first.is_duplicate)
        self.assertTrue(second.is_duplicate)
        self.assertIn(f"#{first.id}", second.message_ids[0].body)

    def test_tags_with_a_custom_token(self):
        values = ["Ana", "ACME, Inc.", "ana@acme.example"] + [""] * 12 + [",", "VIP,Unknown tag,Web form"]
        response = self._api_create(quote("|".join(values), safe="|") + "&token=|")
        self.assertEqual(response.status_code, 200, response.text)
        lead = self.env["crm.lead"].browse(int(response.headers["X-Lead-Id"]))
        self.assertEqual(lead.partner_name, "ACME, Inc.")
        self.assertEqual(lead.tag_ids, self.tag_vip | self.tag_web, "unknown tags are ignored")

    def test_closing_codes_and_campaign(self):
        campaign = self.env["utm.campaign"].create({"name": "Spring"})
        response = self._api_create("Ana,ACME,ana@acme.example,,,101,,,,crm_user1,,,,,Spring")
        lead = self.env["crm.lead"].with_context(active_test=False).browse(int(response.headers["X-Lead-Id"]))
        self.assertEqual((lead.won_status, lead.progress_code, lead.campaign_id), ("lost", 101, campaign))

    def test_info_version_and_unknown_operation(self):
        response = self.url_open("/integria/include/api.php?info=version")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Integria IMS compatible API", response.text)
        self.assertRefused(self._api("op=delete_user&params=admin"), 400, "unknown_operation")

    def test_prefix_is_a_setting(self):
        self.assertEqual(self._api_create(MANUAL_PARAMS, path="/other/include/api.php").status_code, 404)
        self.params.set_param(API_PREFIX_PARAM, "crm/v1")
        self.assertEqual(self._api_create(MANUAL_PARAMS, path="/crm/v1/include/api.php").status_code, 200)
        self.assertEqual(self._api_create(MANUAL_PARAMS, path="/integria/include/api.php").status_code, 404)


@tagged("post_install", "-at_install")
class TestLeadIntakeAccess(LeadIntakeCase):
    @mute_logger(CONTROLLER_LOGGER)
    def test_keys_that_do_not_open_the_endpoint(self):
        groups = "base.group_user,integria_crm.group_crm_write"
        outsider = new_test_user(self.env, login="intake_outsider", groups=groups)
        revoked = self._api_key(self.api_user)
        keys = self.env["res.users.apikeys"].sudo().search([("user_id", "=", self.api_user.id)], order="id desc")
        keys[0]._remove()
        cases = {
            "wrong key": {"key": "0" * 40},
            "login password": {"key": "the-login-password"},
            "revoked key": {"key": revoked},
            "no key": {"key": ""},
            "key of another login": {"user": "crm_user1"},
            "key of a user who is not an API user": {"key": self._api_key(outsider), "user": "intake_outsider"},
        }
        for case, kwargs in cases.items():
            with self.subTest(case=case):
                self.assertRefused(self._api_create(MANUAL_PARAMS, **kwargs), 401, "authentication_failed")
        self.assertFalse(self._leads(contact_name="Jimmy"))

    def test_keys_are_not_logged(self):
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            self.assertEqual(self._api_create(MANUAL_PARAMS).status_code, 200)
        [line] = [line for line in logs.output if "api.php" in line]
        self.assertIn("api.php?user=intake_api_user&user_pass=***&op=create_lead", line)
        self.assertNotIn(self.api_key, line)

    def test_masking_is_limited_to_the_endpoint(self):
        # the request line as Odoo's server logs it (odoo/service/server.py)
        def access_line(path):
            args = ("127.0.0.1", "now", f"GET {path}?user=u&user_pass=secret HTTP/1.1", "200", "-")
            record = logging.LogRecord("werkzeug", logging.INFO, __file__, 0, '%s - - [%s] "%s" %s %s', args, None)
            _MASK_API_KEYS.filter(record)
            return record.getMessage()

        _mask_keys_of_this_request()
        self.assertIn("user_pass=***", access_line("/integria/include/api.php"))
        # a request that the endpoint did not serve keeps its line as it is
        self.assertIn("user_pass=secret", access_line("/other/route"))

    def test_key_scoped_to_the_intake(self):
        scoped = self._api_key(self.api_user, "integria_crm.lead_intake")
        self.assertEqual(self._api_create(MANUAL_PARAMS, key=scoped).status_code, 200)
        self.assertEqual(self._api_create(MANUAL_PARAMS, key=scoped, user="").status_code, 200)

    def test_authorization_header(self):
        response = self._api_create(MANUAL_PARAMS, key="", headers={"Authorization": f"Bearer {self.api_key}"})
        self.assertEqual(response.status_code, 200, response.text)

    def test_auth_failures_answer_at_once(self):
        with patch("time.sleep", side_effect=AssertionError("no sleeping")), mute_logger(CONTROLLER_LOGGER):
            self.assertRefused(self._api_create(MANUAL_PARAMS, key="x" * 40), 401, "authentication_failed")

    def test_ip_allow_list(self):
        self.params.set_param(API_ALLOWED_IPS_PARAM, "10.0.0.0/8, 127.0.0.10")
        self.assertRefused(self._api_create(MANUAL_PARAMS), 403, "ip_not_allowed")
        self.params.set_param(API_ALLOWED_IPS_PARAM, "10.0.0.0/8, 127.0.0.0/24")
        self.assertEqual(self._api_create(MANUAL_PARAMS).status_code, 200)
        self.params.set_param(API_ALLOWED_IPS_PARAM, "127.0.0.1")
        self.assertEqual(self._api_create(MANUAL_PARAMS).status_code, 200)

    def test_trusted_ips_without_key(self):
        self.assertRefused(self._api_create(MANUAL_PARAMS, key=""), 401, "authentication_failed")
        self.params.set_param(API_TRUSTED_IPS_PARAM, "127.0.0.1/32")
        self.assertEqual(self._api_create(MANUAL_PARAMS, key="").status_code, 200)
        # only the API users, and only from the trusted addresses
        self.assertRefused(self._api_create(MANUAL_PARAMS, key="", user="crm_user1"), 401, "authentication_failed")
        self.params.set_param(API_TRUSTED_IPS_PARAM, "10.0.0.1")
        self.assertRefused(self._api_create(MANUAL_PARAMS, key=""), 401, "authentication_failed")

    def test_rate_limit_burst(self):
        self.params.set_param(RATE_LIMIT_PARAM, "5")
        statuses = [self._api_create(f"Lead {i},Burst Co,lead{i}@burst.example").status_code for i in range(8)]
        self.assertEqual(statuses, [200] * 5 + [429] * 3)
        response = self._api_create("Late,Burst Co,late@burst.example")
        self.assertRefused(response, 429, "rate_limited")
        self.assertEqual(response.headers["Retry-After"], "60")
        self.assertEqual(len(self._leads(partner_name="Burst Co")), 5)

    def test_rate_limit_counts_refused_keys_by_ip(self):
        self.params.set_param(RATE_LIMIT_PARAM, "3")
        with mute_logger(CONTROLLER_LOGGER):
            statuses = [self._api_create(MANUAL_PARAMS, key="y" * 40).status_code for _i in range(4)]
        self.assertEqual(statuses, [401, 401, 401, 429])


@tagged("post_install", "-at_install")
class TestLeadIntakeModelMethod(LeadIntakeCase):
    def test_model_method_as_the_api_user(self):
        lead_id = self.env["crm.lead"].with_user(self.api_user).create_integria_lead(MANUAL_PARAMS)
        lead = self.env["crm.lead"].browse(lead_id)
        self.assertEqual((lead.contact_name, lead.partner_name), ("Jimmy", "PFMS"))
        self.assertIn("external API", lead.message_ids[0].body)

    def test_model_method_takes_a_list(self):
        values = ["Ana", "ACME, Inc.", "ana@acme.example", "es", "", "200"]
        lead = self.env["crm.lead"].browse(self.env["crm.lead"].with_user(self.api_user).create_integria_lead(values))
        self.assertEqual((lead.partner_name, lead.won_status, lead.country_id.code), ("ACME, Inc.", "won", "ES"))

    def test_model_method_errors(self):
        with self.assertRaises(IntegriaLeadError) as error:
            self.env["crm.lead"].with_user(self.api_user).create_integria_lead("Jimmy,PFMS,a@b.example,,,55")
        self.assertEqual(error.exception.code, "unknown_progress_code")

    def test_model_method_needs_the_right_to_create_leads(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user2).create_integria_lead(MANUAL_PARAMS)

    def test_query_count(self):
        leads = self.env["crm.lead"].with_user(self.api_user)
        leads.create_integria_lead("Warm,PFMS,warm@pfms.example,Spain,0,0")
        self.env.invalidate_all()
        with self.assertQueryCount(32):
            leads.create_integria_lead("Jimmy,PFMS,jimmy2@pfms.example,Spain,0,0,,,Developer,,,Hello,1,0")

    def test_xmlrpc(self):
        db = self.env.cr.dbname
        lead_id = self.xmlrpc_object.execute_kw(
            db, self.api_user.id, self.api_key, "crm.lead", "create_integria_lead", [MANUAL_PARAMS]
        )
        self.assertEqual(self.env["crm.lead"].browse(lead_id).contact_name, "Jimmy")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "progress code"), mute_logger("odoo.http"):
            self.xmlrpc_object.execute_kw(
                db, self.api_user.id, self.api_key, "crm.lead", "create_integria_lead", ["Jimmy,x,a@b.example,,,55"]
            )
        # plain create keeps working for a user with the rights
        plain_id = self.xmlrpc_object.execute_kw(
            db,
            self.api_user.id,
            self.api_key,
            "crm.lead",
            "create",
            [{"name": "Plain", "contact_name": "Plain", "user_id": self.api_user.id}],
        )
        self.assertEqual(self.env["crm.lead"].browse(plain_id).name, "Plain")

    def test_jsonrpc(self):
        db = self.env.cr.dbname
        args = [db, self.api_user.id, self.api_key, "crm.lead", "create_integria_lead", [MANUAL_PARAMS]]
        response = self.url_open(
            "/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": "object", "method": "execute_kw", "args": args},
            },
        )
        self.assertEqual(self.env["crm.lead"].browse(response.json()["result"]).partner_name, "PFMS")

    def test_json2(self):
        headers = {"Authorization": f"bearer {self.api_key}", "X-Odoo-Database": self.env.cr.dbname}
        response = self.url_open(
            "/json/2/crm.lead/create_integria_lead",
            json={"params": ["Ana", "ACME", "ana@acme.example"], "separator": ","},
            headers=headers,
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.env["crm.lead"].browse(response.json()).partner_name, "ACME")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/json/2/crm.lead/create_integria_lead", json={"params": "Ana,ACME"}, headers=headers
            )
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("required", response.json()["message"])
