from odoo.tests import tagged

from .common import ALL, NOTHING, READ, IntegriaContractCase


@tagged("post_install", "-at_install")
class TestContractPermissions(IntegriaContractCase):
    """Contracts follow their company; private contracts are for the users of
    the CRM company of the company's owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # User 3 reads the CRM as a member of Customer A: sees Customer A
        # through the parent chain, but is not of My Company.
        cls.user3 = cls._create_user("crm_user3", "read", cls.customer_a)
        # User 4 belongs to another CRM company and owns Customer D, which
        # hangs from My Company: D's private contracts are for Elsewhere.
        cls.elsewhere = cls._create_crm_company("Elsewhere", cls.admin)
        cls.user4 = cls._create_user("crm_user4", "write", cls.elsewhere)
        cls.customer_d = cls._create_crm_company("Customer D", cls.user4, cls.my_company)
        cls.contract_d = cls._create_contract("Support D", cls.customer_d)
        cls.contract_d_private = cls._create_contract("Prices D", cls.customer_d, is_private=True)

    def assertContractRights(self, user, contract, expected):
        self.assertRights(
            user,
            contract,
            expected,
            write_values={"description": "changed"},
            create_values={"name": "New", "partner_id": contract.partner_id.id, "is_private": contract.is_private},
            read=lambda as_user: as_user.read(["name", "contract_properties"]),
        )

    def test_manual_table(self):
        """The manual's table (docs/permissions.md) holds for contracts."""
        table = {
            (self.user1, self.contract_a): ALL,
            (self.user1, self.contract_b): READ,
            (self.manager1, self.contract_a): ALL,
            (self.manager1, self.contract_b): ALL,
            (self.user2, self.contract_a): NOTHING,
            (self.user2, self.contract_b): NOTHING,
            (self.admin, self.contract_a): ALL,
            (self.admin, self.contract_b): ALL,
        }
        for (user, contract), expected in table.items():
            with self.subTest(user=user.login, contract=contract.name):
                self.assertContractRights(user, contract, expected)

    def test_private_contract_of_my_company(self):
        """Customer A's owner (User 1) is of My Company: its users see the
        private contract, User 3 of Customer A does not."""
        self.assertContractRights(self.user1, self.contract_a_private, ALL)
        self.assertContractRights(self.manager1, self.contract_a_private, ALL)
        self.assertContractRights(self.admin, self.contract_a_private, ALL)
        self.assertContractRights(self.user2, self.contract_a_private, NOTHING)
        # User 3 sees Customer A and its public contract, not the private one
        self.assertTrue(self.customer_a.with_user(self.user3).has_access("read"))
        self.assertContractRights(self.user3, self.contract_a, READ)
        self.assertContractRights(self.user3, self.contract_a_private, NOTHING)

    def test_private_contract_of_another_crm_company(self):
        """Customer D's owner is of Elsewhere: User 1 and Manager 1 see D
        through My Company and its public contract, not its private one."""
        self.assertContractRights(self.user4, self.contract_d, ALL)
        self.assertContractRights(self.user4, self.contract_d_private, ALL)
        self.assertTrue(self.customer_d.with_user(self.user1).has_access("read"))
        self.assertContractRights(self.user1, self.contract_d, READ)
        self.assertContractRights(self.user1, self.contract_d_private, NOTHING)
        self.assertContractRights(self.manager1, self.contract_d, ALL)
        self.assertContractRights(self.manager1, self.contract_d_private, NOTHING)
        self.assertContractRights(self.admin, self.contract_d_private, ALL)

    def test_lists(self):
        contracts = self.env["integria.contract"]
        every = self.contract_a | self.contract_a_private | self.contract_b | self.contract_d | self.contract_d_private
        for user, expected in (
            (self.user1, {"Support A", "Prices A", "Support B", "Support D"}),
            (self.manager1, {"Support A", "Prices A", "Support B", "Support D"}),
            (self.user3, {"Support A"}),
            (self.user4, {"Support D", "Prices D"}),
            (self.admin, {"Support A", "Prices A", "Support B", "Support D", "Prices D"}),
        ):
            with self.subTest(user=user.login):
                found = contracts.with_user(user).search([("id", "in", every.ids)])
                self.assertEqual(set(found.mapped("name")), expected)
                # the Contracts tab of Customer A lists the same contracts
                self.env.invalidate_all()
                company = self.customer_a.with_user(user)
                if company.has_access("read"):
                    self.assertEqual(set(company.crm_contract_ids.mapped("name")), expected & {"Support A", "Prices A"})

    def test_user_changes_crm_company(self):
        """The record-rule cache follows a user's CRM company."""
        self.assertContractRights(self.user3, self.contract_a_private, NOTHING)
        self.user3.crm_company_id = self.my_company
        self.assertContractRights(self.user3, self.contract_a_private, READ)
        self.user3.crm_company_id = self.customer_a
        self.assertContractRights(self.user3, self.contract_a_private, NOTHING)

    def test_owner_changes_crm_company(self):
        """The private contracts of Customer A follow the CRM company of its owner."""
        self.user1.crm_company_id = self.elsewhere
        self.assertEqual(self.contract_a_private.crm_owner_company_id, self.elsewhere)
        self.assertContractRights(self.user1, self.contract_a_private, ALL)  # still the owner
        self.assertContractRights(self.manager1, self.contract_a_private, NOTHING)
        self.assertContractRights(self.user4, self.contract_a_private, NOTHING)  # not a reader of Customer A
        self.user1.crm_company_id = self.my_company
        self.assertContractRights(self.manager1, self.contract_a_private, ALL)

    def test_company_changes_owner_or_parent(self):
        self.customer_b.owner_id = self.user1
        self.assertEqual(self.contract_b.crm_owner_id, self.user1)
        self.assertContractRights(self.user1, self.contract_b, ALL)
        self.customer_b.crm_parent_id = self.elsewhere
        self.assertEqual(self.contract_b.crm_path, self.customer_b.crm_path)
        self.assertContractRights(self.user1, self.contract_b, ALL)  # the owner
        self.assertContractRights(self.manager1, self.contract_b, NOTHING)  # no longer under My Company
        self.customer_b.crm_parent_id = self.my_company
        self.assertContractRights(self.manager1, self.contract_b, ALL)

    def test_private_flag_by_user(self):
        """Making a contract private hides it from those outside the owner's CRM company."""
        self.contract_d.with_user(self.user4).is_private = True
        self.assertContractRights(self.user1, self.contract_d, NOTHING)

    def test_rules_compile_to_sql_on_the_contract_table(self):
        """The rules read columns of integria_contract only: no join, no id
        list (docs/permissions.md)."""
        for user in (self.user1, self.manager1, self.user3):
            query = self.env["integria.contract"].with_user(user)._search([])
            sql = self.env.cr.mogrify(query.select()).decode()
            with self.subTest(user=user.login):
                self.assertNotIn("JOIN", sql)
                self.assertNotIn("res_partner", sql)
                self.assertIn("LIKE", sql)
