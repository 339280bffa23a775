import threading
import time

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import CommittedConnectionsCase

WORKERS = 4
SAVES_PER_WORKER = 6
# Each transaction stays open a moment after it touched the customer, so that
# the others touch it while it is locked or just committed.
HOLD_SECONDS = 0.05


@tagged("post_install", "-at_install")
class TestSameCustomerConcurrency(CommittedConnectionsCase):
    """Colleagues save contracts, invoices and contacts of one customer at the
    same moment, each in a database connection of its own that commits: no
    save fails because they all move the customer's last activity."""

    _pattern_prefix = "S"

    def _commit_data(self, env):
        customer = env["res.partner"].create(
            {"name": f"Busy customer {self.pattern}", "is_company": True, "is_crm_company": True}
        )
        env.cr.execute("UPDATE res_partner SET last_activity_date = '2000-01-01' WHERE id = %s", [customer.id])
        self.customer_id = customer.id

    def _remove_data(self, env):
        env["integria.invoice"].search([("partner_id", "=", self.customer_id)]).unlink()
        env["res.partner"].browse(self.customer_id).unlink()

    def _save(self, worker, index, env):
        """Save one record of the customer: a contract, an invoice or a contact."""
        kind = (worker + index) % 3
        if kind == 0:
            env["integria.contract"].create({"name": f"Contract {worker}.{index}", "partner_id": self.customer_id})
        elif kind == 1:
            env["integria.invoice"].create(
                {
                    "partner_id": self.customer_id,
                    "line_ids": [Command.create({"description": f"Worker {worker}, #{index}", "amount": 10})],
                }
            )
        else:
            env["res.partner"].create({"name": f"Contact {worker}.{index}", "parent_id": self.customer_id})

    def _run_worker(self, worker, barrier, saves, errors):
        try:
            barrier.wait(timeout=60)
            for index in range(SAVES_PER_WORKER):
                with self._connection() as env:
                    self._save(worker, index, env)
                    env.flush_all()
                    time.sleep(HOLD_SECONDS)
                saves.append((worker, index))
        except Exception as error:  # reported by the test
            errors.append(error)

    def test_concurrent_saves_on_one_customer_never_fail(self):
        started = fields.Datetime.now()
        saves, errors = [], []
        barrier = threading.Barrier(WORKERS)
        threads = [
            threading.Thread(target=self._run_worker, args=(worker, barrier, saves, errors), name=f"saver-{worker}")
            for worker in range(WORKERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertEqual(errors, [], "no save fails")
        self.assertEqual(len(saves), WORKERS * SAVES_PER_WORKER)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].browse(self.customer_id)
            self.assertGreaterEqual(customer.last_activity_date, started, "the saves moved the last activity")
            counts = [
                env["integria.contract"].search_count([("partner_id", "=", customer.id)]),
                env["integria.invoice"].search_count([("partner_id", "=", customer.id)]),
                env["res.partner"].search_count([("parent_id", "=", customer.id)]),
            ]
        self.assertEqual(sum(counts), WORKERS * SAVES_PER_WORKER)
