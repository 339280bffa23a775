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
        message = lead.message_ids.filtered(lambda m: m.message_type == "email_outgoing")
        self.assertEqual(message.subject, f"[Lead#{lead.id}] Your request")
        self.assertEqual(message.author_id, self.user1.partner_id)
        self.assertEqual(lead.progress_code, 20)


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
            demo.with_user(user1)._filtered_access("write"), demo.filtered(lambda lead: lead.user_id == user1)
        )
        self.assertFalse(self.env["crm.lead"].with_user(user2).has_access("read"))
        pfms = self.env.ref("integria_crm.lead_demo_pfms")
        emails = pfms.message_ids.filtered(lambda m: m.message_type in ("email", "email_outgoing"))
        self.assertEqual(len(emails), 2)
        self.assertTrue(all(f"[Lead#{pfms.id}]" in subject for subject in emails.mapped("subject")))
        self.assertFalse(self.env.ref("integria_crm.fetchmail_server_demo_reference_mailbox").active)
