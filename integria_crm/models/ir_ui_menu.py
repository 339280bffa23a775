from odoo import api, models

# Settings > Customers > CRM visible to all users
VISIBLE_TO_ALL_PARAM = "integria_crm.visible_to_all"


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def _integria_crm_apply_visibility(self):
        """Show the Customers app to CRM users, or to administrators only."""
        visible = self.env["ir.config_parameter"].sudo().get_param(VISIBLE_TO_ALL_PARAM)
        groups = self.env.ref("base.group_system")
        if visible:
            groups |= self.env.ref("integria_crm.group_crm_read")
        self.env.ref("integria_crm.menu_integria_crm_root").sudo().group_ids = groups
