from odoo import api, fields, models


class IntegriaCrmCustomFields(models.TransientModel):
    """Configuration screen of the custom fields of CRM companies.

    It shows the company custom fields with their sections in Odoo's
    properties widget, so that Manage users add, rename, reorder and remove
    fields and sections in one place; the definition is the one every CRM
    company reads.
    """

    _name = "integria.crm.custom.fields"
    _description = "CRM Company Custom Fields"

    definition_id = fields.Many2one(
        "properties.base.definition",
        default=lambda self: self.env["res.partner"]._crm_properties_definition(),
        required=True,
        readonly=True,
    )
    preview = fields.Properties(string="Custom Fields", definition="definition_id.properties_definition")

    @api.model
    def action_open(self):
        """Open the configuration screen on a fresh record."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Company Custom Fields"),
            "res_model": self._name,
            "res_id": self.create({}).id,
            "view_mode": "form",
            "target": "current",
        }
