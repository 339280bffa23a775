from odoo import models
from odoo.http import request

# the routes that read their request body as sent (see controllers/lead_intake.py)
RAW_BODY_SUFFIX = "/include/api.php"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        # Integria's params keep %2C inside values and plain commas between
        # them: keep the raw body (within the size limit set above) before
        # Odoo decodes the form, which is then parsed from this cached copy
        if request.httprequest.path.endswith(RAW_BODY_SUFFIX) and request.httprequest.method == "POST":
            request.httprequest.get_data(cache=True, parse_form_data=False)
        return result
