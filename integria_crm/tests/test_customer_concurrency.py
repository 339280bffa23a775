import threading
import time
import uuid

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, tagged

from ..models.integria_invoice import INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM

WORKERS = 4
SAVES_PER_WORKER = 6
# Each transaction stays open a moment after it touched the customer, so that
# the others touch it while it is locked or just committed.
HOLD_SECONDS = 0.05


@tagged("post_install", "-at_install")
class TestSameCustomerConcurrency(TransactionCase):
    """Colleagues save contracts, invoices and contacts of one customer at the
    same moment, each in a database connection of its own that commits: no
    save fails because they all move the customer's last activity.

    The data is committed by the test (its own transaction is invisible to
    the other connections) and removed at the end.
    """

    def setUp(self):
        super().setUp()
        self.pattern = f"S{uuid.uuid4().hex[:8]}/[1]"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"]
            self.saved_params = {
                key: params.get_param(key) for key in (INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM)
            }
            params.set_param(INVOICE_AUTO_NUMBER_PARAM, "True")
            params.set_param(INVOICE_PATTERN_PARAM, self.pattern)
            self.user_id = env.ref("base.user_admin").id
            customer = env["res.partner"].create(
                {"name": f"Busy customer {self.pattern}", "is_company": True, "is_crm_company": True}
            )
            cr.execute("UPDATE res_partner SET last_activity_date = '2000-01-01' WHERE id = %s", [customer.id])
            self.customer_id = customer.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["integria.invoice"].search([("partner_id", "=", self.customer_id)]).unlink()
            env["res.partner"].browse(self.customer_id).unlink()
            for key, value in self.saved_params.items():
                env["ir.config_parameter"].set_param(key, value or False)

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
                with self.registry.cursor() as cr:
                    # the test runner holds the registry lock that Environment()
                    # takes to find the registry of a bare cursor
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, self.user_id, {})
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
