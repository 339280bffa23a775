import json

from odoo.tests import HttpCase, tagged

from .common import LeadCase


@tagged("post_install", "-at_install")
class TestLeadUi(LeadCase, HttpCase):
    def test_reply_tour_user1(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.lead_reference_mailbox", "leads@example.com")
        lead = self.lead_user1
        self.start_tour(
            "/odoo/action-integria_crm.action_integria_leads", "integria_lead_reply_tour", login="crm_user1"
        )
        message = lead.message_ids.filtered(lambda m: m.subject == f"[Lead#{lead.id}] Your request")
        self.assertEqual(message.author_id, self.user1.partner_id)
        self.assertEqual(message.partner_ids.email_normalized, "jimmy@pfms.example")
        self.assertIn("Dear Jimmy Rodriguez", message.body)
        self.assertEqual(lead.progress_code, 20)

    def test_rights_tour_user1_in_spanish(self):
        """User 1 (Spanish) on a lead he may only read and on his own: nothing
        he can click ends in an error (integria_lead_rights_tour)."""
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"].search([("name", "in", ("crm", "integria_crm"))])._update_translations("es_ES")
        self.user1.lang = "es_ES"
        before = self.lead_manager1.read(["stage_id", "won_status", "write_date"])
        self.start_tour(
            "/odoo/action-integria_crm.action_integria_leads", "integria_lead_rights_tour", login="crm_user1"
        )
        self.assertEqual(self.lead_manager1.read(["stage_id", "won_status", "write_date"]), before)
        self.assertEqual((self.lead_user1.won_status, self.lead_user1.progress_code), ("lost", 102))
        self.assertEqual(self.lead_user1.stage_id.integria_code, "40")

    def test_other_records_rights_tour_user1(self):
        """Contracts and companies follow the same pattern: integria_crm_records_rights_tour."""
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        contract_b = self._create_contract("Support B", self.customer_b, contract_number="TOUR-B", state="active")
        self._create_contract("Support A", self.customer_a, contract_number="TOUR-A", state="active")
        before = contract_b.read(["state", "write_date"])
        self.start_tour("/odoo/crm-contracts?view_type=kanban", "integria_crm_records_rights_tour", login="crm_user1")
        self.assertEqual(contract_b.read(["state", "write_date"]), before)
        before = self.customer_b.read(["name", "write_date"])
        self.start_tour(
            f"/odoo/action-integria_crm.action_integria_crm_company/{self.customer_b.id}",
            "integria_crm_company_rights_tour",
            login="crm_user1",
        )
        self.assertEqual(self.customer_b.read(["name", "write_date"]), before)


@tagged("post_install", "-at_install")
class TestLeadDemo(HttpCase):
    """The demo data: the manual's users and their leads."""

    def test_demo_leads_and_rights(self):
        user1 = self.env.ref("integria_crm.user_crm_user1")
        user2 = self.env.ref("integria_crm.user_crm_user2")
        demo = self.env["crm.lead"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref(f"integria_crm.lead_demo_{name}").id
                        for name in ("pfms", "web_form", "customer_a", "customer_b", "won", "meeting")
                    ],
                )
            ]
        )
        self.assertEqual(len(demo), 6)
        self.assertGreaterEqual(len(set(demo.mapped("progress_code"))), 5, "several stages")
        self.assertEqual(self.env["crm.lead"].with_user(user1).search([("id", "in", demo.ids)]), demo)
        self.assertEqual(
            demo.with_user(user1)._filtered_access("write"),
            demo.filtered(lambda lead: user1 in (lead.user_id, lead.crm_owner_id)),
        )
        self.assertFalse(self.env["crm.lead"].with_user(user2).has_access("read"))
        pfms = self.env.ref("integria_crm.lead_demo_pfms")
        emails = pfms.message_ids.filtered(lambda m: m.message_type in ("email", "email_outgoing"))
        self.assertEqual(len(emails), 2)
        self.assertTrue(all(f"[Lead#{pfms.id}]" in subject for subject in emails.mapped("subject")))
        self.assertFalse(self.env.ref("integria_crm.fetchmail_server_demo_reference_mailbox").active)


@tagged("post_install", "-at_install")
class TestCrmDashboard(LeadCase, HttpCase):
    """The Integria CRM dashboard of Odoo's spreadsheet dashboards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("integria_crm.spreadsheet_dashboard_integria_crm")

    def test_visible_to_manage_users_only(self):
        dashboards = self.env["spreadsheet.dashboard"]
        self.assertEqual(dashboards.with_user(self.manager1).search([("id", "=", self.dashboard.id)]), self.dashboard)
        self.assertFalse(dashboards.with_user(self.user1).search([("id", "=", self.dashboard.id)]))

    def test_every_block_reads_as_manager1(self):
        """Each pivot and list of the dashboard's JSON is a valid query of its
        model, run as Manager 1: the data it shows are his."""
        data = json.loads(self.dashboard.spreadsheet_data)
        self.assertEqual(len(data["pivots"]), 8)
        for pivot in data["pivots"].values():
            with self.subTest(pivot=pivot["name"]):
                row = pivot["rows"][0]
                groupby = row["fieldName"] + (f":{row['granularity']}" if row.get("granularity") else "")
                aggregates = [
                    m["fieldName"] if m["fieldName"] == "__count" else f"{m['fieldName']}:sum"
                    for m in pivot["measures"]
                ]
                self.env[pivot["model"]].with_user(self.manager1).formatted_read_group(
                    pivot["domain"], [groupby], aggregates
                )
        for spreadsheet_list in data["lists"].values():
            self.env[spreadsheet_list["model"]].with_user(self.manager1).search_read(
                spreadsheet_list["domain"], spreadsheet_list["columns"], limit=12
            )
        pipeline = (
            self.env["crm.lead"]
            .with_user(self.manager1)
            .formatted_read_group(data["pivots"]["1"]["domain"], ["stage_id"], ["__count"])
        )
        self.assertGreaterEqual(sum(group["__count"] for group in pipeline), 4, "the leads of the fixture")

    def test_dashboard_tour_manager1(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "integria_crm_dashboard_tour",
            login="crm_manager1",
        )
