from odoo import api, models

from ..tools import property_labels


class IntegriaCrmPropertyLabelsMixin(models.AbstractModel):
    """Custom fields (Odoo properties) whose labels are read in the user's language.

    Models that show custom fields list them in ``_integria_labelled_fields``
    (their ``Properties`` fields, or the ``PropertiesDefinition`` of a
    container); containers name their definition field in
    ``_integria_definition_field`` so that a label written in a language
    other than English becomes that language's label
    (``integria_crm/tools/property_labels.py``).
    """

    _name = "integria.crm.property.labels.mixin"
    _description = "Custom Fields Labelled in Each Language"

    _integria_labelled_fields = ()
    _integria_definition_field = None

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        names = [name for name in self._integria_labelled_fields if name in fnames]
        if names:
            lang = self.env.lang or property_labels.SOURCE_LANG
            for values in result:
                for name in names:
                    if values.get(name):
                        values[name] = property_labels.localize(values[name], lang)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        field = self._integria_definition_field
        for vals in vals_list:
            if field and vals.get(field) and self._integria_labels_apply(vals):
                vals[field] = property_labels.merge_labels([], vals[field], self.env.lang)
        return super().create(vals_list)

    def write(self, vals):
        field = self._integria_definition_field
        if not (field and vals.get(field)) or (self.env.lang or property_labels.SOURCE_LANG) == "en_US":
            return super().write(vals)
        for record in self:
            record_vals = dict(vals)
            if record._integria_labels_apply(vals):
                record_vals[field] = property_labels.merge_labels(record[field], vals[field], self.env.lang)
            super(IntegriaCrmPropertyLabelsMixin, record).write(record_vals)
        return True

    @api.model
    def _integria_custom_fields_summary(self, definition, with_macros=False):
        """Return an HTML table of the custom fields of ``definition`` in the user's language.

        One row per field: its section, label, type and whether lists show
        it; with ``with_macros``, the macro that prints it in contract documents.
        """
        rows, section = [], ""
        type_labels = self._integria_property_type_labels()
        for prop in property_labels.localize(definition, self.env.lang):
            if prop.get("type") == "separator":
                section = prop.get("string") or ""
                continue
            rows.append(
                {
                    "section": section,
                    "label": prop.get("string") or prop["name"],
                    "type": type_labels.get(prop["type"], prop["type"]),
                    "in_lists": bool(prop.get("view_in_cards")),
                    "macro": self._integria_macro_of(prop) if with_macros else "",
                }
            )
        return self.env["ir.qweb"]._render(
            "integria_crm.custom_fields_summary", {"rows": rows, "with_macros": with_macros}
        )

    @api.model
    def _integria_macro_of(self, prop):
        return ""

    @api.model
    def _integria_property_type_labels(self):
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

    def _integria_labels_apply(self, vals):
        """Whether the definition written with ``vals`` keeps labels per language."""
        return True
