from odoo import fields, models

VISIBLE_TO_ALL_PARAM = "integria_crm.visible_to_all"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    integria_crm_visible_to_all = fields.Boolean(
        string="CRM visible to all users",
        config_parameter=VISIBLE_TO_ALL_PARAM,
        help="When off, the Customers menus are shown to administrators only.",
    )

    integria_crm_contract_reminder_days = fields.Integer(
        string="Contract Expiry Reminder (days)",
        config_parameter="integria_crm.contract_reminder_days",
        default=30,
        help="The owner of a company gets a to-do this many days before one of its contracts ends.",
    )

    def set_values(self):
        result = super().set_values()
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        return result
