from odoo import api, models


class IntegriaCrmTechnicalFieldsMixin(models.AbstractModel):
    """Bookkeeping columns that the record rules read (ancestry paths, copies
    of the customer's owner company...) are not for people: outside debug
    mode they are not offered in custom filters, group-bys or sorting."""

    _name = "integria.crm.technical.fields.mixin"
    _description = "CRM Bookkeeping Fields Kept out of Filters and Groupings"

    _integria_technical_fields = ()

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        descriptions = super().fields_get(allfields, attributes)
        if self._integria_technical_fields and not self.env.user.has_group("base.group_no_one"):
            for name in self._integria_technical_fields:
                description = descriptions.get(name, {})
                for attribute in ("searchable", "groupable", "sortable"):
                    if attribute in description:
                        description[attribute] = False
        return descriptions
