from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

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

    def test_integria_stage_names_in_spanish_win_over_crm(self):
        """crm's translations ("Calificado", "Propuesta") are loaded again
        with the Spanish language; Integria's names win, for a Spanish user."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"].search([("name", "in", ("crm", "integria_crm"))])._update_translations("es_ES")
        self.user1.lang = "es_ES"
        as_user1 = self.env(user=self.user1, context={"lang": self.user1.lang})
        stages = as_user1["crm.stage"].search([("integria_code", "!=", False)])
        names = {stage.integria_code: stage.name for stage in stages}
        self.assertEqual(names["20"], "Reunión concertada")
        self.assertEqual(names["40"], "Necesidades descubiertas")
        self.assertEqual(names["60"], "Propuesta entregada")
        self.assertEqual(names["80"], "Oferta aceptada")
        self.assertEqual(self.env.ref("crm.stage_lead2").with_context(lang="en_US").name, "Meeting Arranged")
        lead = self.lead_user1.with_env(as_user1)
        lead.progress_code = 20
        self.assertEqual(lead.progress_name, "Reunión concertada")
        # a name an administrator gave is kept on update
        self.env.ref("crm.stage_lead3").with_context(lang="en_US").name = "Discovery"
        self.env["ir.module.module"].search([("name", "=", "integria_crm")])._update_translations("es_ES")
        self.assertEqual(self.env.ref("crm.stage_lead3").with_context(lang="en_US").name, "Discovery")

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


@tagged("post_install", "-at_install")
class TestLeadClosing(LeadCase):
    """One way to close: Won gives 200, Lost asks for a closing reason (100-102)."""

    def test_won_and_lost_buttons_give_the_codes(self):
        lead = self.lead_user1.with_user(self.user1)
        lead.action_set_won_rainbowman()
        self.assertEqual(lead.progress_code, 200)
        lead.progress_code = 40
        action = lead.env.ref("crm.crm_lead_lost_action").sudo().read()[0]
        lost = lead.env["crm.lead.lost"].with_context(
            active_ids=lead.ids, **safe_eval(action["context"], {"active_ids": lead.ids})
        )
        with Form(lost) as wizard:
            self.assertFalse(wizard.lost_reason_id, "no outcome preselected")
            wizard.lost_reason_id = self.env.ref("integria_crm.lost_reason_no_response")
            record = wizard.save()
        record.action_lost_reason_apply()
        self.assertEqual((lead.won_status, lead.progress_code), ("lost", 100))
        self.assertEqual(lead.stage_id.integria_code, "40", "the stage stays where the lead was lost")

    def test_lost_requires_one_of_the_closing_reasons(self):
        reasons = (
            self.env["crm.lost.reason"]
            .with_user(self.user1)
            .search(self.env["crm.lead.lost"]._fields["lost_reason_id"].domain)
        )
        self.assertEqual(sorted(reasons.mapped("integria_code")), ["100", "101", "102"])
        wizard = Form(
            self.env["crm.lead.lost"].with_user(self.user1).with_context(default_lead_ids=self.lead_user1.ids)
        )
        with self.assertRaisesRegex(AssertionError, "lost_reason_id"):
            wizard.save()

    def test_furthest_step_reached_survives_moving_back_and_losing(self):
        lead = self.lead_user1
        self.assertEqual(lead.progress_reached_code, 0)
        lead.progress_code = 60
        lead.progress_code = 20  # back, in the same transaction
        self.assertEqual(lead.progress_reached_code, 60)
        self.env.flush_all()
        lead.progress_code = 101
        self.assertEqual(lead.progress_reached_code, 60)
        lead.progress_code = 40
        lead.progress_code = 200
        self.assertEqual(lead.progress_reached_code, 200)
        lost_early = self._create_lead("Lost at once", self.user1, progress_code=102)
        self.assertEqual(lost_early.progress_reached_code, 0)


@tagged("post_install", "-at_install")
class TestLeadStatistics(LeadCase):
    """The funnel and the counters a manager reads."""

    def _funnel(self, user):
        self.env.flush_all()
        groups = (
            self.env["integria.lead.funnel"]
            .with_user(user)
            ._read_group([("lead_id", "in", self.leads.ids)], ["step_code"], ["__count", "conversion:avg"])
        )
        return {code: (count, round(conversion, 2)) for code, count, conversion in groups}

    def test_funnel_counts_the_leads_that_reached_each_step(self):
        self.leads = self.lead_user1 | self.lead_manager1 | self.lead_unowned | self.lead_customer_b
        self.lead_user1.progress_code = 60
        self.lead_user1.progress_code = 20
        self.lead_manager1.progress_code = 200
        self.lead_unowned.progress_code = 20
        self.lead_unowned.progress_code = 101
        self.env.flush_all()
        expected = {
            0: (4, 0.75),
            20: (3, 0.67),
            40: (2, 1.0),
            60: (2, 0.5),
            80: (1, 1.0),
            200: (1, 0),  # no next step: an empty average, shown as 0
        }
        self.assertEqual(self._funnel(self.manager1), expected)
        # User 1 reads every one of these leads too; User 2 none
        self.assertEqual(self._funnel(self.user1), expected)
        with self.assertRaises(AccessError):
            self._funnel(self.user2)

    def test_funnel_follows_the_lead_rules(self):
        lonely = self._create_crm_company("Lonely Ltd", self.manager1)
        lead = self._create_lead("Lead of Lonely", None, crm_partner_id=lonely.id)
        self.leads = lead
        self.assertEqual(self._funnel(self.user1), {})
        self.assertEqual(self._funnel(self.manager1), {0: (1, 0.0)})

    def test_win_rate_and_days_to_close(self):
        closed = self.lead_user1 | self.lead_manager1 | self.lead_unowned
        for lead, days_ago in zip(closed, (4, 10, 16), strict=True):
            self.env.cr.execute(
                "UPDATE crm_lead SET create_date = now() at time zone 'UTC' - make_interval(days => %s, hours => 1) "
                "WHERE id = %s",
                [days_ago, lead.id],
            )
        closed.invalidate_recordset(["create_date"])
        self.lead_user1.progress_code = 200
        self.lead_manager1.progress_code = 101
        self.lead_unowned.progress_code = 200
        groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("id", "in", (self.lead_user1 | self.lead_manager1 | self.lead_unowned | self.lead_customer_b).ids),
                    ("won_status", "in", ("won", "lost")),
                ],
                [],
                ["is_won_ratio:avg", "day_close:avg", "__count"],
            )
        )
        win_rate, days, count = groups[0]
        self.assertEqual(count, 3)
        self.assertAlmostEqual(win_rate, 2 / 3)
        self.assertEqual(days, 10, "closed 4, 10 and 16 days after their creation")

    def test_company_counters_managed_and_prospect(self):
        self.assertEqual(self.customer_b.crm_open_lead_count, 1)
        self.assertEqual(self.customer_b.crm_prospect_lead_count, 0)
        offices = self._create_lead("Customer B: new offices", self.user1, partner_id=self.contact_b.id)
        self.assertEqual(offices.crm_partner_id, self.my_company)
        self.customer_b.invalidate_recordset(["crm_open_lead_count", "crm_prospect_lead_count"])
        self.assertEqual(self.customer_b.crm_open_lead_count, 1, "managed: unchanged")
        self.assertEqual(self.customer_b.crm_prospect_lead_count, 1, "its contact is the prospect")
        action = self.customer_b.with_user(self.manager1).action_integria_open_prospect_leads()
        self.assertEqual(self.env["crm.lead"].with_user(self.manager1).search(action["domain"]), offices)
