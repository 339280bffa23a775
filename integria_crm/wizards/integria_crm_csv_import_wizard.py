import base64
import logging
import time

from markupsafe import Markup

from odoo import api, fields, models, modules
from odoo.modules.registry import Registry

from ..tools import csv_files

_logger = logging.getLogger(__name__)

MAX_SIZE_PARAM = "integria_crm.csv_import_max_mb"
DEFAULT_MAX_SIZE_MB = 20
# Files with more lines than this run as a background job that shows its
# progress; smaller ones take a few seconds and run at once.
BACKGROUND_LINES = 2000
SHOWN_ROWS = 500
SHOWN_ERRORS = 2000
PROGRESS_EVERY_SECONDS = 2


class IntegriaCrmCsvImportWizard(models.TransientModel):
    """Upload a CSV of companies or contracts, preview it, import it.

    The preview is the import itself, rolled back: it lists every row with its
    status and every error with its line, column and reason. Big files run
    as a background job whose progress the form shows.
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
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Waiting"),
            ("running", "Running"),
            ("previewed", "Previewed"),
            ("done", "Imported"),
        ],
        default="draft",
        required=True,
    )
    job_dry_run = fields.Boolean(help="Whether the background job previews or imports.")
    progress = fields.Float(readonly=True)
    report = fields.Json(readonly=True)
    report_ok = fields.Boolean(compute="_compute_report_html")
    report_html = fields.Html(compute="_compute_report_html", sanitize=False)
    report_file = fields.Binary(string="Report of Every Row", readonly=True, attachment=False)
    report_file_name = fields.Char(default="import-report.csv")
    layout_help = fields.Html(compute="_compute_layout_help", sanitize=False)

    @api.depends("report")
    def _compute_report_html(self):
        for wizard in self:
            wizard.report_ok = bool(wizard.report and wizard.report.get("ok"))
            wizard.report_html = wizard._render_report(wizard.report) if wizard.report else False

    @api.depends("kind", "mode")
    def _compute_layout_help(self):
        for wizard in self:
            wizard.layout_help = wizard._layout_text()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview(self):
        return self._run_or_queue(dry_run=True)

    def action_import(self):
        return self._run_or_queue(dry_run=False)

    def action_refresh(self):
        return self._reopen()

    def action_back(self):
        self.write({"state": "draft", "report": False, "report_file": False, "progress": 0})
        return self._reopen()

    def _run_or_queue(self, dry_run):
        self.ensure_one()
        self.env["integria.crm.csv.import"]._check_import_rights()
        data = base64.b64decode(self.file or b"")
        if data.count(b"\n") > BACKGROUND_LINES and len(data) <= self._max_bytes():
            self.write({"state": "queued", "job_dry_run": dry_run, "progress": 0, "report": False})
            self.env.ref("integria_crm.ir_cron_integria_crm_csv_import")._trigger()
            return self._reopen()
        self._run(data, dry_run)
        return self._reopen()

    def _run(self, data, dry_run, progress=None):
        report = self.env["integria.crm.csv.import"].import_csv(
            self.kind, data, self.mode, dry_run=dry_run, progress=progress, max_bytes=self._max_bytes()
        )
        state = "done" if report["ok"] and not dry_run else "previewed"
        self.write(
            {
                "state": state,
                "report": report,
                "progress": 100,
                "report_file": base64.b64encode(self._report_csv(report)),
            }
        )
        return report

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Companies and Contracts"),
        }

    def _max_bytes(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)
        try:
            megabytes = float(value) if value else DEFAULT_MAX_SIZE_MB
        except ValueError:
            megabytes = DEFAULT_MAX_SIZE_MB
        return int(megabytes * 1024 * 1024)

    # ------------------------------------------------------------------
    # Background job
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_queued_imports(self):
        """Run the queued previews and imports, each as the user who asked."""
        queued = self.search([("state", "=", "queued")], order="id")
        for done, wizard in enumerate(queued, start=1):
            wizard.with_user(wizard.create_uid)._run_job()
            _commit(self.env, remaining=len(queued) - done)

    def _run_job(self):
        self.ensure_one()
        self._set_progress_now(0, state="running")
        data = base64.b64decode(self.file or b"")
        try:
            with self.env.cr.savepoint():
                report = self.env["integria.crm.csv.import"].import_csv(
                    self.kind,
                    data,
                    self.mode,
                    dry_run=self.job_dry_run,
                    progress=self._progress_writer(),
                    max_bytes=self._max_bytes(),
                )
        except Exception as error:  # the job ends with a report, whatever failed
            _logger.exception("CSV import %s failed", self.id)
            report = self._failure_report(error)
        # the records first, in their own transaction; the report in the
        # next one, after the progress updates of other transactions
        _commit(self.env)
        self.env.invalidate_all()
        state = "done" if report["ok"] and not self.job_dry_run else "previewed"
        self.write(
            {
                "state": state,
                "report": report,
                "progress": 100,
                "report_file": base64.b64encode(self._report_csv(report)),
            }
        )
        self.env.user._bus_send(
            "simple_notification",
            {
                "type": "success" if report["ok"] else "warning",
                "title": self.env._("CSV import"),
                "message": self._summary(report),
            },
        )

    def _failure_report(self, error):
        return {
            "kind": self.kind,
            "mode": self.mode,
            "dry_run": self.job_dry_run,
            "ok": False,
            "rows": [],
            "errors": [
                {
                    "line": None,
                    "column": None,
                    "message": self.env._("The import stopped on an unexpected error: %(error)s", error=error),
                }
            ],
            "warnings": [],
            "created": 0,
            "updated": 0,
            "record_ids": [],
        }

    def _progress_writer(self):
        """A progress callback that shows the progress on the form: written in
        a transaction of its own, since the import's is committed at its end."""
        last = [0.0]
        wizard_id, dbname = self.id, self.env.cr.dbname

        def progress(done, total):
            now = time.monotonic()
            if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
                return
            last[0] = now
            percent = 100.0 * done / total if total else 100.0
            if _in_test():
                return
            with Registry(dbname).cursor() as cr:
                cr.execute(
                    "UPDATE integria_crm_csv_import_wizard SET progress = %s WHERE id = %s", [percent, wizard_id]
                )

        return progress

    def _set_progress_now(self, percent, state):
        self.write({"progress": percent, "state": state})
        _commit(self.env)

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    def _summary(self, report):
        counts = {
            "rows": len(report["rows"]),
            "errors": len(report["errors"]),
            "created": report["created"],
            "updated": report["updated"],
        }
        if not report["ok"]:
            return self.env._("%(errors)s errors in %(rows)s rows: nothing was imported.", **counts)
        if report["dry_run"]:
            return self.env._(
                "%(rows)s rows ready: %(created)s to create, %(updated)s to update. Nothing is imported yet.",
                **counts,
            )
        return self.env._("%(rows)s rows imported: %(created)s created, %(updated)s updated.", **counts)

    def _render_report(self, report):
        statuses = {
            "new": self.env._("Ready"),
            "update": self.env._("Update"),
            "error": self.env._("Error"),
        }
        parts = [
            Markup('<div class="alert %s" role="status">%s</div>')
            % ("alert-success" if report["ok"] else "alert-danger", self._summary(report))
        ]
        for warning in report.get("warnings") or []:
            parts.append(Markup('<div class="alert alert-warning" role="status">%s</div>') % warning)
        if report["errors"]:
            parts.append(
                self._html_table(
                    [self.env._("Line"), self.env._("Column"), self.env._("Reason")],
                    [(error["line"] or "", error["column"] or "", error["message"]) for error in report["errors"]],
                    SHOWN_ERRORS,
                    "o_integria_csv_errors",
                )
            )
        parts.append(
            self._html_table(
                [self.env._("Line"), self.env._("Name"), self.env._("Status")],
                [(row["line"], row["name"], statuses.get(row["status"], row["status"])) for row in report["rows"]],
                SHOWN_ROWS,
                "o_integria_csv_rows",
            )
        )
        return Markup().join(parts)

    def _html_table(self, header, rows, limit, css_class):
        head = Markup("").join(Markup("<th>%s</th>") % cell for cell in header)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % cell for cell in row)
            for row in rows[:limit]
        )
        more = Markup("")
        if len(rows) > limit:
            more = Markup('<p class="text-muted">%s</p>') % self.env._(
                "%(count)s more: download the report of every row below.", count=len(rows) - limit
            )
        return Markup('<table class="table table-sm %s"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>%s') % (
            css_class,
            head,
            body,
            more,
        )

    def _report_csv(self, report):
        messages = {}
        for error in report["errors"]:
            messages.setdefault(error["line"], []).append(error["message"])
        rows = [
            (row["line"], row["name"], row["status"], " | ".join(messages.get(row["line"], [])))
            for row in report["rows"]
        ]
        rows += [("", "", "error", error["message"]) for error in report["errors"] if not error["line"]]
        header = [self.env._("Line"), self.env._("Name"), self.env._("Status"), self.env._("Reason")]
        return csv_files.encode_text(csv_files.write_csv(rows, header=header), bom=True)

    def _layout_text(self):
        if self.mode == "export":
            return Markup("<p>%s</p>") % self.env._(
                "The file exactly as Integria exported it: a header row, columns separated by semicolons, "
                "the ids of Integria. Importing the same file again updates the records it created."
            )
        if self.kind == "contract":
            columns = self.env._(
                "name, contract number, description, start date, end date, company (id or name), SLA, group, "
                "private (0/1), status (0 inactive, 1 active, 2 pending), type (id or name), "
                "then the custom fields of the type in order"
            )
            example = "Contrato prueba,123456789,Descripción,2017-07-25,2017-07-31,1,,,0,1,1,Integria,20"
        else:
            columns = self.env._(
                "name, address, fiscal id, country, website, comments, role (id or name), parent (id or name), "
                "manager (login), last update, payment conditions, then the custom fields in order"
            )
            example = "Empresa prueba,,,España,,,,,admin,0000-00-00 00:00:00,,Integria,20"
        return Markup("<p>%s</p><p><code>%s</code></p>") % (
            self.env._("One line per record, values separated by commas: %(columns)s.", columns=columns),
            example,
        )


def _in_test():
    # tests run in one transaction that may not be committed
    return bool(modules.module.current_test)


def _commit(env, remaining=None):
    """Commit as cron jobs do (not in tests: they run in one transaction)."""
    if not _in_test():
        env["ir.cron"]._commit_progress(remaining=remaining)
