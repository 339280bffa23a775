"""What a migration run adds besides the engine's steps: Integria's lead
e-mail templates, the users' CRM companies, the invoice files named by
``tinvoice.id_attachment`` only, and the proof that nothing was lost: the
reconciliation of Integria's tables and totals with Odoo's, and the check
that each migrated user sees in Odoo what Integria showed them
(docs/permissions.md)."""

import logging
import os
import time

from odoo import api, fields, models
from odoo.tools import plaintext2html

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
# differing ids listed in the report, at most
SAMPLE = 10


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
            odoo = len(migrated.ids(kind))
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

    def _company_names(self, reader):
        rows = reader.query("SELECT id, name FROM tcompany") if "tcompany" in reader.tables() else []
        names = {str(row["id"]): integria_text.clean_text(row["name"]) or "" for row in rows}
        return lambda key: f"{names.get(str(key), '-')} ({key})" if key and str(key) != "0" else "-"

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
                total = float(self._billed_total_text(row))
                count, amount = source.get(group, (0, 0.0))
                source[group] = (count + 1, amount + total)
        companies = migrated.keys("company")
        invoices = self.env["integria.invoice"].sudo().browse(migrated.ids("invoice").values())
        odoo = {}
        for partner, currency, state, count, amount in (
            self.env["integria.invoice"]
            .sudo()
            ._read_group(
                [("id", "in", invoices.ids)], ["partner_id", "currency_id", "state"], ["__count", "amount_total:sum"]
            )
        ):
            group = (companies.get(partner.id, "0"), currency.name or "", state or "")
            odoo[group] = (count, amount)
        name = self._company_names(reader)
        lines = []
        for group in sorted(source.keys() | odoo.keys()):
            (source_count, source_amount), (odoo_count, odoo_amount) = (
                source.get(group, (0, 0.0)),
                odoo.get(group, (0, 0.0)),
            )
            lines.append(
                {
                    "what": self.env._("Invoices"),
                    "group": f"{name(group[0])} / {group[1]} / {group[2]}",
                    "source": f"{source_count} / {source_amount:.2f}",
                    "odoo": f"{odoo_count} / {odoo_amount:.2f}",
                    "differs": source_count != odoo_count or round(source_amount - odoo_amount, 2) != 0,
                }
            )
        return lines

    def _reconcile_per_company(self, reader, migrated, kind, table, column, model):  # noqa: PLR0917
        """How many records of ``kind`` each company has on both sides."""
        step = {"contract": "contracts", "lead": "leads"}[kind]
        if not self._ran(step) or table not in reader.tables():
            return []
        source = {
            str(row["company"] or 0): row["n"]
            for row in reader.query(f"SELECT `{column}` AS company, COUNT(*) AS n FROM `{table}` GROUP BY `{column}`")
        }
        Model = self.env[model].sudo().with_context(active_test=False)
        field = Model._crm_customer_field if hasattr(Model, "_crm_customer_field") else "partner_id"
        companies = migrated.keys("company")
        odoo = {}
        for partner, count in Model._read_group(
            [("id", "in", list(migrated.ids(kind).values()))], [field], ["__count"]
        ):
            key = companies.get(partner.id, "0")
            odoo[key] = odoo.get(key, 0) + count
        name = self._company_names(reader)
        label = {"contract": self.env._("Contracts"), "lead": self.env._("Leads")}[kind]
        return [
            {
                "what": label,
                "group": name(key),
                "source": str(source.get(key, 0)),
                "odoo": str(odoo.get(key, 0)),
                "differs": source.get(key, 0) != odoo.get(key, 0),
            }
            for key in sorted(source.keys() | odoo.keys(), key=lambda key: (len(key), key))
        ]

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
        ids = [*migrated.ids("attachment").values(), *migrated.ids("invoice_file").values()]
        attachments = self.env["ir.attachment"].sudo().browse(ids)
        odoo_count, odoo_size = len(attachments), sum(attachments.mapped("file_size"))
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
        beside those Odoo shows the user they became; mismatches listed."""
        if not (self._ran("users") and self._ran("companies")) or "tusuario" not in reader.tables():
            return []
        world = IntegriaWorld(reader, self._read_crm_levels(reader))
        users = migrated.ids("user")
        kinds = [(kind, model) for kind, model, step in VISIBILITY_KINDS if self._ran(step)]
        migrated = {kind: migrated.ids(kind) for kind, _model in kinds}
        lines = []
        for login in sorted(world.users):
            user = self.env["res.users"].browse(users.get(login)).exists()
            if not user or user == self.fallback_user_id:
                continue
            for kind, model in kinds:
                lines.append(self._visibility_line(world, login, user, kind, model, migrated[kind]))
        return lines

    def _visibility_line(self, world, login, user, kind, model, migrated):  # noqa: PLR0917
        expected = {key for key in world.visible(login, kind) if key in migrated}
        keys = {res_id: key for key, res_id in migrated.items()}
        Model = self.env[model].with_user(user).with_context(active_test=False)
        # a user without access to the model sees none of its records
        seen = Model.search([("id", "in", list(keys))]).ids if Model.has_access("read") else []
        actual = {keys[res_id] for res_id in seen}
        return {
            "login": login,
            "user": user.login,
            "what": kind,
            "integria": len(expected),
            "odoo": len(actual),
            "missing": sorted(expected - actual, key=lambda key: (len(key), key))[:SAMPLE],
            "extra": sorted(actual - expected, key=lambda key: (len(key), key))[:SAMPLE],
            "differs": expected != actual,
        }


class MigratedRecords:
    """The records the migration wrote that still exist, by kind, read once
    per check."""

    def __init__(self, env):
        self.env = env
        self._ids = {}

    def ids(self, kind):
        """``{Integria id (text): Odoo id}`` of the existing records of ``kind``."""
        if kind not in self._ids:
            self._ids[kind] = self._read(kind)
        return self._ids[kind]

    def keys(self, kind):
        """``{Odoo id: Integria id (text)}`` of the records of ``kind``."""
        return {res_id: key for key, res_id in self.ids(kind).items()}

    def _read(self, kind):
        self.env.cr.execute(
            "SELECT name, model, res_id FROM ir_model_data WHERE module = %s AND name LIKE %s",
            (XMLID_MODULE, f"{kind}\\_%"),
        )
        by_model = {}
        for name, model, res_id in self.env.cr.fetchall():
            key = name[len(kind) + 1 :]
            if kind != "user" and not key.isdigit():
                continue  # another kind's (invoice_file_1) or the migration's own (contract_type)
            by_model.setdefault(model, {})[key] = res_id
        found = {}
        for model, ids in by_model.items():
            if model not in self.env:
                continue
            existing = set(self.env[model].sudo().with_context(active_test=False).browse(ids.values()).exists().ids)
            found.update({key: res_id for key, res_id in ids.items() if res_id in existing})
        return found


class IntegriaWorld:
    """What Integria shows each of its users, computed from its data with
    its rules (docs/permissions.md): a user with a CRM level sees the
    companies it owns and those that hang, at any depth, from its own
    company; their contracts (a private one only if the user's company is
    the company of the company's owner), their invoices (its owner, and
    Manage users who see the company) and their leads (also its own and
    those its company manages). Integria's administrators see everything.
    Ids are kept as text, as the external ids name them."""

    def __init__(self, reader, levels):
        self.levels = levels
        self._ancestry = {}
        tables = reader.tables()
        self.users = {}
        self.admins = set()
        for row in reader.query("SELECT id_usuario, id_company, nivel FROM tusuario"):
            login = integria_text.clean_text(row["id_usuario"]).strip()
            self.users[login] = str(row["id_company"] or 0)
            if int(row["nivel"] or 0) == 1:
                self.admins.add(login)
        self.companies = {
            str(row["id"]): (str(row["id_parent"] or 0), integria_text.clean_text(row["manager"] or "").strip())
            for row in reader.query("SELECT id, id_parent, manager FROM tcompany")
        }
        self.rows = {
            "contact": self._rows(reader, tables, "SELECT id, id_company FROM tcompany_contact"),
            "contract": self._rows(reader, tables, "SELECT id, id_company, private FROM tcontract"),
            "invoice": self._rows(reader, tables, "SELECT id, id_company FROM tinvoice"),
            "lead": self._rows(reader, tables, "SELECT id, id_company, owner FROM tlead"),
        }

    @staticmethod
    def _rows(reader, tables, sql):
        table = sql.split(" FROM ")[1]
        return reader.query(sql) if table in tables else []

    def _ancestors(self, company):
        if company not in self._ancestry:
            seen = []
            parent = company
            while parent in self.companies and parent not in seen:
                seen.append(parent)
                parent = self.companies[parent][0]
            self._ancestry[company] = set(seen)
        return self._ancestry[company]

    def sees_company(self, login, company):
        if company not in self.companies:
            return False
        parent, owner = self.companies[company]
        if owner == login:
            return True
        own = self.users.get(login, "0")
        return parent != "0" and own != "0" and own in self._ancestors(company)

    def visible(self, login, kind):
        """The Integria ids (text) of the ``kind`` records ``login`` sees."""
        if login not in self.admins and not self.levels.get(login):
            return set()
        everything = login in self.admins
        if kind == "company":
            return {key for key in self.companies if everything or self.sees_company(login, key)}
        return {str(row["id"]) for row in self.rows[kind] if everything or getattr(self, f"_sees_{kind}")(login, row)}

    def _sees_contact(self, login, row):
        return self.sees_company(login, str(row["id_company"] or 0))

    def _sees_contract(self, login, row):
        company = str(row["id_company"] or 0)
        if not self.sees_company(login, company):
            return False
        owner = self.companies[company][1]
        return not row["private"] or self.users.get(login) == self.users.get(owner, "0")

    def _sees_invoice(self, login, row):
        company = str(row["id_company"] or 0)
        if not self.sees_company(login, company):
            return False
        return self.companies[company][1] == login or self.levels.get(login) == "manage"

    def _sees_lead(self, login, row):
        company = str(row["id_company"] or 0)
        owner = integria_text.clean_text(row["owner"] or "").strip()
        own = self.users.get(login, "0")
        return owner == login or (own != "0" and own == company) or self.sees_company(login, company)
