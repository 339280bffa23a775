from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LeadCase


@tagged("post_install", "-at_install")
class TestLeadProgress(LeadCase):
    """Integria's progress codes on Odoo's stages and won/lost state, both ways."""

    def test_open_codes_are_stages(self):
        lead = self.lead_user1
        self.assertEqual(lead.progress_code, 0)
        self.assertEqual(lead.stage_id, self.env.ref("crm.stage_lead1"))
        for code in (20, 40, 60, 80):
            lead.progress_code = code
            self.assertEqual(lead.stage_id.integria_code, str(code))
            self.assertEqual(lead.won_status, "pending")
        lead.stage_id = self.env.ref("integria_crm.stage_lead_proposal_delivered")
        self.assertEqual(lead.progress_code, 60)
        self.assertEqual(self.env["crm.lead"].search([("progress_code", "=", 60), ("id", "=", lead.id)]), lead)

    def test_won_and_lost_codes(self):
        lead = self.lead_user1
        lead.progress_code = 200
        self.assertEqual(lead.won_status, "won")
        self.assertTrue(lead.stage_id.is_won)
        for code in (100, 101, 102):
            lead.progress_code = code
            self.assertEqual(lead.won_status, "lost")
            self.assertFalse(lead.active)
            self.assertEqual(lead.lost_reason_id.integria_code, str(code))
            self.assertEqual(lead.progress_code, code)
        lead.progress_code = 40
        self.assertTrue(lead.active)
        self.assertEqual(lead.won_status, "pending")
        self.assertEqual(lead.stage_id.integria_code, "40")

    def test_odoo_actions_give_the_codes(self):
        lead = self.lead_user1
        lead.action_set_won()
        self.assertEqual(lead.progress_code, 200)
        lead.stage_id = self.env.ref("crm.stage_lead3")
        lead.action_set_lost(lost_reason_id=self.env.ref("integria_crm.lost_reason_invalid").id)
        self.assertEqual(lead.progress_code, 102)
        lead.action_restore()
        lead.action_set_lost(lost_reason_id=self.env.ref("crm.lost_reason_1").id)
        self.assertEqual(lead.progress_code, 101, "a reason without a code is Closed, lost")

    def test_names_are_editable_and_codes_stay(self):
        stage = self.env.ref("crm.stage_lead2")
        stage.name = "Reunión"
        self.lead_user1.progress_code = 20
        self.assertEqual(self.lead_user1.stage_id, stage)
        self.assertEqual(self.lead_user1.progress_name, "Reunión")

    def test_stage_without_code_takes_the_code_before_it(self):
        stage = self.env["crm.stage"].create({"name": "Waiting", "sequence": 3})
        self.lead_user1.stage_id = stage
        self.assertEqual(self.lead_user1.progress_code, 40)

    def test_unknown_code_is_refused(self):
        with self.assertRaises(ValidationError):
            self.lead_user1.progress_code = 55

    def test_create_with_a_code(self):
        lead = self._create_lead("Closed at once", self.user1, progress_code=101)
        self.assertEqual(lead.won_status, "lost")
        self.assertEqual(lead.progress_code, 101)


@tagged("post_install", "-at_install")
class TestLeadData(LeadCase):
    def test_owner_sets_managed_by(self):
        self.assertEqual(self.lead_user1.crm_partner_id, self.my_company)
        self.user2.group_ids |= self.env.ref("integria_crm.group_crm_write")
        self.lead_user1.user_id = self.user2
        self.assertEqual(self.lead_user1.crm_partner_id, self.customer_a)
        self.assertEqual(self.lead_customer_b.crm_owner_id, self.manager1)
        self.assertEqual(self.lead_customer_b.crm_path, self.customer_b.crm_path)

    def test_company_leads_tab_counts_open_leads(self):
        self.assertEqual(self.customer_b.crm_open_lead_count, 1)
        self.lead_customer_b.progress_code = 101
        self.customer_b.invalidate_recordset(["crm_open_lead_count"])
        self.assertEqual(self.customer_b.crm_open_lead_count, 0)

    def test_stale_after_n_days(self):
        lead = self.lead_user1
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.lead_stale_days", "7")
        self.env.cr.execute(
            "UPDATE crm_lead SET write_date = now() at time zone 'UTC' - interval '8 days' WHERE id = %s", [lead.id]
        )
        lead.invalidate_recordset()
        self.assertTrue(lead.is_stale)
        stale = self.env["crm.lead"].search([("is_stale", "=", True)])
        self.assertIn(lead, stale)
        self.assertNotIn(self.lead_manager1, stale)
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.lead_stale_days", "10")
        lead.invalidate_recordset()
        self.assertFalse(lead.is_stale)
        self.assertNotIn(lead, self.env["crm.lead"].search([("is_stale", "=", True)]))

    def test_changes_are_tracked(self):
        # the class environment disables tracking (its discarded tracking
        # waits in the precommit data until run); this test wants it
        self.env.flush_all()
        self.env.cr.precommit.run()
        lead = self.lead_user1.with_env(self.env(context={}))
        lead.write({"expected_revenue": 5000, "date_deadline": "2030-01-31", "progress_code": 40})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search([("mail_message_id.model", "=", "crm.lead"), ("mail_message_id.res_id", "=", lead.id)])
            .field_id.mapped("name")
        )
        for name in ("expected_revenue", "date_deadline", "progress_code", "stage_id"):
            self.assertIn(name, tracked)
