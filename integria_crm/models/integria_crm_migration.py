import datetime
import gc
import hashlib
import json
import logging
import time
from typing import NamedTuple

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..tools import csv_files, integria_source, integria_text, invoice_number, table_statistics
from ..tools.csv_files import normalize_name
from ..tools.integria_reader import IntegriaReader

_logger = logging.getLogger(__name__)

# the namespace of the external ids the migration keeps for Integria's ids
XMLID_MODULE = "integria_migration"
# the steps of a run, in the order the records they write depend on each other
STEPS = (
    "users",
    "roles",
    "companies",
    "user_companies",
    "contacts",
    "contracts",
    "invoices",
    "leads",
    "templates",
    "company_activity",
    "contact_activity",
    "lead_activity",
    "lead_history",
    "attachments",
    "invoice_files",
)
# Integria's custom field types as Odoo property types
FIELD_TYPES = {
    "text": "char",
    "textarea": "text",
    "combo": "selection",
    "linked": "selection",
    "numeric": "float",
    "date": "date",
}
# tattachment's columns naming the record a file is attached to, by kind
ATTACHMENT_OWNERS = (
    ("id_lead", "lead"),
    ("id_invoice", "invoice"),
    ("id_contract", "contract"),
    ("id_contact", "contact"),
    ("id_company", "company"),
)


# the steps that turn rows of an Integria table into chatter notes: the table,
# the kind of record the note is on, the columns of that record, the author,
# the date and the text
class NoteStep(NamedTuple):
    table: str
    kind: str
    parent: str
    author: str
    date: str
    body: str


NOTE_STEPS = {
    "company_activity": NoteStep("tcompany_activity", "company", "id_company", "written_by", "date", "description"),
    "contact_activity": NoteStep("tcontact_activity", "contact", "id_contact", "written_by", "creation", "description"),
    "lead_activity": NoteStep("tlead_activity", "lead", "id_lead", "written_by", "creation", "description"),
    "lead_history": NoteStep("tlead_history", "lead", "id_lead", "id_user", "timestamp", "description"),
}
BATCH_SIZE = 2000
# rows handed to the import engine at once, for the tables whose rows do not
# name each other
CHUNK_SIZE = 10000
# the least seconds between two full collections of Python's garbage (one
# walks every object of the process; a batch of notes takes under a second)
COLLECT_SECONDS = 5
# the advisory lock a committed run holds on its connection ("IntegMig")
RUN_LOCK = 0x496E7465674D6967
CRM_LEVEL_GROUPS = {
    "read": "integria_crm.group_crm_read",
    "write": "integria_crm.group_crm_write",
    "manage": "integria_crm.group_crm_manage",
}


class IntegriaCrmMigration(models.Model):
    """One run of ``odoo integria_migrate``: what it read from an Integria IMS
    database and what it did with each table. A run can be repeated until the
    cut-over: the Integria ids are external ids of ``integria_migration``,
    and the state of each migrated row (``integria.crm.migration.link``)
    tells a second run what is new, what changed in Integria and what changed
    in Odoo since."""

    _name = "integria.crm.migration"
    _description = "Integria Migration Run"
    _order = "date_start desc, id desc"

    source = fields.Char(required=True, readonly=True, help="The Integria database read (without its password).")
    attachments_folder = fields.Char(readonly=True)
    time_zone = fields.Char(readonly=True, default="Europe/Madrid")
    dry_run = fields.Boolean(readonly=True)
    only = fields.Char(string="Tables", readonly=True, help="The steps this run was limited to; all when empty.")
    fallback_user_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True, default=lambda self: self.env.user)
    date_start = fields.Datetime(string="Started", readonly=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Ended", readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "Failed"), ("interrupted", "Interrupted")],
        default="running",
        readonly=True,
        required=True,
    )
    report = fields.Json(
        string="Report Data",
        readonly=True,
        help="Per step: rows read, created, updated, skipped and refused, with reasons.",
    )
    report_html = fields.Html(string="Report", compute="_compute_report_html", sanitize=True)
    error = fields.Text(readonly=True)

    @api.depends("report")
    def _compute_report_html(self):
        for run in self:
            run.report_html = self.env["ir.qweb"]._render(
                "integria_crm.integria_crm_migration_report", {"steps": (run.report or {}).get("steps", [])}
            )

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    @api.model
    def _migrate(
        self,
        url,
        *,
        attachments=None,
        dry_run=False,
        only=None,
        fallback_login=None,
        time_zone=None,
        commit=False,
        progress=None,
    ):
        """Move what ``url`` (``mysql://user:password@host/db``) holds into
        this database; return the run. Steps named in ``only`` run alone.

        With ``commit`` (the command line), the run is committed as it goes:
        the run record first, then each chunk of rows with the report so
        far. A run stopped in the middle keeps what it committed and shows
        as interrupted once the next run starts; that run skips the rows
        committed (unchanged since) and ends as one run without the stop
        would have. A dry run is one savepoint rolled back either way.

        ``progress``, if given, is called with the step's report after each
        chunk and, with ``done=True``, at the end of each step (the command
        line draws a bar per table with it)."""
        reader = IntegriaReader(url)
        reader.tables()  # a source that cannot be read stops here, before any run is recorded
        fallback = self.env["res.users"]
        if fallback_login:
            fallback = fallback.with_context(active_test=False).search([("login", "=", fallback_login)], limit=1)
            if not fallback:
                raise integria_source.SourceError(f"no Odoo user has the login {fallback_login!r}")
        if commit:
            self._lock_runs()
        try:
            return self._run(reader, attachments, dry_run, only, fallback, time_zone, commit, progress)
        finally:
            reader.close()
            if commit:
                self.env.cr.execute("SELECT pg_advisory_unlock(%s)", (RUN_LOCK,))

    def _run(self, reader, attachments, dry_run, only, fallback, time_zone, commit, progress=None):  # noqa: PLR0917
        run = self.create(
            {
                "source": reader.describe(),
                "attachments_folder": attachments,
                "dry_run": dry_run,
                "only": ",".join(only or ()),
                "fallback_user_id": fallback.id,
                "time_zone": time_zone or "Europe/Madrid",
            }
        )
        if commit:
            self.env["ir.cron"]._commit_progress()
        context = MigrationContext(run, reader, commit=commit and not dry_run, progress=progress)
        values = {"state": "done"}
        try:
            if context.commit:
                run._run_steps(context, only)
            else:
                with self.env.cr.savepoint():
                    run._run_steps(context, only)
                    if dry_run:
                        raise DryRunDone
        except DryRunDone:
            self.env.invalidate_all()
        except Exception as error:  # pylint: disable=broad-except  # any failure ends the run with its report
            _logger.exception("Integria migration %s failed", run.id)
            if context.commit:
                self.env.cr.rollback()  # the chunk in progress; the chunks before stay
            self.env.invalidate_all()
            values = {"state": "failed", "error": f"{type(error).__name__}: {error}"}
        run.write(dict(values, date_end=fields.Datetime.now(), report=context.report()))
        if commit:
            self.env["ir.cron"]._commit_progress()
        return run

    def _lock_runs(self):
        """Hold the lock of the committed runs for this connection, and mark
        the runs left *running* by a process that ended without finishing
        them (a process that holds the lock is still running) as interrupted."""
        self.env.cr.execute("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK,))
        if not self.env.cr.fetchone()[0]:
            raise UserError(self.env._("Another Integria migration is running on this database."))
        self.search([("state", "=", "running"), ("dry_run", "=", False)]).write({"state": "interrupted"})
        self.env["ir.cron"]._commit_progress()

    @api.model
    def _steps(self):
        return STEPS

    def _run_steps(self, context, only):
        for step in STEPS:
            if not only or step in only:
                getattr(self, f"_migrate_{step}")(context)
                context.checkpoint()

    # ------------------------------------------------------------------
    # Users
    # ------------------------------------------------------------------
    def _migrate_users(self, context):
        step = context.step("users", "tusuario")
        levels = self._read_crm_levels(context.reader)
        Users = self.env["res.users"].with_context(active_test=False, no_reset_password=True)
        for rows in context.reader.batches("tusuario", key="id_usuario"):
            for row in rows:
                step.read += 1
                level = levels.get(integria_text.clean_text(row["id_usuario"]).strip())
                self._migrate_user(context, step, Users, row, level)
            context.checkpoint()
        step.finish()

    def _read_crm_levels(self, reader):
        profiles = {}
        if "tusuario_perfil" in reader.tables():
            for row in reader.query(
                "SELECT up.id_usuario, p.cr, p.cw, p.cm FROM tusuario_perfil up JOIN tprofile p ON p.id = up.id_perfil"
            ):
                # the login as tusuario_perfil stores it (through safe_input) is the user's login
                profiles.setdefault(integria_text.clean_text(row["id_usuario"]).strip(), []).append(row)
        return {login: integria_source.crm_level(rows) for login, rows in profiles.items()}

    def _migrate_user(self, context, step, Users, row, level):
        login = integria_text.clean_text(row["id_usuario"]).strip()
        key = context.key("user", login)
        link = context.link(key)
        if link:
            step.skipped_unchanged += 1
            context.users[login] = link.res_id
            return
        email = (integria_text.clean_text(row.get("direccion")) or "").strip()
        user = Users.search([("login", "=", login)], limit=1)
        if not user and email:
            user = Users.search([("email", "=ilike", email)], limit=1)
        if user:
            step.matched += 1
        elif context.run.fallback_user_id:
            user = context.run.fallback_user_id
            step.skip(login, self.env._("unknown in Odoo: mapped to %(user)s", user=user.login))
        else:
            user = Users.create(self._user_values(context, row, login, email, level))
            # created inactive: an Integria user logs in to Odoo once an
            # administrator activates the account and sets a password
            user.active = False
            step.created += 1
        context.users[login] = user.id
        context.remember(key, user, row)

    # ------------------------------------------------------------------
    # Records written by the CSV import engine
    # ------------------------------------------------------------------
    def _migrate_roles(self, context):
        """Integria's roles: one that Odoo has by name (in any language) is
        taken as it is, the others are created."""
        step = context.step("roles", "tcompany_role")
        Role = self.env["integria.crm.role"].with_context(active_test=False)
        names = {}
        for lang, _name in self.env["res.lang"].get_installed():
            for role in Role.with_context(lang=lang).search([]):  # pylint: disable=no-search-all  # a handful of roles
                names.setdefault(normalize_name(role.name), role)
        rows = context.reader.query("SELECT id, name FROM tcompany_role")
        mapped = context.res_ids("role", {row["id"] for row in rows})
        linked = set(
            self.env["integria.crm.migration.link"]
            .search([("name", "in", [f"role_{key}" for key in mapped])])
            .mapped("name")
        )
        # roles taken from Odoo by name on an earlier run stay Odoo's
        known = {key: True for key in mapped if f"role_{key}" not in linked}
        for row in rows:
            role = names.get(normalize_name(integria_text.clean_text(row["name"]) or ""))
            if role and row["id"] not in mapped:
                context.remember_xmlid(f"role_{row['id']}", role)
                known[row["id"]] = role
        step.matched = len(known)
        self._import_table(
            context,
            step,
            "role",
            "tcompany_role",
            context.reader.columns_in_order("tcompany_role"),
            where=f"id NOT IN ({','.join(str(key) for key in known) or '0'})",
        )
        step.read += len(known)
        step.finish()

    def _migrate_companies(self, context):
        step = context.step("companies", "tcompany")
        fields_added = self._migrate_custom_fields(
            context, "tcompany_field", self.env["res.partner"]._crm_properties_definition()
        )
        if fields_added:
            step.skip(
                "tcompany_field", self.env._("%(count)s custom fields added to the companies", count=fields_added)
            )
        custom = self._read_custom_values(context, "tcompany_field", "tcompany_field_data", "id_company")
        columns = context.reader.columns_in_order("tcompany")
        self._import_table(
            context,
            step,
            "company",
            "tcompany",
            columns,
            custom=custom,
            cell=lambda row, column: context.login(row[column]) if column == "manager" else None,
            id_chunks=self._company_chunks(context),
        )
        step.finish()

    def _company_chunks(self, context):
        """Integria's company ids in chunks, each parent in a chunk before its
        children's or in the same one (by depth, then id), so that the
        companies are written a chunk at a time. The companies of a parent
        cycle, and those below one, come last in one chunk: the engine
        reports the cycle as in a single file."""
        rows = context.reader.query("SELECT id, id_parent FROM tcompany")
        ids = sorted(row["id"] for row in rows)
        known = set(ids)
        # a parent Integria lacks is refused by the engine wherever the row comes
        parent_of = {row["id"]: row["id_parent"] for row in rows if row["id_parent"] in known}
        cyclic = set(csv_files.find_cycles(parent_of))
        depth = {}
        for company in ids:
            trail, key = [], company
            while key not in depth and key not in cyclic and key in parent_of:
                trail.append(key)
                key = parent_of[key]
            level = depth.setdefault(key, None if key in cyclic else 0)
            for item in reversed(trail):
                level = None if level is None else level + 1
                depth[item] = level
        ordered = sorted((company for company in ids if depth[company] is not None), key=lambda c: (depth[c], c))
        chunks = [ordered[first : first + CHUNK_SIZE] for first in range(0, len(ordered), CHUNK_SIZE)]
        last = [company for company in ids if depth[company] is None]
        return [*chunks, last] if last else chunks

    def _migrate_contacts(self, context):
        step = context.step("contacts", "tcompany_contact")
        self._import_table(
            context,
            step,
            "contact",
            "tcompany_contact",
            context.reader.columns_in_order("tcompany_contact"),
            chunk=CHUNK_SIZE,
        )
        step.finish()

    def _migrate_contracts(self, context):
        """Contracts on one contract type, *Integria*, which holds Integria's
        contract custom fields (they belong to no type in Integria); SLA and
        group by name."""
        step = context.step("contracts", "tcontract")
        contract_type = self._integria_contract_type()
        if self._migrate_custom_fields(context, "tcontract_field", contract_type):
            contract_type.flush_recordset()
        custom = self._read_custom_values(context, "tcontract_field", "tcontract_field_data", "id_contract")
        names = {
            "id_sla": context.names("tsla", "id", "name"),
            "id_group": context.names("tgrupo", "id_grupo", "nombre"),
        }
        self._import_table(
            context,
            step,
            "contract",
            "tcontract",
            context.reader.columns_in_order("tcontract"),
            custom=custom,
            cell=lambda row, column: names[column].get(row[column], "") if column in names else None,
            options={"contract_type_id": contract_type.id},
            chunk=CHUNK_SIZE,
        )
        step.finish()

    def _migrate_invoices(self, context):
        """Invoices with the total Integria billed (its own arithmetic on its
        single-precision amounts, as MySQL adds them), then the numbering
        continued after the highest migrated number of the pattern."""
        step = context.step("invoices", "tinvoice")
        columns = [*context.reader.columns_in_order("tinvoice"), "billed_total"]
        self._import_table(
            context,
            step,
            "invoice",
            "tinvoice",
            columns,
            select="*, amount1 + amount2 + amount3 + amount4 + amount5 AS amount_sum",
            cell=lambda row, column: self._billed_total_text(row) if column == "billed_total" else None,
            chunk=CHUNK_SIZE,
        )
        if not context.run.dry_run:
            step.numbered = self._continue_invoice_numbers()
        step.finish()

    def _migrate_leads(self, context):
        """Leads with their owner, managing company, progress code, campaign
        and tags; their creation date kept. Their conversation and history
        follow as notes (steps lead_activity and lead_history)."""
        step = context.step("leads", "tlead")
        tags = {}
        if "tlead_tag" in context.reader.tables():
            for row in context.reader.query(
                "SELECT lt.lead_id, t.name FROM tlead_tag lt JOIN ttag t ON t.id = lt.tag_id ORDER BY lt.id"
            ):
                tags.setdefault(row["lead_id"], []).append(integria_text.clean_text(row["name"]).replace(",", " "))
        campaigns = context.names("tcampaign", "id", "title")
        cells = {
            "owner": lambda row: context.login(row["owner"]),
            "id_campaign": lambda row: campaigns.get(row["id_campaign"], ""),
            "tags": lambda row: ",".join(tags.get(row["id"], [])),
            "executive_overview": lambda row: integria_text.clean_text(row["executive_overview"], truncated=True) or "",
            # a day, though Integria keeps it as a DATETIME: its local date
            "estimated_close_date": lambda row: str(integria_text.parse_date(row["estimated_close_date"]) or ""),
        }
        self._import_table(
            context,
            step,
            "lead",
            "tlead",
            [*context.reader.columns_in_order("tlead"), "tags"],
            cell=lambda row, column: cells[column](row) if column in cells else None,
            chunk=CHUNK_SIZE,
            after=self._after_leads,
        )
        step.finish()

    def _after_leads(self, context, kind, pending):
        """The creation dates Integria kept, and the progress codes a stage's
        default could have overridden."""
        leads = context.res_ids(kind, {int(key) for key in pending})
        header = context.header
        creation, progress = header.index("creation"), header.index("progress")
        found = {key: leads[int(key)][1] for key in pending if int(key) in leads}
        # one read of the whole chunk, one UPDATE for its creation dates
        records = self.env["crm.lead"].with_context(active_test=False).browse(list(found.values()))
        codes = dict(zip(records.ids, records.mapped("progress_code"), strict=True))
        dates = []
        for key, lead_id in found.items():
            cells = pending[key][0]
            code = int(cells[progress]) if cells[progress].lstrip("-").isdigit() else None
            if code is not None and codes[lead_id] != code:
                records.browse(lead_id).progress_code = code
            if cells[creation]:
                dates.append((lead_id, cells[creation]))
        if dates:
            self.env.flush_all()
            self.env.cr.execute(
                """
                UPDATE crm_lead l SET create_date = v.created
                  FROM unnest(%s::int[], %s::timestamp[]) AS v(id, created) WHERE l.id = v.id
                """,
                ([lead_id for lead_id, _date in dates], [date for _lead_id, date in dates]),
            )
            records.invalidate_recordset(["create_date"])

    def _billed_total_text(self, row):
        rates = [rate for _name, rate in integria_source.parse_taxes(integria_text.clean_text(row["tax"] or ""), "")]
        total = integria_source.invoice_total(row["amount_sum"], row["discount_before"], rates, row["irpf"])
        return repr(total)

    def _continue_invoice_numbers(self):
        """Make the migrated issued invoices whose number fits the numbering
        pattern part of its sequence, so that the next automatic number
        follows the highest of them and never fills a hole Integria left."""
        Invoice = self.env["integria.invoice"]
        pattern_text = Invoice._get_number_pattern()
        pattern = Invoice._parse_number_pattern(pattern_text)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT i.id, i.number FROM integria_invoice i
              JOIN ir_model_data d ON d.model = 'integria.invoice' AND d.res_id = i.id AND d.module = %s
             WHERE i.invoice_type = 'issued' AND i.sequence_pattern IS NULL AND i.number IS NOT NULL
            """,
            (XMLID_MODULE,),
        )
        numbered = [
            (invoice_id, invoice_number.parse_number(pattern, number)) for invoice_id, number in self.env.cr.fetchall()
        ]
        numbered = [(invoice_id, sequence) for invoice_id, sequence in numbered if sequence is not None]
        if numbered:
            self.env.cr.execute(
                """
                UPDATE integria_invoice i SET sequence_pattern = %s, sequence_number = v.sequence
                  FROM unnest(%s::int[], %s::int[]) AS v(id, sequence) WHERE i.id = v.id
                """,
                (pattern_text, [item[0] for item in numbered], [item[1] for item in numbered]),
            )
            Invoice.invalidate_model(["sequence_pattern", "sequence_number"])
        return len(numbered)

    def _integria_contract_type(self):
        Type = self.env["integria.contract.type"].with_context(active_test=False)
        contract_type = self.env.ref(f"{XMLID_MODULE}.contract_type", raise_if_not_found=False)
        if not contract_type:
            contract_type = Type.create(
                {"name": "Integria", "description": self.env._("Contracts moved from Integria IMS")}
            )
            self.env["ir.model.data"].sudo().create(
                {"module": XMLID_MODULE, "name": "contract_type", "model": Type._name, "res_id": contract_type.id}
            )
        return contract_type

    def _migrate_custom_fields(self, context, table, definition_record):
        """Add Integria's custom fields of ``table`` that the definition lacks,
        in Integria's order; return how many were added. A field Odoo has by
        label and of the same kind of value takes Integria's values; one of
        another kind is kept apart as "<label> (Integria)". The label each
        Integria field's values go to is kept in ``context.field_labels``."""
        context.field_labels[table] = {}
        if table not in context.reader.tables():
            return 0
        definition = list(definition_record.properties_definition or [])
        by_label = {normalize_name(prop.get("string") or ""): prop for prop in definition}
        added = 0
        for row in context.reader.query(f"SELECT * FROM `{table}` ORDER BY `order`, id"):
            label = integria_text.clean_text(row["label"]) or ""
            if not label:
                continue
            kind = FIELD_TYPES.get(row["type"], "char")
            existing = by_label.get(normalize_name(label))
            if existing and _same_kind(existing.get("type"), kind):
                context.field_labels[table][row["id"]] = existing["string"]
                continue
            if existing:
                label = self.env._("%(label)s (Integria)", label=label)
                if normalize_name(label) in by_label:
                    context.field_labels[table][row["id"]] = by_label[normalize_name(label)]["string"]
                    continue
            prop = {"name": f"integria_{table}_{row['id']}", "string": label, "type": kind}
            if kind == "selection":
                choices = [choice.strip() for choice in (integria_text.clean_text(row["combo_value"]) or "").split(",")]
                prop["selection"] = [[choice, choice] for choice in dict.fromkeys(filter(None, choices))]
            definition.append(prop)
            by_label[normalize_name(label)] = prop
            context.field_labels[table][row["id"]] = label
            added += 1
        if added:
            definition_record.properties_definition = definition
        return added

    def _read_custom_values(self, context, field_table, data_table, owner_column):
        """``{Integria id of the record: {label: text}}`` of a table's custom fields."""
        if data_table not in context.reader.tables():
            return {}
        labels = context.field_labels.get(field_table, {})
        values = {}
        for rows in context.reader.batches(data_table, size=BATCH_SIZE):
            for row in rows:
                label = labels.get(row[f"id_{field_table[1:]}"])
                if label:
                    values.setdefault(row[owner_column], {})[label] = integria_text.clean_text(row["data"]) or ""
        return values

    def _import_table(
        self,
        context,
        step,
        kind,
        table,
        columns,
        *,
        custom=None,
        cell=None,
        where="1=1",
        options=None,
        chunk=None,
        select="*",
        after=None,
        id_chunks=None,
    ):
        """Read ``table`` and write it through the CSV import engine
        (``integria.crm.csv.<kind>``) as Integria's export would name it, by
        ``chunk`` rows, or by the chunks of ids ``id_chunks`` in their order:
        the rows unchanged since the last run are left alone, those changed
        in Odoo since are conflicts; a row the engine refuses is reported
        and the rest written."""
        custom = custom or {}
        labels = sorted({label for values in custom.values() for label in values})
        header = [*columns, *labels]
        context.header = header
        options = dict(
            options or {},
            xmlid_module=XMLID_MODULE,
            archived_users=True,
            # the run's report tells where each record comes from
            log_origin=False,
            file_name=f"{context.reader.describe()} ({table})",
        )
        pending = {}
        for ids in id_chunks or [None]:
            where_ids = where if ids is None else f"({where}) AND id IN ({','.join(map(str, ids)) or '0'})"
            for rows in context.reader.batches(table, select, where=where_ids, size=BATCH_SIZE):
                step.read += len(rows)
                for row in rows:
                    texts = [self._cell_text(row, column, cell) for column in columns]
                    texts += [custom.get(row["id"], {}).get(label, "") for label in labels]
                    pending[str(row["id"])] = (texts, row_hash(texts))
                if chunk and len(pending) >= chunk:
                    self._import_rows(context, step, kind, header, pending, options, after)
                    pending = {}
            if ids is not None:
                self._import_rows(context, step, kind, header, pending, options, after)
                pending = {}
        self._import_rows(context, step, kind, header, pending, options, after)

    def _import_rows(self, context, step, kind, header, pending, options, after=None):  # noqa: PLR0917
        """Hand ``pending`` rows to the engine; drop and report the rows it
        refuses until the rest goes through."""
        pending = context.filter_unchanged(step, kind, pending)
        Engine = self.env["integria.crm.csv.import"]
        for _attempt in range(5):
            if not pending:
                return
            keys = list(pending)
            records = ((line, pending[key][0]) for line, key in enumerate(keys, start=1))
            report = Engine.import_records(kind, header, records, dry_run=context.run.dry_run, options=options)
            if report["ok"]:
                step.created += report["created"]
                step.updated += report["updated"]
                if after and not context.run.dry_run:
                    after(context, kind, pending)
                if not context.run.dry_run:
                    context.remember_rows(kind, {key: pending[key][1] for key in keys})
                context.checkpoint()
                return
            refused = {keys[error["line"] - 1]: error for error in report["errors"] if error["line"]}
            if not refused:
                raise UserError("; ".join(error["message"] for error in report["errors"]))
            for key, error in refused.items():
                step.refuse(f"{step.table} {key}", error["message"])
                pending.pop(key)
        raise UserError(self.env._("The rows of %(table)s kept being refused.", table=step.table))

    def _datetime_text(self, value):
        """A DATETIME of Integria (naive, in the source's time zone; zero
        dates read as text) as the UTC text the engine reads, or ``None``."""
        if isinstance(value, datetime.datetime) or (isinstance(value, str) and value.startswith("0000-00-00 ")):
            utc = integria_text.parse_datetime(value, self.time_zone)
            return utc.strftime("%Y-%m-%d %H:%M:%S") if utc else ""
        return None

    def _cell_text(self, row, column, cell):
        special = cell and cell(row, column)
        if special is not None:
            return special
        value = row[column]
        if value is None:
            return ""
        if context_datetime := self._datetime_text(value):
            return context_datetime
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bytes | str):
            return integria_text.clean_text(value) or ""
        return str(value)

    # ------------------------------------------------------------------
    # Activity and history: chatter notes with their author and date
    # ------------------------------------------------------------------
    def _migrate_company_activity(self, context):
        self._migrate_notes(context, "company_activity")

    def _migrate_contact_activity(self, context):
        self._migrate_notes(context, "contact_activity")

    def _migrate_lead_activity(self, context):
        self._migrate_notes(context, "lead_activity")

    def _migrate_lead_history(self, context):
        self._migrate_notes(context, "lead_history")

    def _migrate_notes(self, context, name):
        """One chatter note per row, on the record it belongs to, by its
        author, at its original date. The note's Message-Id names the row,
        so a second run adds only the rows that are new."""
        spec = NOTE_STEPS[name]
        step = context.step(name, spec.table)
        Message = self.env["mail.message"].sudo()
        for rows in context.reader.batches(spec.table, size=BATCH_SIZE):
            step.read += len(rows)
            message_ids = {row["id"]: context.message_id(spec.table, row["id"]) for row in rows}
            Message.flush_model(["message_id"])
            self.env.cr.execute(
                "SELECT message_id FROM mail_message WHERE message_id = ANY(%s)", (list(message_ids.values()),)
            )
            done = {message_id for (message_id,) in self.env.cr.fetchall()}
            parents = context.res_ids(spec.kind, {row[spec.parent] for row in rows})
            values = []
            for row in rows:
                if message_ids[row["id"]] in done:
                    step.skipped_unchanged += 1
                    continue
                parent = parents.get(row[spec.parent])
                if not parent:
                    step.skip(f"{spec.table} {row['id']}", self.env._("its %(kind)s was not migrated", kind=spec.kind))
                    continue
                values.append(dict(self._note_values(context, spec, row), model=parent[0], res_id=parent[1]))
            self._set_note_addresses(context, values)
            self.env["mail.message"].sudo()._integria_insert(values)
            step.created += len(values)
            context.checkpoint(wrote=bool(values))
        step.finish()

    def _note_values(self, context, spec, row):
        author = context.user_partner(integria_text.clean_text(row[spec.author] or ""))
        return {
            "body": plaintext2html(integria_text.clean_text(row[spec.body]) or ""),
            "author_id": author or context.ref_id("base.partner_root"),
            "date": integria_text.parse_datetime(row[spec.date], context.run.time_zone) or fields.Datetime.now(),
            "message_type": "comment",
            "subtype_id": context.ref_id("mail.mt_note"),
            "is_internal": True,
            "message_id": context.message_id(spec.table, row["id"]),
        }

    def _set_note_addresses(self, context, values):
        """The sender's address and the reply-to of each note, as
        ``mail.message``'s create finds them, worked out once per author
        and per document model instead of once per note (the reply-to of a
        lead reads its sales team's alias)."""
        Thread = self.env["mail.thread"]
        groups = {}
        for vals in values:
            author = vals["author_id"]
            if author not in context.senders:
                context.senders[author] = Thread._message_compute_author(author, email_from=None)[1]
            vals["email_from"] = context.senders[author]
            groups.setdefault((vals["model"], author, vals["email_from"]), []).append(vals)
        for (model, author, email_from), group in groups.items():
            records = self.env[model].sudo().browse(list({vals["res_id"] for vals in group}))
            reply_to = records._notify_get_reply_to(default=email_from, author_id=author)
            for vals in group:
                vals["reply_to"] = reply_to[vals["res_id"]]

    # ------------------------------------------------------------------
    # Attachments
    # ------------------------------------------------------------------
    def _migrate_attachments(self, context):
        """The files of ``tattachment`` on the record each names, read from
        Integria's folder as ``attachment/<id>_<filename>``, byte for byte
        (no image processing: a broken PNG stays a file). A missing file is
        reported and the rest goes on."""
        step = context.step("attachments", "tattachment")
        step.bytes = 0
        if not context.run.attachments_folder:
            step.finish()
            return
        Attachment = self.env["ir.attachment"].sudo().with_context(image_no_postprocess=True)
        for rows in context.reader.batches("tattachment", key="id_attachment", size=500):
            step.read += len(rows)
            done = context.res_ids("attachment", {row["id_attachment"] for row in rows})
            owners = {
                kind: context.res_ids(kind, {row[column] for row in rows if row.get(column)})
                for column, kind in ATTACHMENT_OWNERS
            }
            for row in rows:
                if row["id_attachment"] in done:
                    step.skipped_unchanged += 1
                    continue
                self._migrate_attachment(context, step, Attachment, row, owners)
            context.checkpoint()
        step.finish()

    def _migrate_attachment(self, context, step, Attachment, row, owners):
        what = f"tattachment {row['id_attachment']}"
        owner = next(
            (owners[kind][row[column]] for column, kind in ATTACHMENT_OWNERS if owners[kind].get(row.get(column))),
            None,
        )
        if not owner:
            step.skip(what, self.env._("the record it is attached to was not migrated"))
            return
        self._attach_file(context, step, Attachment, what, row, owner, f"attachment_{row['id_attachment']}")

    def _attach_file(self, context, step, Attachment, what, row, owner, xmlid):  # noqa: PLR0917
        """Attach to ``owner`` (model, id) the file of the ``tattachment``
        ``row``, read byte for byte from Integria's folder; a file that
        cannot be read is reported as ``what`` skipped."""
        filename = integria_text.clean_text(row["filename"]) or ""
        path = integria_source.attachment_path(context.run.attachments_folder, row["id_attachment"], filename)
        try:
            with open(path, "rb") as attached:
                raw = attached.read()
        except OSError as error:
            step.skip(what, self.env._("file %(path)s: %(error)s", path=path, error=error.strerror))
            return
        attachment = Attachment.create(
            {
                "name": filename,
                "raw": raw,
                "res_model": owner[0],
                "res_id": owner[1],
                "description": integria_text.clean_text(row.get("description")) or False,
            }
        )
        context.remember_xmlid(xmlid, attachment)
        step.created += 1
        step.bytes += len(raw)

    def _user_values(self, context, row, login, email, level):
        groups = [Command.link(self.env.ref("base.group_user").id)]
        if level:
            groups.append(Command.link(self.env.ref(CRM_LEVEL_GROUPS[level]).id))
        return {
            "login": login,
            "name": integria_text.clean_text(row.get("nombre_real")) or login,
            "email": email or False,
            "lang": context.lang(row.get("lang")),
            "group_ids": groups,
        }


def _same_kind(odoo_type, integria_type):
    """Whether values of an Integria field of ``integria_type`` (as a
    property type) fit an Odoo property of ``odoo_type``."""
    textual = {"char", "text", "html"}
    return odoo_type == integria_type or (odoo_type in textual and integria_type in textual)


class DryRunDone(Exception):
    """Rolls back the savepoint of a dry run once its report is made."""


class MigrationContext:
    """What the steps of one run share: the reader, the Integria -> Odoo ids
    found so far, and the counters of the report."""

    def __init__(self, run, reader, commit=False, progress=None):
        self.run = run
        self.progress = progress
        self._collected = time.monotonic()
        self.env = run.env
        self.reader = reader
        self.commit = commit
        self.users = {}
        self.logins = {}
        self.senders = {}
        self._refs = {}
        self.field_labels = {}
        self.steps = []
        self._langs = None

    def step(self, name, table):
        step = StepReport(name, table)
        if self.progress:
            # the rows to read, for the progress bar only
            step.total = self.reader.count(table) if table in self.reader.tables() else None
            step.progress = self.progress
        self.steps.append(step)
        return step

    def report(self):
        return {"steps": [step.to_dict() for step in self.steps]}

    def checkpoint(self, wrote=True):
        """End a chunk: when the run commits as it goes, commit what the
        chunk wrote with the report so far, empty the caches, free the
        chunk's records, and refresh the statistics of the tables the run
        has grown (autovacuum may be off or behind; planned from a table's
        empty start, the next chunks' queries would read the tables whole).
        A chunk that wrote nothing (a re-run) only moves the progress on."""
        if self.steps and self.progress:
            self.progress(self.steps[-1])
        if not self.commit or not wrote:
            return
        self.run.report = self.report()
        # Odoo's commit of a batch job: outside a scheduled action, a plain commit
        self.env["ir.cron"]._commit_progress()
        self.env.invalidate_all()
        # A chunk's records and environments refer to each other: left to
        # Python's collector, which runs a full collection more and more
        # seldom as the process grows, they pile up (about 45 MB per
        # 10,000 contacts); collected every few seconds the memory stays flat.
        if time.monotonic() - self._collected > COLLECT_SECONDS:
            gc.collect()
            self._collected = time.monotonic()
        if analyzed := table_statistics.analyze_grown_tables(self.env.cr):
            _logger.info("Integria migration: statistics refreshed for %s", ", ".join(analyzed))
            self.env["ir.cron"]._commit_progress()

    def ref_id(self, xmlid):
        """The id of the record ``xmlid``, read once per run."""
        if xmlid not in self._refs:
            self._refs[xmlid] = self.env.ref(xmlid).id
        return self._refs[xmlid]

    def key(self, kind, integria_id):
        return f"{kind}_{integria_id}".replace(" ", "_")

    def link(self, key):
        return self.env["integria.crm.migration.link"].search([("name", "=", key)], limit=1)

    def remember_xmlid(self, name, record):
        self.env["ir.model.data"].sudo().create(
            {"module": XMLID_MODULE, "name": name, "model": record._name, "res_id": record.id, "noupdate": True}
        )

    def remember(self, key, record, row):
        self.env["integria.crm.migration.link"]._remember(key, record, row_hash(row))

    def login(self, integria_login):
        """The Odoo login of the user Integria's ``integria_login`` became
        (the same, a user matched by e-mail, or the fallback user)."""
        login = integria_text.clean_text(integria_login or "").strip()
        if login and login not in self.logins:
            found = self.res_ids("user", {login}).get(login)
            self.logins[login] = self.env["res.users"].browse(found[1]).sudo().login if found else login
        return self.logins.get(login, "")

    def names(self, table, key, column):
        """``{id: name}`` of a small Integria table (SLAs, groups)."""
        if table not in self.reader.tables():
            return {}
        rows = self.reader.query(f"SELECT `{key}` AS id, `{column}` AS name FROM `{table}`")
        return {row["id"]: integria_text.clean_text(row["name"]) or "" for row in rows}

    def filter_unchanged(self, step, kind, pending):
        """``pending`` (``{Integria id: (cells, fingerprint)}``) without the
        rows migrated before and unchanged in Integria since (counted as
        unchanged) and those whose record changed in Odoo since the run that
        wrote it (reported as conflicts, never overwritten)."""
        names = {f"{kind}_{key}": key for key in pending}
        # one query, no records loaded: a re-run reads every row again
        self.env.cr.execute(
            """
            SELECT name, model, res_id, source_hash, synced_write_date
              FROM integria_crm_migration_link WHERE name = ANY(%s)
            """,
            (list(names),),
        )
        by_model = {}
        for name, model, res_id, source_hash, synced in self.env.cr.fetchall():
            key = names[name]
            if source_hash == pending[key][1]:
                step.skipped_unchanged += 1
                pending.pop(key)
            else:
                by_model.setdefault(model, []).append((key, res_id, synced))
        for model, links in by_model.items():
            self.env[model].flush_model(["write_date"])
            self.env.cr.execute(
                f'SELECT id, write_date FROM "{self.env[model]._table}" WHERE id = ANY(%s)',
                ([res_id for _key, res_id, _synced in links],),
            )
            write_dates = dict(self.env.cr.fetchall())
            for key, res_id, synced in links:
                if write_dates.get(res_id) and synced and write_dates[res_id] > synced:
                    step.skip(f"{step.table} {key}", self.env._("changed in Odoo since the last run: kept as it is"))
                    step.conflicts += 1
                    pending.pop(key)
        return pending

    def remember_rows(self, kind, hashes):
        """Keep each written row's fingerprint and its record's write date."""
        self.env.flush_all()
        names = [f"{kind}_{key}" for key in hashes]
        self.env.cr.execute(
            """
            SELECT d.name, d.model, d.res_id FROM ir_model_data d
             WHERE d.module = %s AND d.name = ANY(%s)
            """,
            (XMLID_MODULE, names),
        )
        found = self.env.cr.fetchall()
        by_model = {}
        for name, model, res_id in found:
            by_model.setdefault(model, []).append((name, res_id))
        for model, items in by_model.items():
            table = self.env[model]._table
            self.env.cr.execute(
                f"""
                INSERT INTO integria_crm_migration_link (name, model, res_id, source_hash, synced_write_date,
                                                         create_uid, write_uid, create_date, write_date)
                SELECT v.name, %s, v.res_id, v.hash, r.write_date, %s, %s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%s::varchar[], %s::int[], %s::varchar[]) AS v(name, res_id, hash)
                  JOIN "{table}" r ON r.id = v.res_id
                ON CONFLICT (name) DO UPDATE
                   SET res_id = EXCLUDED.res_id, source_hash = EXCLUDED.source_hash,
                       synced_write_date = EXCLUDED.synced_write_date, write_date = EXCLUDED.write_date
                """,
                (
                    model,
                    self.env.uid,
                    self.env.uid,
                    [name for name, _res_id in items],
                    [res_id for _name, res_id in items],
                    [hashes[name[len(kind) + 1 :]] for name, _res_id in items],
                ),
            )
        self.env["integria.crm.migration.link"].invalidate_model()

    def message_id(self, table, integria_id):
        """The Message-Id of the note made of row ``integria_id`` of ``table``."""
        return f"<integria-{table}-{integria_id}@{self.reader.params['database']}.integria-migration>"

    def res_ids(self, kind, integria_ids):
        """``{integria id: (model, res_id)}`` of the ``kind`` records migrated."""
        names = {f"{kind}_{integria_id}": integria_id for integria_id in integria_ids if integria_id}
        self.env["ir.model.data"].flush_model()
        self.env.cr.execute(
            "SELECT name, model, res_id FROM ir_model_data WHERE module = %s AND name = ANY(%s)",
            (XMLID_MODULE, list(names)),
        )
        return {names[name]: (model, res_id) for name, model, res_id in self.env.cr.fetchall()}

    def user_partner(self, login):
        """The partner of the Odoo user of Integria's ``login``, or ``False``."""
        if login not in self.users:
            found = self.res_ids("user", {login}).get(login)
            self.users[login] = found and found[1]
        user_id = self.users[login]
        return user_id and self.env["res.users"].browse(user_id).partner_id.id

    def lang(self, code):
        if self._langs is None:
            self._langs = [code for code, _name in self.env["res.lang"].get_installed()]
        code = (code or "").replace("-", "_")
        for candidate in (code, f"{code}_{code.upper()}"):
            if candidate in self._langs:
                return candidate
        prefix = [lang for lang in self._langs if code and lang.split("_")[0] == code.split("_")[0]]
        return prefix[0] if prefix else "en_US"


class StepReport:
    def __init__(self, name, table):
        self.name = name
        self.table = table
        self.read = self.created = self.updated = self.matched = self.skipped_unchanged = self.conflicts = 0
        self.skipped = []
        self.refused = []
        self.start = time.monotonic()
        self.seconds = 0.0
        self.total = None
        self.progress = None

    def skip(self, what, reason):
        self.skipped.append({"row": what, "reason": reason})

    def refuse(self, what, reason):
        self.refused.append({"row": what, "reason": reason})

    def finish(self):
        self.seconds = round(time.monotonic() - self.start, 2)
        if self.progress:
            self.progress(self, done=True)
        _logger.info(
            "Integria migration: %s (%s): %s read, %s created, %s updated, %s unchanged, %s skipped, %s refused",
            self.name,
            self.table,
            self.read,
            self.created,
            self.updated,
            self.skipped_unchanged,
            len(self.skipped),
            len(self.refused),
        )

    def to_dict(self):
        values = dict(vars(self), start=None)
        values.pop("progress")
        return values


def row_hash(row):
    """A fingerprint of an Integria row, to tell a changed row from the same."""
    text = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class IntegriaCrmMigrationLink(models.Model):
    """An Integria row the migration wrote: its external id (module
    ``integria_migration``), the fingerprint of the row as last read, and the
    record's ``write_date`` right after, so that a later run tells a row
    changed in Integria (new fingerprint) from a record changed in Odoo
    (newer write date: a conflict, never overwritten)."""

    _name = "integria.crm.migration.link"
    _description = "Integria Migration: a migrated row"

    name = fields.Char(required=True, index=True, readonly=True)
    model = fields.Char(required=True, readonly=True)
    res_id = fields.Many2oneReference(model_field="model", required=True, readonly=True)
    source_hash = fields.Char(readonly=True)
    synced_write_date = fields.Datetime(readonly=True)

    _name_unique = models.Constraint("UNIQUE(name)", "An Integria row is migrated once.")

    def _remember(self, key, record, source_hash):
        values = {
            "name": key,
            "model": record._name,
            "res_id": record.id,
            "source_hash": source_hash,
            "synced_write_date": record.write_date,
        }
        data = self.env["ir.model.data"].sudo()
        imd = data.search([("module", "=", XMLID_MODULE), ("name", "=", key)], limit=1)
        if imd:
            imd.write({"model": record._name, "res_id": record.id})
        else:
            data.create(
                {"module": XMLID_MODULE, "name": key, "model": record._name, "res_id": record.id, "noupdate": True}
            )
        link = self.search([("name", "=", key)], limit=1)
        if link:
            link.write(values)
        else:
            self.create(values)
