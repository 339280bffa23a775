import re
import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..tools.portal_fields import PORTAL_KEY
from .common import ALL_PROPERTY_TYPES, IntegriaContractCase, IntegriaInvoiceCase
from .test_invoice_report import SPANISH_LABELS


class PortalCase(IntegriaInvoiceCase, IntegriaContractCase):
    """The manual's example with a customer portal.

    Ana García, a contact of Customer A, has portal access. Customer A1 hangs
    from Customer A (a subsidiary); each of Customer A, A1 and B has a
    contract and an issued invoice; Customer A also has a private contract
    (from IntegriaContractCase) and a received invoice.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="portal_ana", groups="base.group_portal", partner_id=cls.contact_a.id
        )
        cls.customer_a1 = cls._create_crm_company("Customer A1", cls.user1, cls.customer_a)
        cls.contract_a1 = cls._create_contract("Support A1", cls.customer_a1, contract_number="A1-001")
        cls.invoice_a = cls._create_invoice(cls.customer_a, internal_note="Do not tell: 40% margin")
        cls.invoice_a_received = cls._create_invoice(cls.customer_a, number="SUP-7", invoice_type="received")
        cls.invoice_a1 = cls._create_invoice(cls.customer_a1)
        cls.invoice_b = cls._create_invoice(cls.customer_b)
        cls.hidden_contracts = cls.contract_a_private | cls.contract_b
        cls.hidden_invoices = cls.invoice_a_received | cls.invoice_b


class TestPortalRules(PortalCase):
    """What a portal user reaches through the ORM: the record rules and the
    access rights of the portal group (docs/permissions.md, "Customer portal")."""

    def test_company_and_subsidiaries(self):
        contracts = self.env["integria.contract"].with_user(self.portal_user).search([])
        self.assertEqual(contracts, self.contract_a | self.contract_a1)
        invoices = self.env["integria.invoice"].with_user(self.portal_user).search([])
        self.assertEqual(invoices, self.invoice_a | self.invoice_a1)

    def test_no_other_record_whatever_the_id(self):
        for record in (*self.hidden_contracts, *self.hidden_invoices):
            with self.subTest(record=record.display_name), self.assertRaises(AccessError):
                record.with_user(self.portal_user).read(["display_name"])

    def test_read_only(self):
        with self.assertRaises(AccessError):
            self.contract_a.with_user(self.portal_user).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.invoice_a.with_user(self.portal_user).write({"state": "paid", "date_payment": "2025-02-01"})
        with self.assertRaises(AccessError):
            self.env["integria.contract"].with_user(self.portal_user).create(
                {"name": "New", "partner_id": self.customer_a.id}
            )

    def test_internal_fields(self):
        """Never the internal note of an invoice, never a contract's custom fields raw."""
        with self.assertRaises(AccessError):
            self.invoice_a.with_user(self.portal_user).read(["internal_note"])
        with self.assertRaises(AccessError):
            self.contract_a.with_user(self.portal_user).read(["contract_properties"])
        fields = self.env["integria.invoice"].with_user(self.portal_user).fields_get()
        self.assertNotIn("internal_note", fields)
        self.assertIn("internal_note", self.env["integria.invoice"].with_user(self.user1).fields_get())

    def test_leaks(self):
        """The leaks checked for User 2, for the portal user: messages,
        attachments, followers, read_group, name_search, export."""
        portal = self.portal_user
        self.contract_a.message_post(body="Internal: the price may go down", message_type="comment")
        self.contract_b.message_post(body="Customer B is late", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.contract_a.message_subscribe(partner_ids=self.user1.partner_id.ids)
        self.contract_b.message_subscribe(partner_ids=self.manager1.partner_id.ids)
        internal_file = self.env["ir.attachment"].create(
            {"name": "prices.xlsx", "raw": b"x", "res_model": "integria.contract", "res_id": self.contract_a.id}
        )
        document = self.contract_a._generate_document_pdf(self.template)
        private_file = self.env["ir.attachment"].create(
            {"name": "p.pdf", "raw": b"x", "res_model": "integria.contract", "res_id": self.contract_a_private.id}
        )

        messages = self.env["mail.message"].with_user(portal).search([("model", "=", "integria.contract")])
        self.assertFalse(messages.filtered(lambda message: message.res_id in self.hidden_contracts.ids))
        self.assertNotIn("price may go down", "".join(messages.mapped("body")))

        # the portal group has no access to attachments (Odoo's rights); the
        # contract documents are served by the portal's pages only
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(portal).search([("res_model", "=", "integria.contract")])
        for attachment in (internal_file, document, private_file):
            with self.assertRaises(AccessError):
                attachment.with_user(portal).read(["name"])
        message_files = messages.with_user(portal).read(["attachment_ids"])
        self.assertFalse({file_id for row in message_files for file_id in row["attachment_ids"]} - set(document.ids))

        # followers are the employees' business (Odoo gives portal users no access to them)
        with self.assertRaises(AccessError):
            self.env["mail.followers"].with_user(portal).search([("res_model", "=", "integria.contract")])
        with self.assertRaises(AccessError):
            self.contract_a.with_user(portal).read(["message_follower_ids"])

        contracts = self.env["integria.contract"].with_user(portal)
        groups = contracts.formatted_read_group([], ["partner_id"], ["__count"])
        self.assertEqual(
            {group["partner_id"][0]: group["__count"] for group in groups},
            {self.customer_a.id: 1, self.customer_a1.id: 1},
        )
        self.assertEqual({name for _id, name in contracts.name_search("Support")}, {"Support A", "Support A1"})
        invoices = self.env["integria.invoice"].with_user(portal)
        self.assertEqual(
            {name for _id, name in invoices.name_search("")}, {self.invoice_a.number, self.invoice_a1.number}
        )
        # exporting is for Odoo's export group, which portal users are not in
        with self.assertRaises(UserError):
            invoices.search([]).export_data(["number", "amount_total"])
        self.assertFalse(portal.has_group("base.group_allow_export"))

    def test_rule_sql_on_own_columns(self):
        """The portal rules compile to a prefix LIKE on the record's own indexed crm_path, no join."""
        for model in ("integria.contract", "integria.invoice"):
            query = self.env[model].with_user(self.portal_user)._search([])
            sql = query.select().code
            with self.subTest(model=model):
                self.assertIn('"crm_path" LIKE', sql)
                self.assertNotIn("JOIN", sql.upper())
                self.assertNotIn("res_partner", sql)

    def test_contact_moves_to_another_customer(self):
        self.contact_a.parent_id = self.customer_b
        contracts = self.env["integria.contract"].with_user(self.portal_user).search([])
        self.assertEqual(contracts, self.contract_b)

    def test_employees_reach_nothing_through_their_contact(self):
        self.assertEqual(self.user2.crm_portal_pattern, "!")
        self.assertEqual(self.portal_user.crm_portal_pattern, f"{self.customer_a.crm_path}%")

    def test_portal_custom_fields(self):
        definition = [
            {**prop, PORTAL_KEY: True} if prop["name"] in ("tier", "seats") else prop for prop in ALL_PROPERTY_TYPES
        ]
        self.contract_type.properties_definition = definition
        self.contract_a.contract_properties = {"tier": "Gold", "seats": 25, "notes": "Hard to please"}
        shown = self.contract_a.with_user(self.portal_user).sudo()._get_portal_custom_fields()
        self.assertEqual(shown, [("Tier", "Gold"), ("Seats", "25")])

    def test_tokens_are_no_customer_activity(self):
        self.customer_a.last_activity_date = "2025-01-01 00:00:00"
        self.contract_a._portal_ensure_token()
        self.invoice_a._portal_ensure_token()
        self.invoice_a.sudo().access_token = False
        self.assertEqual(str(self.customer_a.last_activity_date), "2025-01-01 00:00:00")

    def test_share_and_revoke(self):
        share = (
            self.env["portal.share"]
            .with_user(self.user1)
            .with_context(active_model="integria.contract", active_id=self.contract_a.id)
            .create({"partner_ids": [Command.link(self.contact_a.id)]})
        )
        token = self.contract_a.access_token
        self.assertTrue(token)
        self.assertIn(f"access_token={token}", share.share_link)
        # Send by e-mail: the link goes to the recipient in the contract's chatter
        share.action_send_mail()
        sent = self.contract_a.message_ids.filtered(lambda message: self.contact_a in message.partner_ids)
        self.assertEqual(len(sent), 1)
        self.assertIn(f"access_token={token}", sent.body)
        self.contract_a.with_user(self.user1).action_revoke_access_token()
        self.assertFalse(self.contract_a.access_token)
        with self.assertRaises(AccessError):
            self.contract_b.with_user(self.user1).action_revoke_access_token()
        with self.assertRaises(UserError):
            self.env["integria.contract"].with_user(self.user1).with_context(
                active_model="integria.contract", active_id=self.contract_a_private.id
            ).action_share()


class TestPortalDemo(TransactionCase):
    """The demo data, as installed (the other portal tests start from a fixture
    that removes the demo's invoices)."""

    def test_demo_portal_user(self):
        """The demo's Ana García sees exactly Customer A's non-private contracts and issued invoices."""
        ana = self.env.ref("integria_crm.user_portal_ana", raise_if_not_found=False)
        if not ana:
            self.skipTest("installed without the demo data")
        customer_a = self.env.ref("integria_crm.partner_customer_a")
        contracts = self.env["integria.contract"]
        self.assertEqual(
            contracts.with_user(ana).search([]),
            contracts.search([("partner_id", "=", customer_a.id), ("is_private", "=", False)]),
        )
        invoices = self.env["integria.invoice"]
        self.assertEqual(
            invoices.with_user(ana).search([]),
            invoices.search([("partner_id", "=", customer_a.id), ("invoice_type", "=", "issued")]),
        )
        self.assertTrue(contracts.with_user(ana).search([]))
        self.assertTrue(invoices.with_user(ana).search([]))


@tagged("post_install", "-at_install")
class TestPortalAskUs(PortalCase):
    def test_request_becomes_a_lead(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.portal_user)
            ._create_portal_request(
                self.contract_a, self.portal_user.partner_id, "Renewal: Support A", "We need 5 more seats."
            )
        )
        self.assertRecordValues(
            lead,
            [
                {
                    "name": "Renewal: Support A",
                    "user_id": self.user1.id,
                    "crm_partner_id": self.my_company.id,
                    "contract_id": self.contract_a.id,
                    "partner_id": self.contact_a.id,
                }
            ],
        )
        message = lead.message_ids.filtered(lambda message: "5 more seats" in (message.body or ""))
        self.assertEqual(message.author_id, self.contact_a)
        self.assertEqual(lead.activity_ids.user_id, self.user1)
        self.assertIn(lead, self.env["crm.lead"].with_user(self.user1).search([]))
        self.assertIn(lead, self.env["crm.lead"].with_user(self.manager1).search([]))


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCase, HttpCase):
    """The portal from outside: pages over real HTTP, direct URLs and guessed
    ids, shared links, XML-RPC, and a tour in Chromium, as the portal user."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirectedAway(self, url):
        response = self._get(url)
        self.assertEqual(response.status_code, 303, url)
        self.assertTrue(response.headers["Location"].endswith("/my"), url)

    def test_lists(self):
        self.authenticate("portal_ana", "portal_ana")
        contracts = self.url_open("/my/integria/contracts").text
        for name in ("Support A", "Support A1"):
            self.assertIn(name, contracts)
        for name in ("Prices A", "Support B"):
            self.assertNotIn(name, contracts)
        searched = self.url_open("/my/integria/contracts?search=A1-001&search_in=all").text
        self.assertIn("Support A1", searched)
        self.assertNotIn(">Support A<", searched)
        invoices = self.url_open("/my/integria/invoices").text
        for invoice in self.invoice_a | self.invoice_a1:
            self.assertIn(invoice.number, invoices)
        for invoice in self.hidden_invoices:
            self.assertNotIn(f">{invoice.number}<", invoices)

    def test_contract_list_sorts_and_pages(self):
        self.env["integria.contract"].create(
            [
                {"name": f"Bulk {index:03d}", "partner_id": self.customer_a.id, "date_start": "2024-01-01"}
                for index in range(85)
            ]
        )
        self.authenticate("portal_ana", "portal_ana")
        first = self.url_open("/my/integria/contracts?sortby=name").text
        second = self.url_open("/my/integria/contracts/page/2?sortby=name").text
        self.assertEqual(first.count("o_integria_portal_contract"), 80)
        self.assertIn("Bulk 000", first)
        self.assertNotIn("Bulk 084", first)
        # 87 contracts by reference: the last ones on the second page
        self.assertEqual(second.count("o_integria_portal_contract"), 7)
        for name in ("Bulk 084", "Support A", "Support A1"):
            self.assertIn(name, second)
        self.assertNotIn("Prices A", first + second)

    def test_overdue_marked(self):
        self.invoice_a.write({"date_invoice": "2025-01-01", "date_due": "2025-01-31"})
        self.authenticate("portal_ana", "portal_ana")
        page = self.url_open("/my/integria/invoices?filterby=overdue").text
        self.assertIn("o_integria_overdue", page)
        self.assertIn(self.invoice_a.number, page)
        self.assertNotIn(self.invoice_a1.number, page)

    def test_direct_urls_and_guessed_ids(self):
        self.authenticate("portal_ana", "portal_ana")
        self.assertEqual(self._get(f"/my/integria/contracts/{self.contract_a.id}").status_code, 200)
        for contract in self.hidden_contracts:
            self.assertRedirectedAway(f"/my/integria/contracts/{contract.id}")
        self.assertRedirectedAway("/my/integria/contracts/999999999")
        for invoice in self.hidden_invoices:
            self.assertRedirectedAway(f"/my/integria/invoices/{invoice.id}")
            self.assertRedirectedAway(f"/my/integria/invoices/{invoice.id}?report_type=pdf&download=true")
        other_file = self.contract_b._generate_document_pdf(self.template)
        internal_file = self.env["ir.attachment"].create(
            {"name": "prices.xlsx", "raw": b"x", "res_model": "integria.contract", "res_id": self.contract_a.id}
        )
        for attachment in other_file | internal_file:
            response = self._get(f"/my/integria/contracts/{self.contract_a.id}/documents/{attachment.id}")
            self.assertEqual(response.status_code, 404)
        self.assertRedirectedAway(f"/my/integria/contracts/{self.contract_b.id}/documents/{other_file.id}")

    def test_contract_page_and_documents(self):
        self.contract_type.properties_definition = [
            {**prop, PORTAL_KEY: True} if prop["name"] == "tier" else prop for prop in ALL_PROPERTY_TYPES
        ]
        self.contract_a.contract_properties = {"tier": "Gold tier", "notes": "Hard to please"}
        document = self.contract_a._generate_document_pdf(self.template)
        self.env["ir.attachment"].create(
            {"name": "prices.xlsx", "raw": b"x", "res_model": "integria.contract", "res_id": self.contract_a.id}
        )
        self.authenticate("portal_ana", "portal_ana")
        page = self.url_open(self.contract_a.access_url).text
        self.assertIn("Gold tier", page)
        self.assertNotIn("Hard to please", page)
        self.assertIn(document.name, page)
        self.assertNotIn("prices.xlsx", page)
        response = self.url_open(f"/my/integria/contracts/{self.contract_a.id}/documents/{document.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, document.raw)
        self.assertIn("attachment", response.headers["Content-Disposition"])

    def test_invoice_pdf_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        template = self.env.ref("integria_crm.report_integria_invoice_document")
        template.update_field_translations("arch_db", {"es_ES": SPANISH_LABELS})
        self.invoice_a.lang = "es_ES"
        self.authenticate("portal_ana", "portal_ana")
        page = self.url_open(self.invoice_a.access_url).text
        self.assertNotIn("40% margin", page)
        response = self.url_open(f"{self.invoice_a.access_url}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # the test server renders reports as HTML instead of PDF: same text
        self.assertRegex(response.text, rf"Factura\s*<span>{re.escape(self.invoice_a.number)}</span>")
        self.assertIn("Fecha de factura", response.text)
        self.assertNotIn("40% margin", response.text)

    def test_shared_link_without_account(self):
        url = self.contract_a._get_share_url()
        self.assertIn("access_token=", url)
        self.assertEqual(self._get(url).status_code, 200)
        invoice_url = self.invoice_b._get_share_url()
        self.assertEqual(self._get(invoice_url).status_code, 200)
        # a token of another record opens nothing
        token_a = self.contract_a.access_token
        self.assertRedirectedAway(f"{self.contract_b.access_url}?access_token={token_a}")
        self.assertRedirectedAway(f"{self.invoice_a.access_url}?access_token={self.invoice_b.access_token}")
        self.assertRedirectedAway(f"{self.contract_b.access_url}?access_token=")
        # revoked
        self.contract_a.action_revoke_access_token()
        self.assertRedirectedAway(url)
        # a private contract never, even with its token
        self.contract_a_private._portal_ensure_token()
        self.assertRedirectedAway(
            f"{self.contract_a_private.access_url}?access_token={self.contract_a_private.access_token}"
        )
        # the lists need an account
        self.assertNotEqual(self._get("/my/integria/contracts").status_code, 200)

    def test_ask_us_over_http(self):
        self.authenticate("portal_ana", "portal_ana")
        page = self.url_open(self.contract_a.access_url).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/my/integria/contracts/{self.contract_a.id}/request",
            data={"csrf_token": token, "kind": "seats", "message": "Five more seats, please."},
        )
        self.assertIn("o_integria_request_sent", response.text)
        lead = self.env["crm.lead"].search([("contract_id", "=", self.contract_a.id)])
        self.assertRecordValues(lead, [{"user_id": self.user1.id, "partner_id": self.contact_a.id}])
        self.assertIn("Five more seats", lead.message_ids.mapped("body")[0])
        # not about a contract one cannot see
        self.url_open(
            f"/my/integria/contracts/{self.contract_b.id}/request",
            data={"csrf_token": token, "kind": "seats", "message": "Sneaky"},
        )
        self.assertFalse(self.env["crm.lead"].search([("contract_id", "=", self.contract_b.id)]))

    def test_xmlrpc_as_portal_user(self):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "portal_ana", "portal_ana", {})
        self.assertEqual(uid, self.portal_user.id)

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "portal_ana", model, method, args, kwargs)

        contracts = call("integria.contract", "search_read", [], fields=["name"])
        self.assertEqual({row["name"] for row in contracts}, {"Support A", "Support A1"})
        invoices = call("integria.invoice", "search", [])
        self.assertEqual(set(invoices), set((self.invoice_a | self.invoice_a1).ids))
        for model, record_id, field in (
            ("integria.contract", self.contract_b.id, "name"),
            ("integria.contract", self.contract_a_private.id, "name"),
            ("integria.invoice", self.invoice_a_received.id, "number"),
            ("integria.invoice", self.invoice_a.id, "internal_note"),
            ("integria.contract", self.contract_a.id, "contract_properties"),
        ):
            with self.subTest(model=model, field=field), self.assertRaises(xmlrpc.client.Fault):
                call(model, "read", [record_id], fields=[field])
        with self.assertRaises(xmlrpc.client.Fault):
            call("integria.contract", "write", [self.contract_a.id], {"name": "Mine"})

    def test_list_query_count_does_not_grow(self):
        self.authenticate("portal_ana", "portal_ana")

        def page_queries():
            self.url_open("/my/integria/invoices")  # warm the caches
            before = self.cr.sql_log_count
            self.url_open("/my/integria/invoices")
            return self.cr.sql_log_count - before

        few = page_queries()
        self.env["integria.invoice"].create([self._invoice_values(self.customer_a) for _index in range(30)])
        self.env.flush_all()
        self.assertEqual(page_queries(), few)

    def test_portal_tour(self):
        self.contract_a.contract_properties = {"tier": "Gold tier"}
        self.contract_type.properties_definition = [
            {**prop, PORTAL_KEY: True} if prop["name"] == "tier" else prop for prop in ALL_PROPERTY_TYPES
        ]
        self.start_tour("/my", "integria_portal_tour", login="portal_ana")
        lead = self.env["crm.lead"].search([("contract_id", "=", self.contract_a.id)])
        self.assertEqual(lead.user_id, self.user1)

    def test_shown_in_the_portal_choice(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        support = self.env["integria.contract.type"].create({"name": "Support hours"})
        self.start_tour("/odoo/crm-contract-types", "integria_portal_field_tour", login="crm_manager1")
        self.assertEqual(
            [(prop["string"], prop.get(PORTAL_KEY)) for prop in support.properties_definition], [("Seats", True)]
        )
