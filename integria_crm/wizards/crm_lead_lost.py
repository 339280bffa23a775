from odoo import fields, models


class CrmLeadLost(models.TransientModel):
    _inherit = "crm.lead.lost"

    # Integria closes a lead without a sale with one of its closing codes
    # (100 no response, 101 lost, 102 invalid): the reason carries the code
    lost_reason_id = fields.Many2one(required=True, domain=[("integria_code", "!=", False)])
