from odoo import models

from ..tools.portal_fields import PORTAL_KEY
from ..tools.property_labels import LABELS_KEY


class Base(models.AbstractModel):
    _inherit = "base"

    def _additional_allowed_keys_properties_definition(self):
        # the labels of the CRM's custom fields in each language, and whether
        # the customer portal shows a contract custom field
        return (*super()._additional_allowed_keys_properties_definition(), LABELS_KEY, PORTAL_KEY)
