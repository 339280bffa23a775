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
# Files with more lines than this run as a background job that pushes its
# progress; smaller ones take a few seconds and run at once.
BACKGROUND_LINES = 2000
SHOWN_ROWS = 500
SHOWN_ERRORS = 2000
PROGRESS_EVERY_SECONDS = 1
PROGRESS_NOTIFICATION = "integria_crm/csv_import_progress"


class IntegriaCrmCsvImportJob(models.Model):
    """One preview or import of a CSV file, and its report.

    Every run of the import wizard is a job: small files run at once, big
    ones in the background (the cron *CRM: run the queued CSV imports*), as
    the user who asked, pushing their progress to the browser. Jobs are
    ordinary records: neither the file nor the report is lost when the
    wizard is vacuumed, and the report of every row stays downloadable.
    """

    _name = "integria.crm.csv.import.job"
    _description = "CRM CSV Import"
    _order = "id desc"
    _rec_name = "file_name"

    user_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    kind = fields.Selection([("company", "Companies"), ("contract", "Contracts")], string="Import", required=True)
    mode = fields.Selection(
        [("positional", "Typed by hand (positional)"), ("export", "Integria export")], string="Layout", required=True
    )
    file = fields.Binary(string="CSV File", attachment=True)
    file_name = fields.Char()
    contract_type_id = fields.Many2one("integria.contract.type")
    existing = fields.Selection(
        [("update", "Update them"), ("skip", "Skip them")], string="Companies Already There", default="update"
    )
    dry_run = fields.Boolean(string="Preview", help="Whether the job previews or imports.")
    state = fields.Selection(
        [("queued", "Waiting"), ("running", "Running"), ("previewed", "Previewed"), ("done", "Imported")],
        default="queued",
        required=True,
    )
    progress = fields.Float(readonly=True)
    report = fields.Json(readonly=True)
    report_ok = fields.Boolean(compute="_compute_report_html")
    report_existing = fields.Integer(compute="_compute_report_html", string="Rows Already There")
    report_html = fields.Html(compute="_compute_report_html", sanitize=False)
    report_file = fields.Binary(string="Report of Every Row", readonly=True, attachment=True)
    report_file_name = fields.Char(default="import-report.csv")

    @api.depends("report")
    def _compute_report_html(self):
        for job in self:
            report = job.report
            job.report_ok = bool(report and report.get("ok"))
            # the companies of a file typed by hand found in the database
            positional = bool(report) and report.get("mode") == "positional"
            rows = report.get("rows", []) if positional else []
            job.report_existing = len([row for row in rows if row["status"] in ("update", "skip")])
            job.report_html = job._render_report(report) if report else False

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    def _start(self):
        """Run the job now, or queue it when the file is big."""
        self.ensure_one()
        data = base64.b64decode(self.file or b"")
        if data.count(b"\n") > BACKGROUND_LINES and len(data) <= self._max_bytes():
            self.write({"state": "queued", "progress": 0})
            self.env.ref("integria_crm.ir_cron_integria_crm_csv_import")._trigger()
            return
        self._finish(self._import(data))

    def _import(self, data, progress=None):
        return self.env["integria.crm.csv.import"].import_csv(
            self.kind,
            data,
            self.mode,
            dry_run=self.dry_run,
            progress=progress,
            max_bytes=self._max_bytes(),
            options={
                "file_name": self.file_name,
                "contract_type_id": self.contract_type_id.id,
                "existing": self.existing,
            },
        )

    def _finish(self, report):
        self.write(
            {
                "state": "done" if report["ok"] and not self.dry_run else "previewed",
                "report": report,
                "progress": 100,
                "report_file": base64.b64encode(self._report_csv(report)),
            }
        )

    def _max_bytes(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)
        try:
            megabytes = float(value) if value else DEFAULT_MAX_SIZE_MB
        except ValueError:
            megabytes = DEFAULT_MAX_SIZE_MB
        return int(megabytes * 1024 * 1024)

    @api.model
    def _cron_run_queued(self):
        """Run the queued previews and imports, each as the user who asked."""
        queued = self.search([("state", "=", "queued")], order="id")
        for done, job in enumerate(queued, start=1):
            job.with_user(job.user_id)._run_in_background()
            _commit(self.env, remaining=len(queued) - done)

    def _run_in_background(self):
        self.ensure_one()
        self.write({"progress": 0, "state": "running"})
        _commit(self.env)
        try:
            with self.env.cr.savepoint():
                report = self._import(base64.b64decode(self.file or b""), progress=self._progress_writer())
        except Exception as error:  # the job ends with a report, whatever failed
            _logger.exception("CSV import %s failed", self.id)
            report = self._failure_report(error)
        # the records first, in their own transaction; the report in the
        # next one, after the progress updates of other transactions
        _commit(self.env)
        self.env.invalidate_all()
        self._finish(report)
        self.user_id._bus_send(PROGRESS_NOTIFICATION, {"job_id": self.id, "progress": 100, "finished": True})
        self.user_id._bus_send(
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
            "dry_run": self.dry_run,
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
            "mappings": [],
            "created": 0,
            "updated": 0,
            "skipped": 0,
            "record_ids": [],
        }

    def _progress_writer(self):
        """A progress callback: written in a transaction of its own (the
        import's is committed at its end) and pushed to the user's browser."""
        last = [0.0]
        job_id, user_id, dbname = self.id, self.user_id.id, self.env.cr.dbname

        def progress(done, total):
            now = time.monotonic()
            if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
                return
            last[0] = now
            percent = 100.0 * done / total if total else 100.0
            if _in_test():
                return
            with Registry(dbname).cursor() as cr:
                env = api.Environment(cr, user_id, {})
                env[self._name].browse(job_id).sudo().progress = percent
                env.user._bus_send(PROGRESS_NOTIFICATION, {"job_id": job_id, "progress": percent, "finished": False})

        return progress

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    def _summary(self, report):
        rows, errors = len(report["rows"]), len(report["errors"])
        if not report["ok"]:
            errors_text = self.env._("1 error") if errors == 1 else self.env._("%(count)s errors", count=errors)
            rows_text = self.env._("in 1 row") if rows == 1 else self.env._("in %(count)s rows", count=rows)
            return self.env._("%(errors)s %(rows)s: nothing was imported.", errors=errors_text, rows=rows_text)
        counts = {"created": report["created"], "updated": report["updated"], "skipped": report.get("skipped", 0)}
        if report["dry_run"]:
            head = self.env._("1 row checked") if rows == 1 else self.env._("%(count)s rows checked", count=rows)
            return self.env._(
                "%(head)s: %(created)s to create, %(updated)s to update, %(skipped)s to skip. Nothing is imported yet.",
                head=head,
                **counts,
            )
        head = self.env._("1 row imported") if rows == 1 else self.env._("%(count)s rows imported", count=rows)
        return self.env._(
            "%(head)s: %(created)s created, %(updated)s updated, %(skipped)s skipped.", head=head, **counts
        )

    def _status_labels(self, dry_run):
        if dry_run:
            return {
                "new": self.env._("To create"),
                "update": self.env._("To update"),
                "skip": self.env._("To skip"),
                "error": self.env._("Error"),
            }
        return {
            "new": self.env._("Created"),
            "update": self.env._("Updated"),
            "skip": self.env._("Skipped"),
            "error": self.env._("Error"),
        }

    def _render_report(self, report):
        statuses = self._status_labels(report["dry_run"] or not report["ok"])
        parts = [
            Markup('<div class="alert %s" role="status">%s</div>')
            % ("alert-success" if report["ok"] else "alert-danger", self._summary(report))
        ]
        for mapping in report.get("mappings") or []:
            parts.append(Markup('<div class="alert alert-info" role="status">%s</div>') % mapping)
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
        statuses = self._status_labels(report["dry_run"] or not report["ok"])
        messages = {}
        for error in report["errors"]:
            messages.setdefault(error["line"], []).append(error["message"])
        rows = [
            (
                row["line"],
                row["name"],
                statuses.get(row["status"], row["status"]),
                " | ".join(messages.get(row["line"], [])),
            )
            for row in report["rows"]
        ]
        rows += [("", "", statuses["error"], error["message"]) for error in report["errors"] if not error["line"]]
        header = [self.env._("Line"), self.env._("Name"), self.env._("Status"), self.env._("Reason")]
        return csv_files.encode_text(csv_files.write_csv(rows, header=header), bom=True)


def _in_test():
    # tests run in one transaction that may not be committed
    return bool(modules.module.current_test)


def _commit(env, remaining=None):
    """Commit as cron jobs do (not in tests: they run in one transaction)."""
    if not _in_test():
        env["ir.cron"]._commit_progress(remaining=remaining)
