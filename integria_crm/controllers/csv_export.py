from odoo import http
from odoo.http import content_disposition, request

from ..tools.csv_files import LAYOUTS

KINDS = {"company": "res.partner", "contract": "integria.contract"}


class IntegriaCsvExport(http.Controller):
    @http.route("/integria_crm/csv_export/<string:kind>/<string:mode>", type="http", auth="user", methods=["GET"])
    def csv_export(self, kind, mode, ids=""):
        """The export of the records ``ids`` the user sees, as a download:
        built on the fly, nothing stored."""
        if kind not in KINDS or mode not in LAYOUTS:
            raise request.not_found()
        record_ids = [int(part) for part in ids.split(",") if part.strip().isdigit()]
        records = request.env[KINDS[kind]].search([("id", "in", record_ids)], order="id")
        if kind == "company":
            records = records.filtered("is_crm_company")
        exporter = request.env["integria.crm.csv.export"]
        data = exporter.export_csv(kind, records, mode)
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", content_disposition(exporter._file_name(kind, mode))),
            ],
        )
