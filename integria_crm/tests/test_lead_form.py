import re

from odoo.tests import tagged

from ..models.crm_lead_intake import WEB_FORM_USER_PARAM
from ..models.integria_lead_intake_rate import RATE_LIMIT_PARAM
from .test_lead_intake import LeadIntakeCase


@tagged("post_install", "-at_install")
class TestLeadForm(LeadIntakeCase):
    """The public web form /integria/lead-form, as a visitor (the public
    user) and as a bot."""

    def _form_post(self, **values):
        page = self.url_open("/integria/lead-form")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/integria/lead-form", data={"csrf_token": token, **values})

    def test_tour_as_a_visitor(self):
        self.start_tour("/integria/lead-form", "integria_lead_form_tour")
        lead = self._leads(email_from="lucia@tour.example")
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.contact_name, "Lucía Fernández")
        self.assertEqual(lead.partner_name, "Tour <b>Company</b>")
        self.assertEqual((lead.function, lead.country_id.code), ("Buyer", "ES"))
        self.assertIn("Please call me.", lead.description)
        self.assertEqual(lead.create_uid, self.api_user)
        self.assertIn("web form", lead.message_ids[0].body)

    def test_page_holds_no_credential(self):
        page = self.url_open("/integria/lead-form").text
        self.assertNotIn(self.api_key, page)
        self.assertNotIn("intake_api_user", page)
        self.assertIn('name="website_url"', page, "the honeypot")

    def test_honeypot_blocks_a_bot(self):
        response = self._form_post(name="Bot", email="bot@spam.example", website_url="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertFalse(self._leads(email_from="bot@spam.example"))

    def test_csrf_token_is_required(self):
        response = self.url_open("/integria/lead-form", data={"name": "No token", "email": "nt@x.example"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._leads(email_from="nt@x.example"))

    def test_required_and_valid_email(self):
        response = self._form_post(name="Ana", email="not an address")
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid e-mail", response.text)
        response = self._form_post(name="", email="ana@acme.example")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._leads(email_from="ana@acme.example"))

    def test_errors_are_escaped(self):
        response = self._form_post(name="<script>x</script>", email="not an address")
        self.assertNotIn("<script>x</script>", response.text)

    def test_rate_limit(self):
        self.params.set_param(RATE_LIMIT_PARAM, "2")
        statuses = [self._form_post(name=f"Ana {i}", email=f"ana{i}@acme.example").status_code for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        self.assertEqual(self.env["crm.lead"].search_count([("email_from", "like", "@acme.example")]), 2)

    def test_web_form_user_setting(self):
        self.params.set_param(WEB_FORM_USER_PARAM, str(self.user1.id))
        self._form_post(name="Ana", email="ana@acme.example")
        self.assertEqual(self._leads(email_from="ana@acme.example").create_uid, self.user1)
