from odoo import fields, models

VISIBLE_TO_ALL_PARAM = "integria_crm.visible_to_all"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    integria_crm_visible_to_all = fields.Boolean(
        string="CRM visible to all users",
        config_parameter=VISIBLE_TO_ALL_PARAM,
        help="When off, the Customers menus are shown to administrators only.",
    )

    def set_values(self):
        result = super().set_values()
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        return result
