from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LeadCase


@tagged("post_install", "-at_install")
class TestLeadPermissions(LeadCase):
    """The permissions of leads (README, "Leads"), through the manual's users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_customer_a = cls._create_lead("Lead of Customer A", None, crm_partner_id=cls.customer_a.id)
        cls.all_leads = (
            cls.lead_user1 | cls.lead_manager1 | cls.lead_unowned | cls.lead_customer_b | cls.lead_customer_a
        )

    def _writable(self, user, lead):
        return self._allowed(lambda: lead.with_user(user).write({"expected_revenue": 1}))

    def test_user1_sees_colleagues_and_visible_companies_writes_own(self):
        self.assertEqual(self._visible(self.user1, self.all_leads), self.all_leads)
        self.assertTrue(self._writable(self.user1, self.lead_user1))
        for lead in self.all_leads - self.lead_user1:
            self.assertFalse(self._writable(self.user1, lead), lead.name)

    def test_manager1_sees_and_writes_all(self):
        self.assertEqual(self._visible(self.manager1, self.all_leads), self.all_leads)
        for lead in self.all_leads:
            self.assertTrue(self._writable(self.manager1, lead), lead.name)

    def test_user2_sees_none(self):
        self.assertFalse(self._allowed(lambda: self._visible(self.user2, self.all_leads)))

    def test_a_company_without_parent_is_its_owners_only(self):
        lonely = self._create_crm_company("Lonely Ltd", self.manager1)
        lead = self._create_lead("Lead of Lonely", None, crm_partner_id=lonely.id)
        self.assertFalse(self._visible(self.user1, lead))
        self.assertEqual(self._visible(self.manager1, lead), lead)

    def test_take_ownership(self):
        self.lead_unowned.with_user(self.user1).action_integria_take_ownership()
        self.assertEqual(self.lead_unowned.user_id, self.user1)
        with self.assertRaises(AccessError):
            self.lead_manager1.with_user(self.user1).action_integria_take_ownership()
        self.lead_user1.with_user(self.manager1).action_integria_take_ownership()
        self.assertEqual(self.lead_user1.user_id, self.manager1)

    def test_bulk_assign_and_close(self):
        leads = self.lead_unowned | self.lead_customer_b
        self.env["integria.lead.assign"].with_user(self.manager1).create(
            {"lead_ids": leads.ids, "user_id": self.user1.id}
        ).action_assign()
        self.assertEqual(leads.user_id, self.user1)
        self.assertEqual(leads.crm_partner_id, self.my_company)
        self.env["integria.lead.close"].with_user(self.user1).create(
            {"lead_ids": leads.ids, "closing_code": "102"}
        ).action_close()
        self.assertEqual(set(leads.mapped("progress_code")), {102})
        with self.assertRaises(AccessError):
            self.env["integria.lead.close"].with_user(self.user1).create(
                {"lead_ids": self.lead_manager1.ids, "closing_code": "200"}
            ).action_close()

    def test_odoo_salesman_rule_still_applies(self):
        salesman = new_test_user(self.env, login="salesman", groups="sales_team.group_sale_salesman")
        salesman_lead = self._create_lead("Salesman's lead", salesman)
        visible = self._visible(salesman, self.all_leads | salesman_lead)
        self.assertEqual(visible, salesman_lead | self.lead_unowned | self.lead_customer_b | self.lead_customer_a)
        # a CRM user who is also a salesman gets both: the rules of his groups add up
        self.user1.group_ids |= self.env.ref("sales_team.group_sale_salesman")
        self.assertEqual(self._visible(self.user1, self.all_leads), self.all_leads)

    def test_rules_are_sql_on_crm_lead_alone(self):
        query = self.env["crm.lead"].with_user(self.user1)._search([])
        sql = query.select().code
        self.assertNotIn("JOIN", sql.upper())
        self.assertIn('"crm_lead"."crm_path"', sql)


@tagged("post_install", "-at_install")
class TestLeadListQueries(LeadCase):
    """The lead list under the record rules costs User 1 what it costs the
    administrator: the rules add no query."""

    def _list(self, user):
        leads = self.env["crm.lead"].with_user(user)
        leads.search_read([("type", "=", "opportunity")], ["name", "user_id", "crm_partner_id", "stage_id"], limit=80)
        leads.search_count([("type", "=", "opportunity")])

    def test_same_queries_as_the_administrator(self):
        self._list(self.user1)  # warm the rule and field caches
        self._list(self.admin)
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        self._list(self.admin)
        admin_queries = self.cr.sql_log_count - before
        self.assertGreater(admin_queries, 1)
        self.env.invalidate_all()
        with self.assertQueryCount(admin_queries):
            self._list(self.user1)
