import itertools
import threading
import time

from odoo.fields import Command
from odoo.tests import tagged

from ..tools import invoice_number
from .common import CommittedConnectionsCase

WORKERS = 4
INVOICES_PER_WORKER = 8
# Each saving transaction stays open a moment after its number is taken, so
# that the others must get past a number that is being saved.
HOLD_SECONDS = 0.03
NUMBERING_LOGGER = "odoo.addons.integria_crm.models.integria_invoice"


@tagged("post_install", "-at_install")
class TestInvoiceConcurrency(CommittedConnectionsCase):
    """Separate database connections save issued invoices at the same time,
    each for a company of its own, and commit them."""

    _pattern_prefix = "C"

    def _commit_data(self, env):
        companies = env["res.partner"].create(
            [{"name": f"Concurrency {worker}", "is_company": True, "is_crm_company": True} for worker in range(WORKERS)]
        )
        self.company_ids = companies.ids

    def _remove_data(self, env):
        env["integria.invoice"].search([("partner_id", "in", self.company_ids)]).unlink()
        env["res.partner"].browse(self.company_ids).unlink()

    def _save_invoices(self, worker, barrier, saves, errors):
        """Save invoices, one transaction each, in a connection of its own;
        worker 0 rolls some of its saves back, as a failing request would."""
        try:
            barrier.wait(timeout=60)
            for index in range(INVOICES_PER_WORKER):
                rolled_back = worker == 0 and index % 3 == 1
                with self._connection() as env:
                    started = time.monotonic()
                    invoice = env["integria.invoice"].create(
                        {
                            "partner_id": self.company_ids[worker],
                            "line_ids": [Command.create({"description": f"Worker {worker}, #{index}", "amount": 10})],
                        }
                    )
                    number = invoice.number
                    time.sleep(HOLD_SECONDS)
                    if rolled_back:
                        env.cr.rollback()
                # leaving the block commits what was not rolled back
                saves.append((worker, number, rolled_back, started, time.monotonic()))
        except Exception as error:  # reported by the test
            errors.append(error)

    def test_concurrent_saves_get_consecutive_numbers(self):
        saves, errors = [], []
        barrier = threading.Barrier(WORKERS)
        threads = [
            threading.Thread(
                target=self._save_invoices, args=(worker, barrier, saves, errors), name=f"invoice-{worker}"
            )
            for worker in range(WORKERS)
        ]
        with self.assertLogs(NUMBERING_LOGGER, level="DEBUG") as logs:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors, "every save succeeds at its first attempt")
        self.assertEqual(len(saves), WORKERS * INVOICES_PER_WORKER)

        committed = [number for _worker, number, rolled_back, _start, _end in saves if not rolled_back]
        pattern = invoice_number.parse_pattern(self.pattern)
        integers = sorted(invoice_number.parse_number(pattern, number) for number in committed)
        self.assertEqual(
            integers,
            list(range(1, len(committed) + 1)),
            "committed numbers are unique and consecutive: rolled back saves burnt none",
        )
        with self.registry.cursor() as cr:
            cr.execute("SELECT number FROM integria_invoice WHERE sequence_pattern = %s", [self.pattern])
            self.assertCountEqual([number for (number,) in cr.fetchall()], committed)

        # the test cannot pass by running the saves one after the other
        overlapping = any(
            first[0] != second[0] and first[3] < second[4] and second[3] < first[4]
            for first, second in itertools.combinations(saves, 2)
        )
        self.assertTrue(overlapping, "saves of different connections overlapped in time")
        self.assertTrue(
            any("taken by a concurrent save" in line for line in logs.output),
            "some saves found their first number being saved by another connection",
        )
        self.assertGreater(len({worker for worker, *_rest in saves[: WORKERS * 2]}), 1)
