from odoo import api, fields, models


class IntegriaCrmCustomFields(models.TransientModel):
    """Configuration screen of the custom fields of CRM companies.

    It shows the company custom fields with their sections in Odoo's
    properties widget, always in edit mode, so that Manage users add, rename,
    reorder and remove fields and sections in one place; the definition is the
    one every CRM company reads. A label typed in Spanish is the Spanish
    label (``integria_crm/tools/property_labels.py``).
    """

    _name = "integria.crm.custom.fields"
    _inherit = ["integria.crm.property.labels.mixin"]
    _description = "CRM Company Custom Fields"
    _integria_labelled_fields = ("preview",)

    definition_id = fields.Many2one(
        "properties.base.definition",
        default=lambda self: self.env["res.partner"]._crm_properties_definition(),
        required=True,
        readonly=True,
    )
    preview = fields.Properties(string="Custom Fields", definition="definition_id.properties_definition")
    summary = fields.Html(compute="_compute_summary", sanitize=False)

    @api.depends("definition_id.properties_definition")
    @api.depends_context("lang")
    def _compute_summary(self):
        for screen in self:
            screen.summary = self._integria_custom_fields_summary(screen.definition_id.properties_definition)

    def _compute_display_name(self):
        for screen in self:
            screen.display_name = self.env._("Company Custom Fields")

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
