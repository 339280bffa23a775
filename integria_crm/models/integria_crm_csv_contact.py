from odoo import models
from odoo.tools.mail import plaintext2html

from ..tools import csv_files
from .integria_crm_csv_import import Column


class IntegriaCrmCsvContact(models.AbstractModel):
    """Contacts of CRM companies (Integria's ``tcompany_contact``), as the
    Integria migration hands them to the engine: each belongs to a company
    an earlier import or migration brought (``id_company``, Integria's id); a
    disabled contact is archived."""

    _name = "integria.crm.csv.contact"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: contacts"

    _csv_model = "res.partner"
    _csv_xmlid_prefix = "contact"

    def _csv_columns(self):
        return [
            Column("name", "fullname", ("name",), self.env._("Name")),
            Column("company", "id_company", ("parent_id",), self.env._("Company")),
            Column("email", "email", ("email",), self.env._("E-mail")),
            Column("phone", "phone", ("phone",), self.env._("Phone")),
            Column("mobile", "mobile", ("mobile",), self.env._("Mobile")),
            Column("function", "position", ("function",), self.env._("Position")),
            Column("comment", "description", ("comment",), self.env._("Description")),
            Column("disabled", "disabled", ("active",), self.env._("Disabled")),
        ]

    def _csv_prepare(self, run):
        companies = self.env["integria.crm.csv.company"]
        run.lookups.load_cell_keys(companies, run.rows, "company")
        for row in run.rows:
            cells = row.cells
            if not cells.get("name"):
                run.error(row, "name", self.env._("The contact has no name."))
            company = run.cell(row, "company", lambda text: self._csv_company(run, companies, text))
            row.vals = {
                "name": cells.get("name", ""),
                "type": "contact",
                "parent_id": company.id if company else False,
                "email": cells.get("email") or False,
                "phone": cells.get("phone") or False,
                "mobile": cells.get("mobile") or False,
                "function": cells.get("function") or False,
                "comment": plaintext2html(cells["comment"]) if cells.get("comment") else False,
                "active": not run.cell(row, "disabled", csv_files.parse_bool),
            }

    def _csv_company(self, run, companies, text):
        company = run.lookups.imported(companies, text) if text else None
        if not company:
            raise run.lookups.unknown(text, self.env._("no company has this id in an earlier import"))
        return company
