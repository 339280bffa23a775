from odoo import api, fields, models

from ..tools.crm_path import visible_subtree_pattern


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_company_id = fields.Many2one(
        "res.partner",
        string="CRM Company",
        default=lambda self: self.env.company.partner_id,
        domain=[("is_company", "=", True)],
        index="btree_not_null",
        help="The company this user belongs to in the CRM: the user sees every CRM company that hangs from it.",
    )

    crm_visible_pattern = fields.Char(
        string="Visible CRM Paths",
        compute="_compute_crm_visible_pattern",
        help="The =like pattern of the ancestry paths of the CRM companies this user sees.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("crm_company_id") and vals.get("company_id"):
                vals["crm_company_id"] = self.env["res.company"].browse(vals["company_id"]).partner_id.id
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if "crm_company_id" in vals:
            # record rules read the CRM company: drop their cached domains
            self.env.registry.clear_cache()
        return result

    @api.depends("crm_company_id.crm_path", "crm_company_id.crm_parent_id")
    def _compute_crm_visible_pattern(self):
        for user in self:
            company = user.sudo().crm_company_id
            user.crm_visible_pattern = visible_subtree_pattern(company.crm_path, bool(company.crm_parent_id))
