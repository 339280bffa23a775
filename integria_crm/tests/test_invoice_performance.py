from odoo.tests import tagged

from .common import IntegriaInvoiceCase

# web_search_read of the list view: the user, the companies the user works in
# (multi-company rule), the rows under the record rules, the fields that the
# rules read (checked again on read), the display names of the customers and
# of the locking users, and the count
LIST_QUERIES = 7

LIST_SPECIFICATION = {
    "number": {},
    "partner_id": {"fields": {"display_name": {}}},
    "reference": {},
    "invoice_type": {},
    "date_invoice": {},
    "date_due": {},
    "amount_total": {},
    "currency_id": {"fields": {}},
    "state": {},
    "locked_by_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
class TestInvoiceListPerformance(IntegriaInvoiceCase):
    """Listing invoices under the record rules costs a constant number of
    queries, whatever the number of invoices and companies."""

    def _populate(self, count):
        companies = self.customer_a | self.customer_b
        for index in range(count):
            self._create_invoice(companies[index % 2], locked_by_id=self.user1.id if index % 5 == 0 else False)
        self.env.flush_all()
        self.env.invalidate_all()

    def _list_invoices(self):
        return self.env["integria.invoice"].with_user(self.user1).web_search_read([], LIST_SPECIFICATION, limit=80)

    def test_query_count_constant(self):
        self._populate(10)
        self._list_invoices()  # warm the caches of rules and views
        self.env.invalidate_all()
        with self.assertQueryCount(LIST_QUERIES - 1):  # fewer rows than the limit: no count
            result = self._list_invoices()
        self.assertEqual(result["length"], 5)
        self._populate(300)
        with self.assertQueryCount(LIST_QUERIES):
            result = self._list_invoices()
        self.assertEqual(result["length"], 155)
        self.assertEqual(len(result["records"]), 80)
