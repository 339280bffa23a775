from odoo import models

from ..tools import csv_files
from .integria_contract import CONTRACT_STATES, STATE_CODES
from .integria_crm_csv_import import Column

STATE_OF_CODE = {str(code): state for state, code in STATE_CODES.items()}


class IntegriaCrmCsvContract(models.AbstractModel):
    """Contracts in CSV files: the manual's positional columns, then the
    custom fields of the contract's type in order. Integria's export names
    ``tcontract``'s columns (it has no contract type), then ``company`` (the
    company's name, which must agree with ``id_company``), then one column per
    contract custom field shown in lists, by label: they are mapped onto the
    contract type the user chooses."""

    _name = "integria.crm.csv.contract"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: contracts"

    _csv_model = "integria.contract"
    _csv_xmlid_prefix = "contract"
    _csv_properties_field = "contract_properties"

    def _csv_columns(self):
        return [
            Column("name", "name", ("name",), self.env._("Name")),
            Column("contract_number", "contract_number", ("contract_number",), self.env._("Contract number")),
            Column("description", "description", ("description",), self.env._("Description")),
            Column("date_start", "date_begin", ("date_start",), self.env._("Start date")),
            Column("date_end", "date_end", ("date_end",), self.env._("End date")),
            Column("company", "id_company", ("partner_id",), self.env._("Company")),
            Column("sla", "id_sla", ("sla",), self.env._("SLA")),
            Column("support_group", "id_group", ("support_group",), self.env._("Group")),
            Column("is_private", "private", ("is_private",), self.env._("Private")),
            Column("state", "status", ("state",), self.env._("Status")),
            Column("type", "contract_type", ("type_id",), self.env._("Contract type")),
            Column("company_name", "company", (), self.env._("Company name"), positional=False),
        ]

    def _csv_header_aliases(self):
        return {"id_contract_type": "type"}

    def _csv_fields_from_options(self, run):
        return {"type_id"} if run.options.get("contract_type_id") else set()

    def _csv_example(self):
        contract_type = self.env["integria.contract.type"].search([], limit=1)
        values = self._csv_sample_values(contract_type._get_custom_fields() if contract_type else [])
        company = self.env["res.partner"].search([("is_crm_company", "=", True)], limit=1, order="id")
        return ",".join(
            [
                "Contrato prueba",
                "123456789",
                "Descripción",
                "2017-07-25",
                "2017-07-31",
                str(company.id or 1),
                "",
                "",
                "0",
                "1",
                str(contract_type.id or ""),
                *values,
            ]
        )

    # ------------------------------------------------------------------
    # Values and checks
    # ------------------------------------------------------------------
    def _csv_prepare(self, run):
        self._csv_load_numbers(run)
        chosen_type = self.env["integria.contract.type"].browse(run.options.get("contract_type_id") or [])
        numbers = {}
        if not run.positional:
            run.lookups.load_cell_keys(self.env["integria.crm.csv.company"], run.rows, "company")
        for row in run.rows:
            row.vals = self._csv_row_values(run, row, chosen_type)
            contract_type = self.env["integria.contract.type"].browse(row.vals.get("type_id") or [])
            definition = contract_type._get_custom_fields() if contract_type else []
            row.vals["contract_properties"] = run.engine._custom_values(run, row, definition)
            self._csv_check_number(run, row, numbers)
        if not run.positional and not chosen_type and any(row.custom for row in run.rows):
            run.report.warnings.append(
                self.env._(
                    "Integria's contract custom fields belong to no type: choose the contract type whose "
                    "fields have these labels to import them."
                )
            )

    def _csv_row_values(self, run, row, chosen_type):
        cells = row.cells
        if not cells.get("name"):
            run.error(row, "name", self.env._("The contract has no name."))
        contract_type = run.cell(row, "type", self._csv_type_parser(run)) or chosen_type
        vals = {
            "name": cells.get("name", ""),
            "contract_number": cells.get("contract_number") or False,
            "description": cells.get("description") or False,
            "date_start": run.cell(row, "date_start", csv_files.parse_date),
            "date_end": run.cell(row, "date_end", csv_files.parse_date),
            "sla": cells.get("sla") or False,
            "support_group": cells.get("support_group") or False,
            "is_private": run.cell(row, "is_private", csv_files.parse_bool) or False,
            "state": run.cell(row, "state", self._csv_state) or "active",
            "type_id": contract_type.id if contract_type else False,
        }
        company = self._csv_company(run, row)
        vals["partner_id"] = company.id if company else False
        if ("date_start" in cells or not row.existing) and csv_files.is_no_date(cells.get("date_start", "")):
            run.error(row, "date_start", self.env._("The contract has no start date."))
        if vals["date_start"] and vals["date_end"] and vals["date_end"] < vals["date_start"]:
            run.error(row, "date_end", self.env._("The end date is before the start date."))
        return vals

    def _csv_type_parser(self, run):
        def parse(text):
            return run.lookups.by_id_or_name(
                "integria.contract.type", text, self.env._("no contract type has this id or name")
            )

        return parse

    def _csv_company(self, run, row):
        """The CRM company of the contract: by id or name typed by hand; in
        an export, Integria's id of a company imported before, whose name
        must agree with the ``company`` column."""
        if not row.cells.get("company"):
            if "company" in row.cells or not row.existing:
                run.error(row, "company", self.env._("The contract has no company."))
            return False
        if run.positional:
            return run.cell(row, "company", self._csv_company_parser(run))
        company = run.cell(row, "company", self._csv_imported_company_parser(run))
        name = row.cells.get("company_name")
        if company and name and not _same_name(name, company.name):
            run.error(
                row,
                "company_name",
                self.env._(
                    "The company %(id)s is %(company)s, not %(name)s: the id decides, the name must agree. "
                    "Check that the companies file imported before is the one of this export.",
                    id=row.cells["company"],
                    company=company.name,
                    name=name,
                ),
            )
        return company

    def _csv_company_parser(self, run):
        def parse(text):
            return run.lookups.by_id_or_name(
                "res.partner",
                text,
                self.env._("no CRM company you can see has this id or name"),
                domain=[("is_crm_company", "=", True)],
            )

        return parse

    def _csv_imported_company_parser(self, run):
        companies = self.env["integria.crm.csv.company"]

        def parse(text):
            company = run.lookups.imported(companies, text)
            if not company:
                raise run.lookups.unknown(
                    text, self.env._("no company has this id in the file or in an earlier import")
                )
            return company

        return parse

    def _csv_state(self, text):
        """Integria's status code (0 inactive, 1 active, 2 pending) or the
        status's name, in English or in the user's language."""
        text = text.strip()
        if not text:
            return False
        if text in STATE_OF_CODE:
            return STATE_OF_CODE[text]
        labels = dict(self.env["integria.contract"]._fields["state"]._description_selection(self.env))
        choices = [*CONTRACT_STATES, *labels.items()]
        return csv_files.parse_choice(text, choices)

    def _csv_load_numbers(self, run):
        numbers = [row.cells["contract_number"] for row in run.rows if row.cells.get("contract_number")]
        run.lookups.contract_numbers = {}
        contracts = self.env["integria.contract"].sudo().with_context(active_test=False)
        for start in range(0, len(numbers), 10000):
            for values in contracts.search_read(
                [("contract_number", "in", numbers[start : start + 10000])], ["contract_number"]
            ):
                run.lookups.contract_numbers[values["contract_number"]] = values["id"]

    def _csv_check_number(self, run, row, numbers):
        number = row.vals.get("contract_number")
        if not number:
            return
        if number in numbers:
            run.error(
                row,
                "contract_number",
                self.env._("Contract number %(number)s is on line %(line)s too.", number=number, line=numbers[number]),
            )
            return
        numbers[number] = row.line
        existing = run.lookups.contract_numbers.get(number)
        if existing and existing != (row.existing and row.existing.id):
            run.error(
                row, "contract_number", self.env._("Another contract already has the number %(number)s.", number=number)
            )

    def _csv_explain_refusal(self, run, row):
        company = self.env["res.partner"].browse(row.vals.get("partner_id") or [])
        if row.vals.get("is_private") and company:
            return self.env._(
                "A private contract of %(company)s, a CRM company whose private contracts you may not see: "
                "clear the private flag (%(column)s) or import it as its manager or as an administrator.",
                company=company.sudo().display_name,
                column=run.column_text(row, "is_private"),
            )
        return False


def _same_name(text, name):
    """Whether the ``company`` cell names ``name``: as the addon exports it,
    or as Integria's export wrote it (commas as dots, quotes as spaces)."""
    folded = csv_files.normalize_name(text)
    return folded in (csv_files.normalize_name(name), csv_files.normalize_name(csv_files.integria_cell(name)))
