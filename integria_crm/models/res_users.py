from odoo import api, fields, models

from ..tools.crm_path import NO_MATCH_PREFIX, visible_subtree_pattern


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

    # The record rules compare the ancestry paths of CRM companies with these
    # patterns (docs/permissions.md).
    crm_visible_pattern = fields.Char(
        string="Visible CRM Paths",
        compute="_compute_crm_patterns",
        help="The =like pattern of the ancestry paths of the CRM companies this user sees.",
    )
    crm_manage_pattern = fields.Char(
        string="Managed CRM Paths",
        compute="_compute_crm_patterns",
        help="The =like pattern of the ancestry paths of the CRM companies this user changes "
        "without owning them: those they see with the Manage level, none otherwise.",
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

    @api.depends("crm_company_id.crm_path", "crm_company_id.crm_parent_id", "group_ids")
    def _compute_crm_patterns(self):
        for user in self:
            company = user.sudo().crm_company_id
            user.crm_visible_pattern = visible_subtree_pattern(company.crm_path, bool(company.crm_parent_id))
            manages = user.sudo()._has_group("integria_crm.group_crm_manage")
            user.crm_manage_pattern = user.crm_visible_pattern if manages else NO_MATCH_PREFIX

    @api.model
    def _integria_find_login(self, login):
        """The internal user whose login is ``login`` (Integria names users by
        login: a company's manager, a lead's owner), as the caller sees it."""
        return self.search([("login", "=", login), ("share", "=", False)], limit=1) if login else self.browse()
