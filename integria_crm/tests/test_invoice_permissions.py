from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ALL, CHANGE, NOTHING, IntegriaInvoiceCase

# docs/permissions.md: invoices are for the company's owner, the users with Manage who
# see the company, and administrators; only administrators delete them.
INVOICE_TABLE = {
    ("user1", "customer_a"): CHANGE,
    ("user1", "customer_b"): NOTHING,  # User 1 reads Customer B, not its invoices
    ("manager1", "customer_a"): CHANGE,
    ("manager1", "customer_b"): CHANGE,
    ("user2", "customer_a"): NOTHING,
    ("user2", "customer_b"): NOTHING,
    ("admin", "customer_a"): ALL,
    ("admin", "customer_b"): ALL,
}


@tagged("post_install", "-at_install")
class TestInvoicePermissions(IntegriaInvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls._create_invoice(cls.customer_a, amounts=[100.0])
        cls.invoice_b = cls._create_invoice(cls.customer_b, amounts=[200.0])

    def assertInvoiceRights(self, user, invoice, expected):
        self.assertRights(
            user,
            invoice,
            expected,
            write_values={"reference": "Changed", "line_ids": [Command.create({"description": "x"})]},
            create_values=self._invoice_values(invoice.partner_id),
            read=lambda as_user: (as_user.read(["number", "amount_total"]), as_user.line_ids.read(["amount"])),
        )

    def test_invoice_table(self):
        invoices = {"customer_a": self.invoice_a, "customer_b": self.invoice_b}
        for (login, company), expected in INVOICE_TABLE.items():
            user, invoice = getattr(self, login), invoices[company]
            with self.subTest(user=login, company=company):
                self.assertInvoiceRights(user, invoice, expected)

    def test_lists_show_what_the_table_allows(self):
        expected = {
            "user1": self.invoice_a,
            "manager1": self.invoice_a | self.invoice_b,
            "admin": self.invoice_a | self.invoice_b,
        }
        for login, invoices in expected.items():
            with self.subTest(user=login):
                found = self.env["integria.invoice"].with_user(getattr(self, login)).search([])
                self.assertEqual(found, invoices)
        with self.assertRaises(AccessError):
            self.env["integria.invoice"].with_user(self.user2).search([])

    def test_owner_with_read_only_level_reads_its_invoices(self):
        reader = self._create_user("crm_reader", "read", self.my_company)
        self.customer_a.owner_id = reader
        self.assertInvoiceRights(reader, self.invoice_a, {"read"})

    def test_company_billing_totals_follow_the_same_rules(self):
        self.invoice_a.action_mark_paid()
        self._create_invoice(self.customer_a, amounts=[50.0])
        self._create_invoice(self.customer_a, amounts=[999.0], state="cancelled")
        self._create_invoice(self.customer_a, amounts=[70.0], invoice_type="received", number="S-1")
        company = self.customer_a.with_user(self.user1)
        self.assertEqual(
            (company.crm_invoice_count, company.crm_invoiced_total, company.crm_invoice_pending_total),
            (4, 150.0, 50.0),
        )
        self.assertEqual(company.crm_invoice_currency_id, self.eur)
        other = self.customer_b.with_user(self.user1)
        self.assertEqual((other.crm_invoice_count, other.crm_invoiced_total), (0, 0.0))
        self.assertEqual(self.customer_b.with_user(self.manager1).crm_invoiced_total, 200.0)

    def test_access_follows_owner_and_parent_changes(self):
        self.customer_b.owner_id = self.user1
        self.assertInvoiceRights(self.user1, self.invoice_b, CHANGE)
        self.customer_b.owner_id = self.manager1
        self.assertInvoiceRights(self.user1, self.invoice_b, NOTHING)
        elsewhere = self._create_crm_company("Elsewhere", self.admin, self.env["res.partner"])
        self.customer_a.crm_parent_id = elsewhere
        self.assertInvoiceRights(self.manager1, self.invoice_a, NOTHING)
        self.assertInvoiceRights(self.user1, self.invoice_a, CHANGE)
        self.customer_a.crm_parent_id = self.my_company
        self.assertInvoiceRights(self.manager1, self.invoice_a, CHANGE)

    # ------------------------------------------------------------------
    # Locks
    # ------------------------------------------------------------------
    def test_only_the_locking_user_changes_or_unlocks(self):
        invoice = self.invoice_a
        invoice.with_user(self.user1).action_lock()
        self.assertEqual(invoice.locked_by_id, self.user1)
        for user in (self.manager1, self.admin):
            as_user = invoice.with_user(user)
            with self.subTest(user=user.name):
                self.assertFalse(as_user.crm_can_write)
                with self.assertRaisesRegex(AccessError, "locked by User 1"):
                    as_user.write({"reference": "Changed"})
                with self.assertRaises(AccessError):
                    as_user.action_mark_paid()
                with self.assertRaises(AccessError):
                    as_user.action_unlock()
                with self.assertRaises(AccessError):
                    as_user.line_ids.amount = 1
                with self.assertRaises(AccessError):
                    self.env["integria.invoice.line"].with_user(user).create(
                        {"invoice_id": invoice.id, "description": "Sneaked in", "amount": 1}
                    )
                with self.assertRaises(AccessError):
                    as_user.line_ids.unlink()
        # the locked invoice can still be discussed
        invoice.with_user(self.manager1).message_post(body="Please unlock it")
        # its owner changes it, then unlocks it
        invoice.with_user(self.user1).write({"reference": "By User 1"})
        self.assertTrue(invoice.with_user(self.user1).crm_can_write)
        invoice.with_user(self.user1).action_unlock()
        invoice.with_user(self.manager1).write({"reference": "By Manager 1"})
        self.assertEqual(invoice.reference, "By Manager 1")

    def test_lock_in_ones_own_name_only(self):
        with self.assertRaisesRegex(AccessError, "own name"):
            self.invoice_a.with_user(self.manager1).write({"locked_by_id": self.user1.id})
        with self.assertRaises(AccessError):
            self._create_invoice(self.customer_a, user=self.manager1, locked_by_id=self.user1.id)
        with self.assertRaises(AccessError):  # no access to Customer B's invoices at all
            self.invoice_b.with_user(self.user1).action_lock()

    # ------------------------------------------------------------------
    # Deletion
    # ------------------------------------------------------------------
    def test_only_administrators_delete(self):
        for user in (self.user1, self.manager1):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self.invoice_a.with_user(user).unlink()
        self.invoice_a.with_user(self.user1).action_lock()
        self.invoice_a.with_user(self.admin).unlink()
        self.assertFalse(self.invoice_a.exists())

    def test_company_with_invoices_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "Customer B cannot be deleted: it has invoices"):
            self.customer_b.with_user(self.admin).unlink()
        self.invoice_b.with_user(self.admin).unlink()
        self.customer_b.with_user(self.admin).unlink()
        self.assertFalse(self.customer_b.exists())
