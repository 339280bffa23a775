from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import IntegriaContractCase


@tagged("post_install", "-at_install")
class TestMultiCompany(IntegriaContractCase):
    """Contracts and invoices belong to a res.company: two companies in one
    database do not see each other's, and the CRM rules apply on top."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main_company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Company"})
        cls.manager1.write({"company_ids": [(4, cls.other_company.id)]})
        cls.contract_other = cls._create_contract(
            "Support A, other company", cls.customer_a, company_id=cls.other_company.id
        )
        cls.invoice_main = cls._create_invoice(cls.customer_b)
        cls.invoice_other = cls._create_invoice(cls.customer_b, company_id=cls.other_company.id)

    def _contracts(self, user, companies):
        contracts = self.env["integria.contract"].with_user(user).with_context(allowed_company_ids=companies.ids)
        return contracts.search([("partner_id", "in", (self.customer_a | self.customer_b).ids)])

    def test_defaults_to_the_current_company(self):
        self.assertEqual(self.contract_a.company_id, self.main_company)
        self.assertEqual(self.invoice_main.company_id, self.main_company)
        contract = (
            self.env["integria.contract"]
            .with_user(self.manager1)
            .with_company(self.other_company)
            .create({"name": "Made in the other company", "partner_id": self.customer_b.id})
        )
        self.assertEqual(contract.company_id, self.other_company)

    def test_each_company_sees_its_own_contracts(self):
        in_main = self._contracts(self.manager1, self.main_company)
        self.assertIn(self.contract_a, in_main)
        self.assertNotIn(self.contract_other, in_main)
        in_other = self._contracts(self.manager1, self.other_company)
        self.assertEqual(in_other, self.contract_other)
        both = self._contracts(self.manager1, self.main_company | self.other_company)
        self.assertIn(self.contract_other, both)
        self.assertIn(self.contract_a, both)

    def test_users_not_in_the_company_never_see_its_records(self):
        """User 1 owns Customer A but does not work in the other company."""
        self.assertNotIn(self.contract_other, self._contracts(self.user1, self.main_company))
        in_main = (
            self.env["integria.invoice"]
            .with_user(self.manager1)
            .with_context(allowed_company_ids=self.main_company.ids)
        )
        self.assertEqual(in_main.search([("partner_id", "=", self.customer_b.id)]), self.invoice_main)
        invoices = (
            self.env["integria.invoice"]
            .with_user(self.manager1)
            .with_context(allowed_company_ids=(self.main_company | self.other_company).ids)
        )
        self.assertEqual(
            invoices.search([("partner_id", "=", self.customer_b.id)]), self.invoice_main | self.invoice_other
        )

    def test_crm_rules_still_apply_in_the_other_company(self):
        """The CRM rules hold inside each company: User 1 sees Customer B's
        contract of the other company only by working in it, and may not
        change it; User 2 has no CRM level and reads no contract at all."""
        contract_b_other = self._create_contract("Support B, other", self.customer_b, company_id=self.other_company.id)
        self.user1.write({"company_ids": [(4, self.other_company.id)]})
        found = self._contracts(self.user1, self.other_company)
        self.assertEqual(found, self.contract_other | contract_b_other)
        with self.assertRaises(AccessError):
            found.filtered(lambda contract: contract == contract_b_other).write({"description": "No"})
        self.user2.write({"company_ids": [(4, self.other_company.id)]})
        with self.assertRaises(AccessError):
            self._contracts(self.user2, self.other_company)

    def test_invoice_and_contract_of_one_company(self):
        with self.assertRaises(UserError):
            self.invoice_main.contract_id = self.contract_other
