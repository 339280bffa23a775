import logging
import time

from odoo import api, fields, models
from odoo.sql_db import Cursor

_logger = logging.getLogger(__name__)

# Settings of the rate limit (ir.config_parameter keys and defaults)
RATE_LIMIT_PARAM = "integria_crm.lead_api_rate_limit"
DEFAULT_RATE_LIMIT = 60
RATE_WINDOW_PARAM = "integria_crm.lead_api_rate_window"
DEFAULT_RATE_WINDOW = 60


class IntegriaLeadIntakeRate(models.Model):
    """Requests counted per API key and per IP address in fixed time windows.

    The counters live in PostgreSQL so that every worker and every Odoo
    server on the database share them. Each hit is one atomic
    ``INSERT ... ON CONFLICT DO UPDATE`` on its own cursor, committed at once
    in READ COMMITTED: concurrent workers queue on the row lock for a moment
    instead of failing with serialization errors, and a request whose own
    transaction rolls back (a refused lead) still counts.
    """

    _name = "integria.lead.intake.rate"
    _description = "Lead Intake Rate Counter"
    _log_access = False

    bucket = fields.Char(required=True, readonly=True, help="api-key:<hash> or ip:<address>")
    window_start = fields.Integer(required=True, readonly=True, help="Start of the window, in seconds since 1970.")
    hits = fields.Integer(readonly=True)

    _bucket_window_unique = models.Constraint("UNIQUE (bucket, window_start)", "One counter per bucket and window.")

    @api.model
    def _rate_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        limit = params.get_param(RATE_LIMIT_PARAM, DEFAULT_RATE_LIMIT)
        window = params.get_param(RATE_WINDOW_PARAM, DEFAULT_RATE_WINDOW)
        try:
            return int(limit), max(int(window), 1)
        except ValueError:
            return DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW

    @api.model
    def _hit(self, *buckets):
        """Count one request in each of ``buckets``; return the buckets over
        the limit (empty when the request may go on, or when the limit is 0,
        which switches it off)."""
        limit, window_seconds = self._rate_settings()
        if limit <= 0:
            return []
        window = int(time.time()) // window_seconds * window_seconds
        over = []
        if not isinstance(self.env.cr, Cursor):
            # a test cursor (HttpCase): it wraps the test's transaction and
            # cannot commit on its own
            self._count(self.env.cr, buckets, window, limit, over)
            return over
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            self._count(cr, buckets, window, limit, over)
        return over

    @api.model
    def _count(self, cr, buckets, window, limit, over):
        # buckets in a fixed order: concurrent requests lock the rows alike
        for bucket in sorted(set(buckets)):
            cr.execute(
                """
                INSERT INTO integria_lead_intake_rate (bucket, window_start, hits) VALUES (%s, %s, 1)
                ON CONFLICT (bucket, window_start) DO UPDATE SET hits = integria_lead_intake_rate.hits + 1
                RETURNING hits
                """,
                [bucket, window],
            )
            if cr.fetchone()[0] > limit:
                over.append(bucket)

    @api.autovacuum
    def _gc_windows(self):
        _limit, window_seconds = self._rate_settings()
        self.env.cr.execute(
            "DELETE FROM integria_lead_intake_rate WHERE window_start < %s", [int(time.time()) - 2 * window_seconds]
        )
