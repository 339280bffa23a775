"""What a migration run adds besides the engine's steps: Integria's lead
e-mail templates, the users' CRM companies, the invoice files named by
``tinvoice.id_attachment`` only, and the proof that nothing was lost: the
reconciliation of Integria's tables and totals with Odoo's, and the check
that each migrated user sees in Odoo what Integria showed them
(docs/permissions.md)."""

import decimal
import hashlib
import logging
import os
import time

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from ..tools import integria_source, integria_text
from ..tools.integria_reader import IntegriaReader
from .integria_crm_migration import ATTACHMENT_OWNERS, BATCH_SIZE, XMLID_MODULE, row_hash

_logger = logging.getLogger(__name__)

# the Integria tables whose rows become records with external ids, by kind
RECONCILED_TABLES = (
    ("users", "tusuario", "user", "id_usuario"),
    ("roles", "tcompany_role", "role", "id"),
    ("companies", "tcompany", "company", "id"),
    ("contacts", "tcompany_contact", "contact", "id"),
    ("contracts", "tcontract", "contract", "id"),
    ("invoices", "tinvoice", "invoice", "id"),
    ("leads", "tlead", "lead", "id"),
    ("templates", "tcrm_template", "template", "id"),
    ("attachments", "tattachment", "attachment", "id_attachment"),
)
# the records whose visibility the check compares: kind, model, step
VISIBILITY_KINDS = (
    ("company", "res.partner", "companies"),
    ("contact", "res.partner", "contacts"),
    ("contract", "integria.contract", "contracts"),
    ("invoice", "integria.invoice", "invoices"),
    ("lead", "crm.lead", "leads"),
)
# Integria's invoice states as Odoo's
INVOICE_STATES = {"pending": "pending", "paid": "paid", "canceled": "cancelled"}
VISIBILITY_ORDER = {kind: order for order, (kind, _model, _step) in enumerate(VISIBILITY_KINDS)}
# differing ids listed in the report, at most
SAMPLE = 10
# The fingerprint of a set of Integria ids: the sum of a hash of each, 60
# bits of its MD5, the same in PostgreSQL (on the text of the id) as in Python.
FINGERPRINT_SQL = "('x' || substr(md5({key}), 1, 15))::bit(60)::bigint"


def fingerprint(integria_id):
    return int(hashlib.md5(str(integria_id).encode(), usedforsecurity=False).hexdigest()[:15], 16)


class IntegriaCrmMigration(models.Model):
    _inherit = "integria.crm.migration"

    check_html = fields.Html(string="Reconciliation", compute="_compute_check_html", sanitize=True)

    @api.depends("report")
    def _compute_check_html(self):
        for run in self:
            report = run.report or {}
            run.check_html = self.env["ir.qweb"]._render(
                "integria_crm.integria_crm_migration_check",
                {
                    "reconciliation": report.get("reconciliation") or {},
                    "visibility": report.get("visibility") or [],
                    "labels": {
                        "company": self.env._("Companies"),
                        "contact": self.env._("Contacts"),
                        "contract": self.env._("Contracts"),
                        "invoice": self.env._("Invoices"),
                        "lead": self.env._("Leads"),
                    },
                },
            )

    @api.model
    def _migrate(self, url, **options):
        run = super()._migrate(url, **options)
        if run.state == "done" and not run.dry_run:
            try:
                run._check(url)
            except Exception as error:  # pylint: disable=broad-except  # the run is done: its check failing is reported
                _logger.exception("Integria migration %s: the check failed", run.id)
                run.report = dict(run.report or {}, check_error=f"{type(error).__name__}: {error}")
        return run

    def _check(self, url):
        """Add the reconciliation and the visibility check to the report."""
        self.ensure_one()
        self.env.flush_all()
        reader = IntegriaReader(url)
        migrated = MigratedRecords(self.env)
        start = time.monotonic()
        try:
            report = dict(
                self.report or {},
                reconciliation=self._reconcile(reader, migrated),
                visibility=self._check_visibility(reader, migrated),
            )
        finally:
            reader.close()
        report["check_seconds"] = round(time.monotonic() - start, 2)
        _logger.info("Integria migration %s: checked in %ss", self.id, report["check_seconds"])
        self.report = report
        return report

    def _ran(self, step):
        return not self.only or step in self.only.split(",")

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _migrate_user_companies(self, context):
        """The CRM company of each user Integria placed in one
        (``tusuario.id_company``): the company it sees the descendants of."""
        step = context.step("user_companies", "tusuario")
        rows = context.reader.query("SELECT id_usuario, id_company FROM tusuario WHERE id_company > 0")
        companies = context.res_ids("company", {row["id_company"] for row in rows})
        users = context.res_ids("user", {integria_text.clean_text(row["id_usuario"]).strip() for row in rows})
        fallback = context.run.fallback_user_id.id
        for row in rows:
            step.read += 1
            login = integria_text.clean_text(row["id_usuario"]).strip()
            if login not in users or users[login][1] == fallback:
                step.skip(login, self.env._("the user was not migrated"))
                continue
            if row["id_company"] not in companies:
                step.skip(login, self.env._("its company %(company)s was not migrated", company=row["id_company"]))
                continue
            # set again only when Integria's changed: a CRM company changed in Odoo stays
            key = context.key("usercompany", login)
            link = context.link(key)
            if link and link.source_hash == row_hash(row):
                step.skipped_unchanged += 1
                continue
            user = self.env["res.users"].sudo().browse(users[login][1])
            user.crm_company_id = companies[row["id_company"]][1]
            context.remember(key, user, row)
            step.updated += 1
        step.finish()

    def _migrate_templates(self, context):
        """Integria's lead e-mail templates as mail templates of leads in
        their language, its macros (``_DEST_NAME_``...) kept for the lead
        composer to replace."""
        step = context.step("templates", "tcrm_template")
        Template = self.env["mail.template"].sudo()
        model = self.env["ir.model"]._get("crm.lead")
        for rows in context.reader.batches("tcrm_template", size=BATCH_SIZE):
            step.read += len(rows)
            found = context.res_ids("template", {row["id"] for row in rows})
            for row in rows:
                key = context.key("template", row["id"])
                values = self._template_values(context, row, model)
                if row["id"] not in found:
                    context.remember(key, Template.create(values), row)
                    step.created += 1
                    continue
                link = context.link(key)
                template = Template.browse(found[row["id"]][1]).exists()
                if link.source_hash == row_hash(row) or not template:
                    step.skipped_unchanged += 1
                elif link.synced_write_date and template.write_date > link.synced_write_date:
                    step.skip(
                        f"tcrm_template {row['id']}", self.env._("changed in Odoo since the last run: kept as it is")
                    )
                    step.conflicts += 1
                else:
                    template.write(values)
                    context.remember(key, template, row)
                    step.updated += 1
        step.finish()

    def _template_values(self, context, row, model):
        return {
            "name": integria_text.clean_text(row["name"]) or str(row["id"]),
            "model_id": model.id,
            "subject": integria_text.clean_text(row["subject"]) or False,
            "body_html": plaintext2html(integria_text.clean_text(row["description"]) or ""),
            "lang": context.lang(row["id_language"]) if row["id_language"] else False,
            "use_default_to": True,
            "auto_delete": False,
        }

    def _migrate_invoice_files(self, context):
        """The file an invoice names through ``tinvoice.id_attachment`` only
        (its ``tattachment`` row belongs to no invoice, or another record):
        attached to the invoice too, byte for byte."""
        step = context.step("invoice_files", "tinvoice")
        step.bytes = 0
        tables = context.reader.tables()
        if not context.run.attachments_folder or "tinvoice" not in tables or "tattachment" not in tables:
            step.finish()
            return
        rows = context.reader.query(
            "SELECT i.id, i.id_attachment, a.id_attachment AS found, a.filename, a.description FROM tinvoice i "
            "LEFT JOIN tattachment a ON a.id_attachment = i.id_attachment "
            "WHERE i.id_attachment > 0 AND (a.id_invoice IS NULL OR a.id_invoice <> i.id) ORDER BY i.id"
        )
        invoices = context.res_ids("invoice", {row["id"] for row in rows})
        done = context.res_ids("invoice_file", {row["id"] for row in rows})
        Attachment = self.env["ir.attachment"].sudo().with_context(image_no_postprocess=True)
        for row in rows:
            step.read += 1
            what = f"tinvoice {row['id']}"
            if row["id"] in done:
                step.skipped_unchanged += 1
            elif row["id"] not in invoices:
                step.skip(what, self.env._("the invoice was not migrated"))
            elif not row["found"]:
                step.skip(what, self.env._("no attachment %(id)s in Integria", id=row["id_attachment"]))
            else:
                owner = ("integria.invoice", invoices[row["id"]][1])
                self._attach_file(
                    context, step, Attachment, f"tinvoice {row['id']}", row, owner, f"invoice_file_{row['id']}"
                )
        step.finish()

    # ------------------------------------------------------------------
    # Reconciliation
    # ------------------------------------------------------------------
    def _reconcile(self, reader, migrated):
        """Integria's side (SQL on its database) beside Odoo's (the records
        the migration wrote): each table's rows, then the totals both sides
        can compute; ``differs`` flags what does not match."""
        return {
            "tables": self._reconcile_tables(reader, migrated),
            "totals": [
                *self._reconcile_invoices(reader, migrated),
                *self._reconcile_per_company(
                    reader, migrated, "contract", "tcontract", "id_company", "integria.contract"
                ),
                *self._reconcile_per_company(reader, migrated, "lead", "tlead", "id_company", "crm.lead"),
                *self._reconcile_attachments(reader, migrated),
            ],
        }

    def _reconcile_tables(self, reader, migrated):
        """Per table: Integria's rows, Odoo's records, and those this run
        reported refused or skipped; the rest unaccounted for."""
        steps = {step["name"]: step for step in (self.report or {}).get("steps", [])}
        lines = []
        for step_name, table, kind, _key in RECONCILED_TABLES:
            if not self._ran(step_name) or table not in reader.tables():
                continue
            step = steps.get(step_name, {})
            source = reader.count(table)
            odoo = migrated.count(kind)
            refused, skipped = len(step.get("refused", [])), len(step.get("skipped", []))
            if step_name == "users":
                skipped = 0  # a user mapped to the fallback user still has its external id
            if step_name == "companies":
                skipped = 0  # its skipped line counts the custom fields added
            lines.append(
                {
                    "table": table,
                    "source": source,
                    "odoo": odoo,
                    "refused": refused,
                    "skipped": skipped,
                    "differs": source != odoo + refused + skipped,
                }
            )
        return lines

    def _company_names(self, reader, keys):
        """A function naming the Integria companies ``keys`` as ``Name (id)``."""
        keys = sorted({int(key) for key in keys if key and str(key) != "0"})
        names = {}
        for first in range(0, len(keys), BATCH_SIZE):
            ids = ",".join(map(str, keys[first : first + BATCH_SIZE]))
            for row in reader.query(f"SELECT id, name FROM tcompany WHERE id IN ({ids})"):
                names[str(row["id"])] = integria_text.clean_text(row["name"]) or ""
        return lambda key: f"{names.get(str(key), '-')} ({key})" if key and str(key) != "0" else "-"

    def _total_lines(self, reader, what, source, odoo, text):
        """The lines of a total computed per company on both sides
        (``{(company, *group): value}``, ``text`` showing a value or
        ``None``): the sum over all companies per group, then each company
        that differs. Every company is compared; only those that differ are
        listed, so that the report of 50,000 companies stays readable."""
        keys = source.keys() | odoo.keys()
        everyone = self.env._("All companies (%(count)s compared one by one)", count=len({key[0] for key in keys}))
        source_sums, odoo_sums = _sums(source), _sums(odoo)
        lines = [
            (everyone, group, source_sums.get(group), odoo_sums.get(group))
            for group in sorted({key[1:] for key in keys})
        ]
        differing = sorted(
            (key for key in keys if text(source.get(key)) != text(odoo.get(key))), key=lambda key: (len(key[0]), key)
        )
        name = self._company_names(reader, [key[0] for key in differing])
        lines += [(name(key[0]), key[1:], source.get(key), odoo.get(key)) for key in differing]
        return [
            {
                "what": what,
                "group": " / ".join([company, *group]),
                "source": text(source_value),
                "odoo": text(odoo_value),
                "differs": text(source_value) != text(odoo_value),
            }
            for company, group, source_value, odoo_value in lines
        ]

    def _reconcile_invoices(self, reader, migrated):
        """Invoices per company, currency and status: how many and the total
        Integria showed (its own arithmetic) beside Odoo's."""
        if not self._ran("invoices") or "tinvoice" not in reader.tables():
            return []
        source = {}
        for rows in reader.batches(
            "tinvoice",
            "id, id_company, currency, status, tax, discount_before, irpf, "
            "amount1 + amount2 + amount3 + amount4 + amount5 AS amount_sum",
            size=BATCH_SIZE,
        ):
            for row in rows:
                group = (str(row["id_company"] or 0), row["currency"] or "", INVOICE_STATES.get(row["status"], ""))
                # cents exactly: Decimal on both sides (Odoo's column is numeric, read as text)
                total = decimal.Decimal(self._billed_total_text(row))
                count, amount = source.get(group, (0, decimal.Decimal(0)))
                source[group] = (count + 1, amount + total)
        odoo = {}
        self.env["integria.invoice"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT company.key, currency.name, invoice.state, COUNT(*), SUM(invoice.amount_total)::text
                  FROM (%s) migrated
                  JOIN integria_invoice invoice ON invoice.id = migrated.res_id
                  LEFT JOIN (%s) company ON company.res_id = invoice.partner_id
                  LEFT JOIN res_currency currency ON currency.id = invoice.currency_id
                 GROUP BY 1, 2, 3
                """,
                migrated.sql("invoice"),
                migrated.sql("company"),
            )
        )
        for company, currency, state, count, amount in self.env.cr.fetchall():
            odoo[(company or "0", currency or "", state or "")] = (count, decimal.Decimal(amount or 0))
        return self._total_lines(
            reader,
            self.env._("Invoices"),
            source,
            odoo,
            lambda value: f"{value[0]} / {value[1]:.2f}" if value else "0 / 0.00",
        )

    def _reconcile_per_company(self, reader, migrated, kind, table, column, model):  # noqa: PLR0917
        """How many records of ``kind`` each company has on both sides."""
        step = {"contract": "contracts", "lead": "leads"}[kind]
        if not self._ran(step) or table not in reader.tables():
            return []
        source = {
            (str(row["company"] or 0),): row["n"]
            for row in reader.query(f"SELECT `{column}` AS company, COUNT(*) AS n FROM `{table}` GROUP BY `{column}`")
        }
        Model = self.env[model]
        field = Model._crm_customer_field if hasattr(Model, "_crm_customer_field") else "partner_id"
        Model.flush_model([field])
        self.env.cr.execute(
            SQL(
                """
                SELECT company.key, COUNT(*)
                  FROM (%s) migrated
                  JOIN %s record ON record.id = migrated.res_id
                  LEFT JOIN (%s) company ON company.res_id = %s
                 GROUP BY 1
                """,
                migrated.sql(kind),
                SQL.identifier(Model._table),
                migrated.sql("company"),
                SQL.identifier("record", field),
            )
        )
        odoo = {(company or "0",): count for company, count in self.env.cr.fetchall()}
        label = {"contract": self.env._("Contracts"), "lead": self.env._("Leads")}[kind]
        return self._total_lines(reader, label, source, odoo, lambda value: str(value or 0))

    def _reconcile_attachments(self, reader, migrated):
        """The attached files Integria's folder holds, and their bytes,
        beside the migrated attachments."""
        if not (self._ran("attachments") or self._ran("invoice_files")) or not self.attachments_folder:
            return []
        count = size = 0
        tables = reader.tables()
        owned = " OR ".join(f"{column} <> 0" for column, _kind in ATTACHMENT_OWNERS)
        rows = []
        if "tattachment" in tables:
            rows = reader.query(f"SELECT id_attachment, filename FROM tattachment WHERE {owned}")
        if "tattachment" in tables and "tinvoice" in tables:
            # an invoice's own file lands on the invoice too
            rows += reader.query(
                "SELECT a.id_attachment, a.filename FROM tinvoice i JOIN tattachment a "
                "ON a.id_attachment = i.id_attachment WHERE a.id_invoice <> i.id"
            )
        for row in rows:
            count, size = self._count_file(row, count, size)
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*), COALESCE(SUM(attachment.file_size), 0)::bigint
                     FROM (%s UNION ALL %s) migrated
                     JOIN ir_attachment attachment ON attachment.id = migrated.res_id""",
                migrated.sql("attachment"),
                migrated.sql("invoice_file"),
            )
        )
        odoo_count, odoo_size = self.env.cr.fetchone()
        return [
            {
                "what": self.env._("Attachments"),
                "group": self.attachments_folder,
                "source": f"{count} / {size}",
                "odoo": f"{odoo_count} / {odoo_size}",
                "differs": (count, size) != (odoo_count, odoo_size),
            }
        ]

    def _count_file(self, row, count, size):
        filename = integria_text.clean_text(row["filename"]) or ""
        path = integria_source.attachment_path(self.attachments_folder, row["id_attachment"], filename)
        if os.path.isfile(path):
            return count + 1, size + os.path.getsize(path)
        return count, size

    # ------------------------------------------------------------------
    # Visibility: what each user sees on both sides
    # ------------------------------------------------------------------
    def _check_visibility(self, reader, migrated):
        """For each migrated Integria user: the companies, contacts, contracts,
        invoices and leads Integria showed them (its rules, from its data)
        beside those Odoo shows the user they became; mismatches listed.

        One kind at a time, Integria's rows are streamed once and each user
        keeps a count and a fingerprint (a sum of hashes) of the records it
        sees; Odoo computes the same in SQL over what each user's rules let
        it search. Only where they differ are the ids read, for that user."""
        if not (self._ran("users") and self._ran("companies")) or "tusuario" not in reader.tables():
            return []
        world = IntegriaWorld(reader, self._read_crm_levels(reader))
        user_ids = migrated.ids("user")
        users = {}
        for login in sorted(world.users):
            user = self.env["res.users"].browse(user_ids.get(login)).exists()
            if user and user != self.fallback_user_id:
                users[login] = user
        lines = {}
        for kind, model, step in VISIBILITY_KINDS:
            if not self._ran(step):
                continue
            keys = migrated.keys(kind)
            expected = world.fingerprints(reader, kind, list(users), keys)
            for login, user in users.items():
                actual = self._odoo_fingerprint(migrated, user, kind, model)
                line = {"login": login, "user": user.login, "what": kind, "integria": expected[login][0]}
                line.update(odoo=actual[0], missing=[], extra=[], differs=expected[login] != actual)
                if line["differs"]:
                    integria_keys = {str(key) for key in world.visible(reader, login, kind) if key in keys}
                    odoo_keys = self._odoo_keys(migrated, user, kind, model)
                    line["missing"] = sorted(integria_keys - odoo_keys, key=_by_number)[:SAMPLE]
                    line["extra"] = sorted(odoo_keys - integria_keys, key=_by_number)[:SAMPLE]
                lines[login, kind] = line
        return [lines[key] for key in sorted(lines, key=lambda key: (key[0], VISIBILITY_ORDER[key[1]]))]

    def _visible_records(self, migrated, user, kind, model):
        """The SQL of the migrated ``kind`` records ``user`` may read
        (its record rules), or ``None`` when it may read none."""
        Model = self.env[model].with_user(user).with_context(active_test=False)
        if not Model.has_access("read"):
            return None
        return SQL(
            "SELECT migrated.key FROM (%s) migrated WHERE migrated.res_id IN (%s)",
            migrated.sql(kind),
            Model._search([]).subselect(),
        )

    def _odoo_fingerprint(self, migrated, user, kind, model):
        visible = self._visible_records(migrated, user, kind, model)
        if visible is None:
            return (0, 0)
        self.env.cr.execute(
            SQL(
                # as text: Odoo reads PostgreSQL's numeric as a float, which would round the sum
                "SELECT COUNT(*), COALESCE(SUM(%s), 0)::text FROM (%s) visible",
                SQL(FINGERPRINT_SQL.format(key="visible.key")),
                visible,
            )
        )
        count, total = self.env.cr.fetchone()
        return (count, int(total))

    def _odoo_keys(self, migrated, user, kind, model):
        visible = self._visible_records(migrated, user, kind, model)
        if visible is None:
            return set()
        self.env.cr.execute(visible)
        return {key for (key,) in self.env.cr.fetchall()}


class MigratedRecords:
    """The records the migration wrote that still exist, as SQL: what the
    check reads of them is counted and summed by PostgreSQL, not loaded."""

    def __init__(self, env):
        self.env = env
        self._models = {}

    def models(self, kind):
        """The models of the records of ``kind`` (their external ids name them)."""
        if kind not in self._models:
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT DISTINCT model FROM ir_model_data WHERE module = %s AND name LIKE %s",
                (XMLID_MODULE, f"{kind}\\_%"),
            )
            self._models[kind] = sorted(model for (model,) in self.env.cr.fetchall() if model in self.env)
        return self._models[kind]

    def sql(self, kind):
        """A query of ``key`` (the Integria id, as text) and ``res_id`` of the
        existing records of ``kind``."""
        # another kind's (invoice_file_1) or the migration's own (contract_type) left out
        pattern = f"^{kind}_.+$" if kind == "user" else f"^{kind}_[0-9]+$"
        queries = [
            SQL(
                """SELECT substr(d.name, %s) AS key, d.res_id FROM ir_model_data d
                   JOIN %s r ON r.id = d.res_id WHERE d.module = %s AND d.model = %s AND d.name ~ %s""",
                len(kind) + 2,
                SQL.identifier(self.env[model]._table),
                XMLID_MODULE,
                model,
                pattern,
            )
            for model in self.models(kind)
        ]
        if not queries:
            return SQL("SELECT NULL::varchar AS key, NULL::int AS res_id WHERE FALSE")
        return SQL(" UNION ALL ").join(queries)

    def count(self, kind):
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) migrated", self.sql(kind)))
        return self.env.cr.fetchone()[0]

    def ids(self, kind):
        """``{Integria id (text): Odoo id}`` of the existing records of
        ``kind`` (for the few users; the other kinds stay in SQL)."""
        self.env.cr.execute(self.sql(kind))
        return dict(self.env.cr.fetchall())

    def keys(self, kind):
        """The Integria ids (numbers) of the existing records of ``kind``."""
        self.env.cr.execute(self.sql(kind))
        return {int(key) for key, _res_id in self.env.cr.fetchall()}


class IntegriaWorld:
    """What Integria shows each of its users, computed from its data with
    its rules (docs/permissions.md): a user with a CRM level sees the
    companies it owns and those that hang, at any depth, from its own
    company; their contracts (a private one only if the user's company is
    the company of the company's owner), their invoices (its owner, and
    Manage users who see the company) and their leads (also its own and
    those its company manages). Integria's administrators see everything.
    The users and the companies' tree are held; the other tables are
    streamed."""

    # the Integria table of each kind and the columns its rule reads
    TABLES = {
        "contact": ("tcompany_contact", "id, id_company"),
        "contract": ("tcontract", "id, id_company, private"),
        "invoice": ("tinvoice", "id, id_company"),
        "lead": ("tlead", "id, id_company, owner"),
    }

    def __init__(self, reader, levels):
        self.levels = levels
        self._ancestry = {}
        self.users = {}
        self.admins = set()
        for row in reader.query("SELECT id_usuario, id_company, nivel FROM tusuario"):
            login = integria_text.clean_text(row["id_usuario"]).strip()
            self.users[login] = int(row["id_company"] or 0)
            if int(row["nivel"] or 0) == 1:
                self.admins.add(login)
        # {id: (parent id, owner's login)}, read by batches
        self.companies = {}
        for rows in reader.batches("tcompany", "id, id_parent, manager", size=BATCH_SIZE):
            for row in rows:
                owner = integria_text.clean_text(row["manager"] or "").strip()
                self.companies[row["id"]] = (int(row["id_parent"] or 0), owner)

    def _ancestors(self, company):
        if company not in self._ancestry:
            seen = []
            parent = company
            while parent in self.companies and parent not in seen:
                seen.append(parent)
                parent = self.companies[parent][0]
            self._ancestry[company] = frozenset(seen)
        return self._ancestry[company]

    def sees_company(self, login, company):
        if company not in self.companies:
            return False
        parent, owner = self.companies[company]
        if owner == login:
            return True
        own = self.users.get(login, 0)
        return parent != 0 and own != 0 and own in self._ancestors(company)

    def _rows(self, reader, kind):
        """The rows of ``kind`` with the columns its rule reads, streamed."""
        if kind == "company":
            yield from ({"id": key} for key in self.companies)
            return
        table, columns = self.TABLES[kind]
        if table not in reader.tables():
            return
        for rows in reader.batches(table, columns, size=BATCH_SIZE):
            yield from rows

    def _sees(self, login, kind, row):
        if login in self.admins:
            return True
        if not self.levels.get(login):
            return False
        return getattr(self, f"_sees_{kind}")(login, row)

    def visible(self, reader, login, kind):
        """The Integria ids of the ``kind`` records ``login`` sees."""
        return {row["id"] for row in self._rows(reader, kind) if self._sees(login, kind, row)}

    def fingerprints(self, reader, kind, logins, keys):
        """``{login: (count, fingerprint)}`` of the ``kind`` records among
        ``keys`` (those migrated) each of ``logins`` sees."""
        found = dict.fromkeys(logins, (0, 0))
        for row in self._rows(reader, kind):
            if row["id"] not in keys:
                continue
            hashed = fingerprint(row["id"])
            for login in logins:
                if self._sees(login, kind, row):
                    count, total = found[login]
                    found[login] = (count + 1, total + hashed)
        return found

    def _sees_company(self, login, row):
        return self.sees_company(login, row["id"])

    def _sees_contact(self, login, row):
        return self.sees_company(login, row["id_company"] or 0)

    def _sees_contract(self, login, row):
        company = row["id_company"] or 0
        if not self.sees_company(login, company):
            return False
        owner = self.companies[company][1]
        return not row["private"] or self.users.get(login) == self.users.get(owner, 0)

    def _sees_invoice(self, login, row):
        company = row["id_company"] or 0
        if not self.sees_company(login, company):
            return False
        return self.companies[company][1] == login or self.levels.get(login) == "manage"

    def _sees_lead(self, login, row):
        company = row["id_company"] or 0
        owner = integria_text.clean_text(row["owner"] or "").strip()
        own = self.users.get(login, 0)
        return owner == login or (own != 0 and own == company) or self.sees_company(login, company)


def _by_number(key):
    """Integria ids as text, in the order of their numbers."""
    return (len(key), key)


def _sums(values):
    """The sums over the companies of ``values`` (``{(company, *group):
    count or (count, amount)}``), by group, in one pass."""
    sums = {}
    for key, value in values.items():
        group = key[1:]
        if group not in sums:
            sums[group] = value
        elif isinstance(value, tuple):
            sums[group] = tuple(total + part for total, part in zip(sums[group], value, strict=True))
        else:
            sums[group] += value
    return sums
