from odoo import api, fields, models

from ..tools import property_labels
from ..tools.contract_macros import custom_macro_name, macro
from ..tools.custom_fields import value_fields


class IntegriaContractType(models.Model):
    _name = "integria.contract.type"
    _description = "Contract Type"
    _inherit = ["integria.crm.property.labels.mixin"]
    _order = "sequence, name"
    _integria_labelled_fields = ("properties_definition", "custom_fields")
    _integria_definition_field = "properties_definition"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    properties_definition = fields.PropertiesDefinition(
        string="Custom Fields",
        help="The custom fields that contracts of this type carry.",
    )
    # The type's form edits its custom fields with Odoo's properties widget:
    # a Properties field whose definition is the type itself.
    definition_type_id = fields.Many2one(
        "integria.contract.type",
        compute="_compute_definition_type_id",
        help="The type itself: the container of its own custom fields.",
    )
    custom_fields = fields.Properties(
        string="Custom Fields of the Type",
        definition="definition_type_id.properties_definition",
        copy=False,
        help="The custom fields of the contracts of this type. The values typed here are examples only.",
    )
    custom_field_macros = fields.Html(
        compute="_compute_custom_field_macros",
        sanitize=False,
        help="Each custom field with the macro that prints its value in contract templates.",
    )
    contract_count = fields.Integer(compute="_compute_contract_count", string="Contracts")

    _name_unique = models.Constraint("UNIQUE(name)", "A contract type with this name already exists.")

    def _compute_definition_type_id(self):
        for contract_type in self:
            contract_type.definition_type_id = contract_type._origin

    @api.depends("properties_definition")
    @api.depends_context("lang")
    def _compute_custom_field_macros(self):
        for contract_type in self:
            contract_type.custom_field_macros = contract_type._custom_field_macros_html()

    def _compute_contract_count(self):
        groups = self.env["integria.contract"]._read_group([("type_id", "in", self.ids)], ["type_id"], ["__count"])
        counts = {contract_type.id: count for contract_type, count in groups}
        for contract_type in self:
            contract_type.contract_count = counts.get(contract_type.id, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_contract")
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business helpers
    # ------------------------------------------------------------------
    def _get_custom_fields(self):
        """Return the custom fields of this type (separators excluded), in order."""
        self.ensure_one()
        return value_fields(property_labels.localize(self.properties_definition, self.env.lang))

    def _custom_field_macros_html(self):
        return self._integria_custom_fields_summary(self.properties_definition, with_macros=True)

    @api.model
    def _integria_macro_of(self, prop):
        return macro(custom_macro_name(prop["name"]))
