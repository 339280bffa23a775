from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ALL, NOTHING, READ, LeadCase


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

    def _assert_lead_rights(self, user, lead, expected):
        """``user`` reads, changes, creates (a lead with the same owner and
        managing company) and deletes ``lead`` exactly as ``expected``; the
        form's ``crm_can_write`` agrees with the write cell."""
        self.assertRights(
            user,
            lead,
            expected,
            write_values={"expected_revenue": 1},
            create_values={
                "name": "Like " + lead.name,
                "type": "opportunity",
                "user_id": lead.user_id.id,
                "crm_partner_id": lead.crm_partner_id.id,
            },
        )
        if "read" in expected:
            self.assertEqual(lead.with_user(user).crm_can_write, "write" in expected, f"{user.login} {lead.name}")

    def test_the_manual_table_cell_by_cell(self):
        """docs/permissions.md, "Leads": changed (and deleted) by its owner
        (Write), by whoever may change its managing company (that company's
        owner with Write, Manage users who see it) and by administrators."""
        table = {
            self.user1: {
                self.lead_user1: ALL,  # its owner
                self.lead_customer_a: ALL,  # owner of Customer A, which manages it
                self.lead_manager1: READ,  # a colleague's
                self.lead_unowned: READ,  # unowned, of My Company: to take
                self.lead_customer_b: READ,  # Customer B is Manager 1's
            },
            self.manager1: dict.fromkeys(self.all_leads, ALL),
            self.user2: dict.fromkeys(self.all_leads, NOTHING),
            self.admin: dict.fromkeys(self.all_leads, ALL),
        }
        for user, cells in table.items():
            for lead, expected in cells.items():
                with self.subTest(user=user.login, lead=lead.name):
                    self._assert_lead_rights(user, lead, expected)

    def test_a_read_user_reads_what_write_users_read_and_changes_nothing(self):
        reader = self._create_user("crm_reader", "read", self.my_company, name="Reader")
        self.customer_a.owner_id = reader
        for lead in self.all_leads:
            with self.subTest(lead=lead.name):
                self._assert_lead_rights(reader, lead, READ)

    def test_user2_sees_none(self):
        self.assertFalse(self._allowed(lambda: self._visible(self.user2, self.all_leads)))

    def test_a_company_without_parent_is_its_owners_only(self):
        lonely = self._create_crm_company("Lonely Ltd", self.manager1)
        lead = self._create_lead("Lead of Lonely", None, crm_partner_id=lonely.id)
        self.assertFalse(self._visible(self.user1, lead))
        self.assertEqual(self._visible(self.manager1, lead), lead)

    def test_a_lead_without_managing_company_is_its_owners_only(self):
        """A lead no company manages (an Integria lead with ``id_company`` 0)
        is read by its owner, not by every user that has no CRM company
        either: the rule's branch of the managing company matches only a
        company."""
        loner = self._create_user("crm_loner", "write", self.env["res.partner"], name="Loner")
        lead = self._create_lead("Lead of nobody's company", self.user1)
        lead.crm_partner_id = False
        self.assertFalse(lead.crm_partner_id)
        self.assertEqual(self._visible(self.user1, lead), lead)
        self.assertFalse(self._visible(loner, lead))
        self.assertFalse(self._visible(self.manager1, lead))

    def test_take_ownership(self):
        self.lead_unowned.with_user(self.user1).action_integria_take_ownership()
        self.assertEqual(self.lead_unowned.user_id, self.user1)
        with self.assertRaises(AccessError):
            self.lead_manager1.with_user(self.user1).action_integria_take_ownership()
        self.lead_user1.with_user(self.manager1).action_integria_take_ownership()
        self.assertEqual(self.lead_user1.user_id, self.manager1)

    def test_take_ownership_is_offered_where_it_works(self):
        as_user1 = self.all_leads.with_user(self.user1)
        self.assertEqual(
            as_user1.filtered("crm_can_take"), self.lead_unowned | self.lead_customer_b | self.lead_customer_a
        )
        as_manager1 = self.all_leads.with_user(self.manager1)
        self.assertEqual(as_manager1.filtered("crm_can_take"), self.all_leads - self.lead_manager1)
        for lead in as_user1.filtered("crm_can_take"):
            lead.action_integria_take_ownership()
            self.assertEqual(lead.user_id, self.user1)

    def test_bulk_assign_and_lose(self):
        leads = self.lead_unowned | self.lead_customer_b
        self.env["integria.lead.assign"].with_user(self.manager1).create(
            {"lead_ids": leads.ids, "user_id": self.user1.id}
        ).action_assign()
        self.assertEqual(leads.user_id, self.user1)
        self.assertEqual(leads.crm_partner_id, self.my_company)
        invalid = self.env.ref("integria_crm.lost_reason_invalid")
        self.env["crm.lead.lost"].with_user(self.user1).create(
            {"lead_ids": leads.ids, "lost_reason_id": invalid.id}
        ).action_lost_reason_apply()
        self.assertEqual(set(leads.mapped("progress_code")), {102})
        with self.assertRaises(AccessError):
            self.env["crm.lead.lost"].with_user(self.user1).create(
                {"lead_ids": self.lead_manager1.ids, "lost_reason_id": invalid.id}
            ).action_lost_reason_apply()

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
