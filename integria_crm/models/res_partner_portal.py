from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        result = super().write(vals)
        if "parent_id" in vals and self.sudo().user_ids.filtered("share"):
            # the record rules of a portal user embed the ancestry path of
            # their contact's company: drop their cached domains
            self.env.registry.clear_cache()
        return result
