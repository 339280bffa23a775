from odoo import fields, models


class IntegriaCrmRole(models.Model):
    _name = "integria.crm.role"
    _description = "CRM Company Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_count = fields.Integer(compute="_compute_company_count")

    _name_unique = models.Constraint("UNIQUE(name)", "A role with this name already exists.")

    def _compute_company_count(self):
        groups = self.env["res.partner"]._read_group([("crm_role_id", "in", self.ids)], ["crm_role_id"], ["__count"])
        counts = {role.id: count for role, count in groups}
        for role in self:
            role.company_count = counts.get(role.id, 0)
