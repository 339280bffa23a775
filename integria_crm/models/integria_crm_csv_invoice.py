from odoo import Command, models
from odoo.tools.mail import plaintext2html

from ..tools import csv_files, integria_source
from .integria_crm_csv_import import Column

INVOICE_STATES = {"pending": "pending", "paid": "paid", "canceled": "cancelled", "cancelled": "cancelled"}
INVOICE_TYPES = {"submitted": "issued", "received": "received"}
LINE_COUNT = 5


class IntegriaCrmCsvInvoice(models.AbstractModel):
    """Invoices as Integria's ``tinvoice`` holds them, for the Integria
    migration: five concepts and amounts as lines, the taxes as
    ``json_encode`` wrote them (or one plain rate), the IRPF retention, the
    discount before taxes, the currency by its code, who locked it, and the
    total Integria billed (``billed_total``, computed by the migration as
    Integria computes it), which the invoice keeps to the cent."""

    _name = "integria.crm.csv.invoice"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: invoices"

    _csv_model = "integria.invoice"
    _csv_xmlid_prefix = "invoice"
    _csv_header_key = "number"

    def _csv_columns(self):
        lines = []
        for number in range(1, LINE_COUNT + 1):
            lines += [
                Column(f"concept{number}", f"concept{number}", ("line_ids",), self.env._("Concept %s", number)),
                Column(f"amount{number}", f"amount{number}", ("line_ids",), self.env._("Amount %s", number)),
            ]
        return [
            Column("company", "id_company", ("partner_id",), self.env._("Company")),
            Column("number", "bill_id", ("number",), self.env._("Number")),
            *lines,
            Column("tax", "tax", ("tax_ids",), self.env._("Taxes")),
            Column("tax_name", "tax_name", ("tax_ids",), self.env._("Tax names")),
            Column("irpf", "irpf", ("retention_id",), self.env._("Retention")),
            Column("irpf_name", "concept_irpf", ("retention_id",), self.env._("Retention name")),
            Column("discount", "discount_before", ("discount_rate",), self.env._("Discount")),
            Column("discount_name", "discount_concept", ("discount_name",), self.env._("Discount name")),
            Column("currency", "currency", ("currency_id",), self.env._("Currency")),
            Column("description", "description", ("description",), self.env._("Description")),
            Column("locked", "locked", ("locked_by_id",), self.env._("Locked")),
            Column("locked_by", "locked_id_user", ("locked_by_id",), self.env._("Locked by")),
            Column("date_invoice", "invoice_create_date", ("date_invoice",), self.env._("Invoice date")),
            Column("date_payment", "invoice_payment_date", ("date_payment",), self.env._("Payment date")),
            Column("date_due", "invoice_expiration_date", ("date_due",), self.env._("Due date")),
            Column("state", "status", ("state",), self.env._("Status")),
            Column("type", "invoice_type", ("invoice_type",), self.env._("Type")),
            Column("reference", "reference", ("reference",), self.env._("Reference")),
            Column("lang", "id_language", ("lang",), self.env._("Language")),
            Column("internal_note", "internal_note", ("internal_note",), self.env._("Internal note")),
            Column("contract", "contract_number", ("contract_id",), self.env._("Contract number")),
            Column("billed_total", "billed_total", ("billed_total",), self.env._("Billed total")),
        ]

    def _csv_ignored_headers(self):
        return (
            "id_user",
            "id_task",
            "id_attachment",
            "bill_id_pattern",
            "bill_id_variable",
            "rates",
            "currency_change",
        )

    def _csv_prepare(self, run):
        run.lookups.load_cell_keys(self.env["integria.crm.csv.company"], run.rows, "company")
        for row in run.rows:
            row.vals = self._csv_row_values(run, row)

    def _csv_row_values(self, run, row):
        cells = row.cells
        date_invoice = run.cell(row, "date_invoice", csv_files.parse_date)
        if not date_invoice:
            run.error(row, "date_invoice", self.env._("The invoice has no date."))
        date_due = run.cell(row, "date_due", csv_files.parse_date)
        state = INVOICE_STATES.get(cells.get("state", "").strip().lower(), "pending")
        date_payment = run.cell(row, "date_payment", csv_files.parse_date)
        vals = {
            "partner_id": run.cell(row, "company", lambda text: self._csv_company(run, text)),
            "number": cells.get("number") or False,
            "invoice_type": INVOICE_TYPES.get(cells.get("type", "").strip().lower(), "issued"),
            "state": state,
            "date_invoice": date_invoice,
            "date_due": date_due if date_due and date_invoice and date_due >= date_invoice else False,
            "date_payment": date_payment or (date_invoice if state == "paid" else False),
            "line_ids": [Command.clear(), *self._csv_lines(run, row)],
            "tax_ids": [Command.set(self._csv_taxes(run, cells.get("tax", ""), cells.get("tax_name", "")))],
            "retention_id": self._csv_retention(run, row),
            "discount_rate": run.cell(row, "discount", csv_files.parse_float) or 0.0,
            "discount_name": cells.get("discount_name") or False,
            "currency_id": run.cell(row, "currency", lambda text: self._csv_currency(run, text)),
            "description": plaintext2html(cells["description"]) if cells.get("description") else False,
            "reference": cells.get("reference") or False,
            "internal_note": cells.get("internal_note") or False,
            "lang": self._csv_lang(cells.get("lang")),
            "contract_id": self._csv_contract(run, cells.get("contract")),
            "billed_total": run.cell(row, "billed_total", csv_files.parse_float) or False,
        }
        if run.cell(row, "locked", csv_files.parse_bool) and cells.get("locked_by"):
            vals["locked_by_id"] = run.cell(row, "locked_by", run.lookups.user)
        return vals

    def _csv_company(self, run, text):
        company = run.lookups.imported(self.env["integria.crm.csv.company"], text) if text else None
        if not company:
            raise run.lookups.unknown(text, self.env._("no company has this id in an earlier import"))
        return company.id

    def _csv_lines(self, run, row):
        lines = []
        for number in range(1, LINE_COUNT + 1):
            concept = row.cells.get(f"concept{number}", "")
            amount = run.cell(row, f"amount{number}", csv_files.parse_float) or 0.0
            if concept or amount:
                lines.append(Command.create({"sequence": number, "description": concept or "-", "amount": amount}))
        return lines

    def _csv_taxes(self, run, tax, tax_name):
        return [
            self._csv_tax(run, "tax", name or self.env._("Tax"), rate).id
            for name, rate in integria_source.parse_taxes(tax, tax_name)
        ]

    def _csv_retention(self, run, row):
        rate = run.cell(row, "irpf", csv_files.parse_float) or 0.0
        return self._csv_tax(run, "retention", row.cells.get("irpf_name") or "IRPF", rate).id if rate else False

    def _csv_tax(self, run, kind, name, rate):
        """The tax or retention of this name and rate; created the first time
        (a tax's rate never changes once invoices use it)."""
        key = ("tax", kind, csv_files.normalize_name(name), round(rate, 4))
        if key not in run.lookups._cache:
            Tax = self.env["integria.invoice.tax"].with_context(active_test=False)
            tax = Tax.search([("kind", "=", kind), ("amount", "=", rate), ("name", "=ilike", name)], limit=1)
            run.lookups._cache[key] = tax or Tax.create({"kind": kind, "name": name, "amount": rate})
        return run.lookups._cache[key]

    def _csv_currency(self, run, text):
        code = (text or "EUR").strip().upper()
        if ("currency", code) not in run.lookups._cache:
            currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", code)], limit=1)
            if not currency:
                raise run.lookups.unknown(code, self.env._("no currency has this code"))
            if not currency.active:
                currency.active = True
                run.report.add_mapping(self.env._("The currency %(code)s was activated.", code=code))
            run.lookups._cache["currency", code] = currency.id
        return run.lookups._cache["currency", code]

    def _csv_lang(self, code):
        code = (code or "").replace("-", "_")
        installed = [lang for lang, _name in self.env["res.lang"].get_installed()]
        return next((lang for lang in installed if code and lang.split("_")[0] == code.split("_")[0]), False)

    def _csv_contract(self, run, number):
        if not number:
            return False
        if ("contract_number", number) not in run.lookups._cache:
            contract = (
                self.env["integria.contract"]
                .with_context(active_test=False)
                .search([("contract_number", "=", number)], limit=1)
            )
            run.lookups._cache["contract_number", number] = contract.id
        return run.lookups._cache["contract_number", number]
