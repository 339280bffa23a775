from markupsafe import Markup, escape

from odoo import api, fields, models

from ..tools.contract_macros import custom_macro_name, macro
from ..tools.custom_fields import value_fields


class IntegriaContractType(models.Model):
    _name = "integria.contract.type"
    _description = "Contract Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    properties_definition = fields.PropertiesDefinition(
        string="Custom Fields",
        help="The custom fields that contracts of this type carry.",
    )
    custom_field_macros = fields.Html(
        compute="_compute_custom_field_macros",
        sanitize=False,
        help="Each custom field with the macro that prints its value in contract templates.",
    )
    contract_count = fields.Integer(compute="_compute_contract_count", string="Contracts")

    _name_unique = models.Constraint("UNIQUE(name)", "A contract type with this name already exists.")

    @api.depends("properties_definition")
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
        return value_fields(self.properties_definition)

    def _custom_field_macros_html(self):
        fields_ = self._get_custom_fields()
        if not fields_:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "No custom fields yet. Add them from a contract of this type: "
                "open or create one, then use the gear menu, “Edit Properties”."
            )
        type_labels = self._property_type_labels()
        rows = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td><code class='user-select-all'>%s</code></td></tr>")
            % (prop.get("string") or prop["name"], type_labels.get(prop["type"], prop["type"]), self._macro_of(prop))
            for prop in fields_
        )
        header = Markup("<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>") % (
            self.env._("Custom field"),
            self.env._("Type"),
            self.env._("Macro"),
        )
        return Markup("<table class='table table-sm o_integria_contract_type_macros'>%s<tbody>%s</tbody></table>") % (
            header,
            rows,
        )

    @api.model
    def _property_type_labels(self):
        # the names the web client gives to property types
        return {
            "char": self.env._("Text"),
            "text": self.env._("Multiline Text"),
            "html": self.env._("HTML"),
            "boolean": self.env._("Checkbox"),
            "integer": self.env._("Integer"),
            "float": self.env._("Decimal"),
            "monetary": self.env._("Monetary"),
            "date": self.env._("Date"),
            "datetime": self.env._("Date & Time"),
            "selection": self.env._("Selection"),
            "tags": self.env._("Tags"),
            "many2one": self.env._("Many2one"),
            "many2many": self.env._("Many2many"),
        }

    @api.model
    def _macro_of(self, prop):
        return escape(macro(custom_macro_name(prop["name"])))
