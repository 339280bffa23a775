from odoo import fields, models

from ..tools.lead_progress import LOST_CODES, PROGRESS_CODES, WON_CODE


class IntegriaLeadClose(models.TransientModel):
    _name = "integria.lead.close"
    _description = "Close Leads"

    lead_ids = fields.Many2many("crm.lead", required=True)
    closing_code = fields.Selection(
        [(str(code), PROGRESS_CODES[code]) for code in (*LOST_CODES, WON_CODE)],
        required=True,
        default=str(WON_CODE),
    )

    def action_close(self):
        self.ensure_one()
        self.lead_ids.check_access("write")
        self.lead_ids.progress_code = int(self.closing_code)
        return {"type": "ir.actions.act_window_close"}
