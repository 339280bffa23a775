from odoo import api, fields, models

from ..tools.crm_path import NO_MATCH_PREFIX


class ResUsers(models.Model):
    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    # The portal's record rules compare the ancestry paths of contracts and
    # invoices with this pattern (docs/permissions.md, "Customer portal").
    crm_portal_pattern = fields.Char(
        string="CRM Paths of the Portal",
        compute="_compute_crm_portal_pattern",
        help="The =like pattern of the ancestry paths of the CRM companies whose documents this portal user sees: "
        "the CRM company of their contact and the companies that hang from it.",
    )

    @api.depends("share", "partner_id.crm_company_id.crm_path")
    def _compute_crm_portal_pattern(self):
        for user in self:
            company = user.sudo().partner_id.crm_company_id
            # only people outside the company (portal users) reach documents
            # through their contact; employees go by their CRM level
            path = company.crm_path if user.share else False
            user.crm_portal_pattern = f"{path}%" if path else NO_MATCH_PREFIX
