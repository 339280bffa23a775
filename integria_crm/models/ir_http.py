import psycopg2

from odoo import models
from odoo.http import request

# the routes that read their request body as sent (see controllers/lead_intake.py)
RAW_BODY_SUFFIX = "/include/api.php"
# seconds an Integria client is asked to wait when the database is away
DATABASE_RETRY_AFTER = 5


def _is_integria_api():
    return bool(request) and request.httprequest.path.endswith(RAW_BODY_SUFFIX)


def _database_error(exception):
    """The database error behind ``exception``: itself, or the error that
    Odoo's authentication turned into AccessDenied; else None."""
    for error in (exception, exception.__cause__, exception.__context__):
        if isinstance(error, (psycopg2.OperationalError, psycopg2.InterfaceError)):
            return error
    return None


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        # Integria's params keep %2C inside values and plain commas between
        # them: keep the raw body (within the size limit set above) before
        # Odoo decodes the form, which is then parsed from this cached copy
        if _is_integria_api() and request.httprequest.method == "POST":
            request.httprequest.get_data(cache=True, parse_form_data=False)
        return result

    @classmethod
    def _handle_error(cls, exception):
        # A database that is restarting or whose connections were cut is a
        # reason to try again, never a bad key: Odoo's authentication
        # answers any error with AccessDenied (403), which an Integria
        # client would read as a refused key.
        if _is_integria_api() and _database_error(exception):
            from ..controllers.lead_intake import raw_operation, refusal

            op, return_type = raw_operation()
            response = refusal(
                op, return_type, 503, "database_unavailable", "The database is not available: try again shortly."
            )
            response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
            return response
        return super()._handle_error(exception)
