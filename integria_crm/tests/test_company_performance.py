from odoo.tests import tagged

from .common import IntegriaCrmCase

# search_read (the ids under the rules, the rows, the display names of the
# many2one values, the definition of the custom fields) and search_count
LIST_QUERIES = 8


@tagged("post_install", "-at_install")
class TestListPerformance(IntegriaCrmCase):
    """Listing companies under the record rules costs a constant number of
    queries, whatever the number of companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country = cls.env.ref("base.es")
        cls.role = cls.env.ref("integria_crm.crm_role_customer")
        # every row shows a value in each many2one column, whatever else the
        # database holds: the display names cost one query per column
        (cls.customer_a | cls.customer_b).write({"country_id": cls.country.id, "crm_role_id": cls.role.id})

    def _populate(self, count):
        self.env["res.partner"].create(
            [
                {
                    "name": f"Generated {index}",
                    "is_company": True,
                    "is_crm_company": True,
                    "owner_id": self.manager1.id,
                    "crm_parent_id": self.customer_b.id,
                    "country_id": self.country.id,
                    "crm_role_id": self.role.id,
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()

    def _list_companies(self):
        partners = self.env["res.partner"].with_user(self.user1)
        domain = [("is_crm_company", "=", True)]
        rows = partners.search_read(domain, ["name", "owner_id", "crm_parent_id", "country_id"], limit=80)
        partners.search_count(domain)
        return rows

    def test_query_count_constant(self):
        already_visible = self.env["res.partner"].with_user(self.user1).search_count([("is_crm_company", "=", True)])
        self._populate(10)
        self._list_companies()  # warm the caches of rules and views
        self.env.invalidate_all()
        with self.assertQueryCount(LIST_QUERIES):
            rows = self._list_companies()
        self.assertEqual(len(rows), already_visible + 10)
        self._populate(990)
        with self.assertQueryCount(LIST_QUERIES):
            rows = self._list_companies()
        self.assertEqual(len(rows), 80)
