from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ALL, NOTHING, READ, IntegriaCrmCase

# The table of the manual (docs/permissions.md): what each user may do on each company and its contacts.
MANUAL_TABLE = {
    ("user1", "customer_a"): ALL,
    ("user1", "customer_b"): READ,
    ("manager1", "customer_a"): ALL,
    ("manager1", "customer_b"): ALL,
    ("user2", "customer_a"): NOTHING,
    ("user2", "customer_b"): NOTHING,
    ("admin", "customer_a"): ALL,
    ("admin", "customer_b"): ALL,
}


class CrmAccessCase(IntegriaCrmCase):
    def assertPartnerRights(self, user, record, expected, child_values):
        self.assertRights(
            user,
            record,
            expected,
            write_values={"comment": "<p>changed</p>"},
            create_values=child_values,
            read=lambda as_user: as_user.read(["name"]),
        )


@tagged("post_install", "-at_install")
class TestManualTable(CrmAccessCase):
    """The manual's worked example, cell by cell, on companies and contacts."""

    def test_companies(self):
        for (login, company), expected in MANUAL_TABLE.items():
            user, record = getattr(self, login), getattr(self, company)
            with self.subTest(user=login, company=company):
                self.assertPartnerRights(user, record, expected, {"name": "New contact", "parent_id": record.id})

    def test_contacts(self):
        contacts = {"customer_a": self.contact_a, "customer_b": self.contact_b}
        for (login, company), expected in MANUAL_TABLE.items():
            user, contact = getattr(self, login), contacts[company]
            with self.subTest(user=login, contact=contact.name):
                self.assertPartnerRights(
                    user, contact, expected, {"name": "Sibling", "parent_id": contact.parent_id.id}
                )

    def test_listing(self):
        companies = self.customer_a | self.customer_b
        self.assertEqual(self._visible(self.user1, companies), companies)
        self.assertEqual(self._visible(self.manager1, companies), companies)
        self.assertFalse(self._visible(self.user2, companies | self.contact_a | self.contact_b))
        self.assertEqual(self._visible(self.admin, companies), companies)

    def test_create_company(self):
        """Write users create companies they own; Read users create none."""
        partners = self.env["res.partner"]
        company = partners.with_user(self.user1).create(
            {"name": "Customer C", "is_company": True, "is_crm_company": True, "crm_parent_id": self.my_company.id}
        )
        self.assertEqual(company.owner_id, self.user1)
        with self.assertRaises(AccessError):
            partners.with_user(self.user1).create(
                {"name": "Not mine", "is_company": True, "is_crm_company": True, "owner_id": self.manager1.id}
            )
        reader = self.env["res.users"].create(
            {
                "name": "Reader",
                "login": "crm_reader",
                "group_ids": [(6, 0, [self.env.ref("integria_crm.group_crm_read").id])],
            }
        )
        self.assertPartnerRights(reader, self.customer_a, READ, {"name": "x", "parent_id": self.customer_a.id})
        with self.assertRaises(AccessError):
            partners.with_user(reader).create({"name": "Mine", "is_company": True, "is_crm_company": True})
        with self.assertRaises(AccessError):
            partners.with_user(self.user2).create({"name": "Sneaky", "is_company": True, "is_crm_company": True})


@tagged("post_install", "-at_install")
class TestParentChain(CrmAccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # My Company > Level 1 > Level 2 > Level 3 > Level 4
        cls.levels = [cls.my_company]
        for depth in range(1, 5):
            cls.levels.append(cls._create_crm_company(f"Level {depth}", cls.admin, cls.levels[-1]))
        cls.chain = cls.env["res.partner"].union(*cls.levels[1:])

    def test_any_depth(self):
        """The users of a company see every company below it."""
        self.assertEqual(self._visible(self.user1, self.chain), self.chain)
        self.assertEqual(self._visible(self.manager1, self.chain), self.chain)
        self.assertFalse(self._visible(self.user2, self.chain))

    def test_member_of_middle_level(self):
        """A member of Level 2 sees Level 2 (it hangs from Level 1) and below,
        not Level 1; with Write but not owner, it changes none of them."""
        member = self.user1
        member.crm_company_id = self.levels[2]
        self.assertEqual(self._visible(member, self.chain), self.chain - self.levels[1])
        self.assertPartnerRights(member, self.levels[3], READ, {"name": "x", "parent_id": self.levels[3].id})

    def test_manager_changes_what_they_see(self):
        self.assertPartnerRights(self.manager1, self.levels[4], ALL, {"name": "x", "parent_id": self.levels[4].id})

    def test_parentless_company(self):
        """A company without a parent goes on its own: only its owner sees it."""
        alone = self._create_crm_company("Alone Corp", self.manager1)
        contact = self.env["res.partner"].create({"name": "Lonely", "parent_id": alone.id})
        self.assertFalse(self._visible(self.user1, alone | contact))
        self.assertEqual(self._visible(self.manager1, alone | contact), alone | contact)
        self.assertEqual(self._visible(self.admin, alone | contact), alone | contact)
        # the members of a parent-less company see what hangs from it, not the company
        child = self._create_crm_company("Child of Alone", self.admin, alone)
        self.user1.crm_company_id = alone
        self.assertEqual(self._visible(self.user1, alone | child), child)

    def test_cycles_refused(self):
        from odoo.exceptions import ValidationError

        with self.assertRaisesRegex(ValidationError, "already hangs from"):
            self.levels[1].crm_parent_id = self.levels[4]
        with self.assertRaisesRegex(ValidationError, "already hangs from"):
            self.levels[2].crm_parent_id = self.levels[2]

    def test_paths_follow_reparenting(self):
        self.levels[3].crm_parent_id = self.customer_b
        expected = f"{self.customer_b.crm_path}{self.levels[3].id}/{self.levels[4].id}/"
        self.assertEqual(self.levels[4].crm_path, expected)


@tagged("post_install", "-at_install")
class TestNonCrmData(CrmAccessCase):
    def test_plain_partners_untouched(self):
        """Partners that are not CRM data keep plain Odoo access, for everyone."""
        plain = self.env["res.partner"].create({"name": "Plain Co", "is_company": True})
        person = self.env["res.partner"].create({"name": "Plain Person", "parent_id": plain.id})
        for user in (self.user1, self.manager1, self.user2):
            with self.subTest(user=user.name):
                access = self.env["ir.model.access"].with_user(user)
                as_in_odoo = {op for op in ALL if access.check("res.partner", op, raise_exception=False)}
                self.assertPartnerRights(user, plain, as_in_odoo, {"name": "x", "parent_id": plain.id})
                self.assertEqual(self._visible(user, person | self.my_company), person | self.my_company)

    def test_users_without_level_cannot_make_crm_data(self):
        plain = self.env["res.partner"].create({"name": "Plain Co", "is_company": True})
        with self.assertRaises(AccessError):
            plain.with_user(self.user2).write({"is_crm_company": True})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user2).create({"name": "Spy", "parent_id": self.customer_a.id})

    def test_colleague_under_crm_company_stays_visible(self):
        """An internal user filed under a CRM company is a colleague, not CRM
        data: Discuss and the chatter keep showing them."""
        self.user2.partner_id.parent_id = self.customer_a
        self.assertFalse(self.user2.partner_id.crm_company_id)
        self.assertEqual(self._visible(self.manager1, self.user2.partner_id), self.user2.partner_id)
        self.assertEqual(self._visible(self.user1, self.user2.partner_id), self.user2.partner_id)
