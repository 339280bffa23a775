from odoo.tests import tagged

from .common import IntegriaContractCase

# search_read (the ids under the rules, the rows, the display names of the
# companies, types and owners, the custom fields' definitions and the display
# names of their relational values) and search_count
LIST_QUERIES = 9

LIST_FIELDS = [
    "name",
    "contract_number",
    "partner_id",
    "type_id",
    "date_start",
    "date_end",
    "state",
    "is_private",
    "crm_owner_id",
    "contract_properties",
]


@tagged("post_install", "-at_install")
class TestContractListPerformance(IntegriaContractCase):
    """Listing contracts under the record rules costs a constant number of
    queries, whatever the number of contracts."""

    def _populate(self, count):
        companies = (self.customer_a, self.customer_b)
        self.env["integria.contract"].create(
            [
                {
                    "name": f"Generated {index}",
                    "partner_id": companies[index % 2].id,
                    "type_id": self.contract_type.id,
                    "is_private": index % 5 == 0,
                    "date_start": "2025-01-01",
                    "contract_properties": {"tier": "Gold", "seats": index, "contact": self.contact_a.id},
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()

    def _list_contracts(self):
        # the contracts of the fixture's type, whatever the demo data holds
        domain = [("type_id", "=", self.contract_type.id)]
        contracts = self.env["integria.contract"].with_user(self.user1)
        rows = contracts.search_read(domain, LIST_FIELDS, limit=80)
        contracts.search_count(domain)
        return rows

    def test_query_count_constant(self):
        self._populate(10)
        self._list_contracts()  # warm the caches of rules and views
        self.env.invalidate_all()
        with self.assertQueryCount(LIST_QUERIES):
            rows = self._list_contracts()
        self.assertEqual(len(rows), 13)
        self._populate(490)
        with self.assertQueryCount(LIST_QUERIES):
            rows = self._list_contracts()
        self.assertEqual(len(rows), 80)
