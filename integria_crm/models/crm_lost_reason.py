from odoo import api, fields, models

from ..tools.lead_progress import LOST_CODES, PROGRESS_CODES


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    integria_code = fields.Selection(
        [(str(code), PROGRESS_CODES[code]) for code in LOST_CODES],
        string="Integria Progress Code",
        index="btree_not_null",
        copy=False,
        help="The Integria closing code of the leads lost for this reason; reasons without one mean Closed, lost.",
    )

    @api.model
    def _integria_reason_for_code(self, code):
        """Return the lost reason of the closing code ``code`` (100, 101 or 102)."""
        return self.with_context(active_test=False).search([("integria_code", "=", str(code))], order="id", limit=1)
