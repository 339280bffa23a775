from odoo import fields, models


class IntegriaLeadAssign(models.TransientModel):
    _name = "integria.lead.assign"
    _description = "Assign Leads"

    lead_ids = fields.Many2many(
        "crm.lead", string="Leads", required=True, default=lambda self: self.env.context.get("active_ids")
    )
    user_id = fields.Many2one("res.users", string="Owner", required=True, domain=[("share", "=", False)])

    def action_assign(self):
        """Give the leads to the chosen owner (their managing company follows)."""
        self.ensure_one()
        self.lead_ids.check_access("write")
        self.lead_ids.user_id = self.user_id
        return {"type": "ir.actions.act_window_close"}
