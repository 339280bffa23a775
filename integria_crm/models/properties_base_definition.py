from odoo import models


class PropertiesBaseDefinition(models.Model):
    """The custom fields of CRM companies are the definition of ``res.partner.crm_properties``."""

    _name = "properties.base.definition"
    _inherit = ["properties.base.definition", "integria.crm.property.labels.mixin"]

    _integria_labelled_fields = ("properties_definition",)
    _integria_definition_field = "properties_definition"

    def _integria_labels_apply(self, vals):
        # only the CRM's definition: other models' definitions keep Odoo's keys
        crm_field = self.env["ir.model.fields"]._get("res.partner", "crm_properties")
        field_id = vals.get("properties_field_id") or self.properties_field_id.id
        return field_id == crm_field.id
