from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestAccessChanges(IntegriaCrmCase):
    """Changes that move access take effect on the next request, despite the
    cached record-rule domains, in the same process."""

    def _names(self, user, others=None):
        """Return the names of the fixture's customers (and ``others``) that ``user`` sees."""
        return set(self._visible(user, self.customer_a | self.customer_b | (others or self.customer_a)).mapped("name"))

    def test_change_crm_company(self):
        self.assertEqual(self._names(self.user1), {"Customer A", "Customer B"})
        elsewhere = self._create_crm_company("Elsewhere", self.admin, self.env["res.partner"])
        far = self._create_crm_company("Far Away", self.admin, elsewhere)
        self.user1.crm_company_id = elsewhere
        # still the owner of Customer A; Customer B no longer reachable
        self.assertEqual(self._names(self.user1, elsewhere | far), {"Customer A", "Far Away"})
        self.user1.crm_company_id = self.my_company
        self.assertEqual(self._names(self.user1, elsewhere | far), {"Customer A", "Customer B"})
        self.assertFalse(far.with_user(self.user1).has_access("write"))

    def test_change_level(self):
        self.customer_a.with_user(self.user1).write({"website": "https://a.example.com"})
        self.user1.group_ids = [(3, self.env.ref("integria_crm.group_crm_write").id)]
        self.user1.group_ids = [(4, self.env.ref("integria_crm.group_crm_read").id)]
        with self.assertRaises(AccessError):
            self.customer_a.with_user(self.user1).write({"website": "https://b.example.com"})
        self.user1.group_ids = [(3, self.env.ref("integria_crm.group_crm_read").id)]
        self.assertEqual(self._names(self.user1), set())
        self.user1.group_ids = [(4, self.env.ref("integria_crm.group_crm_manage").id)]
        self.customer_b.with_user(self.user1).write({"website": "https://b.example.com"})

    def test_change_parent(self):
        elsewhere = self._create_crm_company("Elsewhere", self.admin, self.env["res.partner"])
        self.assertIn("Customer B", self._names(self.user1))
        self.customer_b.crm_parent_id = elsewhere
        self.assertNotIn("Customer B", self._names(self.user1))
        self.assertEqual(self._visible(self.user1, self.contact_b), self.env["res.partner"])
        self.customer_b.crm_parent_id = self.my_company
        self.assertEqual(self._visible(self.user1, self.contact_b), self.contact_b)

    def test_change_owner(self):
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.user1).write({"website": "https://b.example.com"})
        self.customer_b.owner_id = self.user1
        self.customer_b.with_user(self.user1).write({"website": "https://b.example.com"})
        self.contact_b.with_user(self.user1).write({"function": "CEO"})
        self.customer_b.owner_id = self.manager1
        with self.assertRaises(AccessError):
            self.contact_b.with_user(self.user1).write({"function": "CTO"})
