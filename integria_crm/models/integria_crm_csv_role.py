from odoo import models

from .integria_crm_csv_import import Column


class IntegriaCrmCsvRole(models.AbstractModel):
    """Company roles (Integria's ``tcompany_role``): name and description.
    Imported from an Integria export, each keeps Integria's id, which the
    companies' ``id_company_role`` then names."""

    _name = "integria.crm.csv.role"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: company roles"

    _csv_model = "integria.crm.role"
    _csv_xmlid_prefix = "role"

    def _csv_columns(self):
        return [
            Column("name", "name", ("name",), self.env._("Name")),
            Column("description", "description", ("description",), self.env._("Description")),
        ]

    def _csv_prepare(self, run):
        for row in run.rows:
            if not row.cells.get("name"):
                run.error(row, "name", self.env._("The role has no name."))
            row.vals = {"name": row.cells.get("name", ""), "description": row.cells.get("description") or False}
