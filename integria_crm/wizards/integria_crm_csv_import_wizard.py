from markupsafe import Markup

from odoo import api, fields, models


class IntegriaCrmCsvImportWizard(models.TransientModel):
    """Upload a CSV of companies or contracts, preview it, import it.

    The preview is the import itself, rolled back: it lists every row with its
    status and every error with its line, column and reason. Each preview or
    import is a job (``integria.crm.csv.import.job``) that keeps the report;
    big files run in the background and push their progress to the form.
    """

    _name = "integria.crm.csv.import.wizard"
    _description = "CRM CSV Import"

    kind = fields.Selection(
        [("company", "Companies"), ("contract", "Contracts")], string="Import", required=True, default="company"
    )
    mode = fields.Selection(
        [("positional", "Typed by hand (positional)"), ("export", "Integria export")],
        string="Layout",
        required=True,
        default="positional",
        help="Typed by hand: comma-separated, no header, the columns in the manual's order, then the custom "
        "fields in order. Integria export: the file Integria's export wrote, as it is.",
    )
    file = fields.Binary(string="CSV File", required=True)
    file_name = fields.Char()
    contract_type_id = fields.Many2one(
        "integria.contract.type",
        help="The type of the contracts whose file names none: Integria's contract custom fields belong to no "
        "type, they are imported into the fields of this type that have the same labels.",
    )
    existing = fields.Selection(
        [("update", "Update them"), ("skip", "Skip them")],
        string="Companies Already There",
        default="update",
        required=True,
        help="Companies of a file typed by hand that exist already, with the same name and fiscal id.",
    )
    job_id = fields.Many2one("integria.crm.csv.import.job", string="Import Job", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Waiting"),
            ("running", "Running"),
            ("previewed", "Previewed"),
            ("done", "Imported"),
        ],
        compute="_compute_state",
    )
    progress = fields.Float(related="job_id.progress")
    report = fields.Json(related="job_id.report")
    report_ok = fields.Boolean(related="job_id.report_ok")
    report_existing = fields.Integer(related="job_id.report_existing", string="Rows Already There")
    report_html = fields.Html(related="job_id.report_html")
    report_file = fields.Binary(related="job_id.report_file", string="Report of Every Row")
    report_file_name = fields.Char(related="job_id.report_file_name")
    layout_help = fields.Html(compute="_compute_layout_help", sanitize=False)

    @api.depends("job_id.state")
    def _compute_state(self):
        for wizard in self:
            wizard.state = wizard.job_id.state or "draft"

    @api.depends("kind", "mode")
    def _compute_layout_help(self):
        for wizard in self:
            wizard.layout_help = wizard._layout_text()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview(self):
        return self._start(dry_run=True)

    def action_import(self):
        return self._start(dry_run=False)

    def action_refresh(self):
        return self._reopen()

    def action_back(self):
        self.job_id = False
        return self._reopen()

    def action_close(self):
        """Close and show the records as they are now."""
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _start(self, dry_run):
        self.ensure_one()
        self.env["integria.crm.csv.import"]._check_import_rights()
        self.job_id = self.env["integria.crm.csv.import.job"].create(
            {
                "kind": self.kind,
                "mode": self.mode,
                "file": self.file,
                "file_name": self.file_name,
                "contract_type_id": self.contract_type_id.id,
                "existing": self.existing,
                "dry_run": dry_run,
            }
        )
        self.job_id._start()
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Companies and Contracts"),
        }

    # ------------------------------------------------------------------
    # Help
    # ------------------------------------------------------------------
    def _layout_text(self):
        if self.mode == "export":
            return Markup("<p>%s</p>") % self.env._(
                "The file exactly as Integria exported it (Excel or other encoding): a header row, columns "
                "separated by semicolons, the ids of Integria. Import the companies first, then their contracts. "
                "Importing the same file again updates the records it created."
            )
        spec = self.env[f"integria.crm.csv.{self.kind or 'company'}"]
        columns = ", ".join(column.label for column in spec._csv_columns() if column.positional)
        return Markup("<p>%s</p><p>%s</p><p><code>%s</code></p>") % (
            self.env._(
                "One line per record, values separated by commas: %(columns)s, then the custom fields in order.",
                columns=columns,
            ),
            self.env._("For example:"),
            spec._csv_example(),
        )
