from odoo import models
from odoo.tools.mail import plaintext2html

from ..tools import csv_files
from ..tools.crm_path import path_ids
from ..tools.custom_fields import value_fields
from .integria_crm_csv_import import Column
from .res_partner import PAYMENT_CONDITIONS

# The roles Integria ships (its tcompany_role rows), by id: a file's role ids
# are taken for these unless an earlier import brought Integria's roles.
INTEGRIA_ROLES = {"1": "Customer", "2": "Ex-Customer", "3": "Partner", "4": "Provider", "5": "Other"}


class IntegriaCrmCsvCompany(models.AbstractModel):
    """CRM companies in CSV files: the manual's positional columns, then the
    company custom fields in order; Integria's export names ``tcompany``'s
    columns, plus ``billing``, and the custom fields by label."""

    _name = "integria.crm.csv.company"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: companies"

    _csv_model = "res.partner"
    _csv_xmlid_prefix = "company"
    _csv_properties_field = "crm_properties"

    def _csv_columns(self):
        return [
            Column("name", "name", ("name",), self.env._("Name")),
            Column("address", "address", ("street", "street2"), self.env._("Address")),
            Column("vat", "fiscal_id", ("vat",), self.env._("Fiscal ID")),
            Column("country", "country", ("country_id",), self.env._("Country")),
            Column("website", "website", ("website",), self.env._("Website")),
            Column("comment", "comments", ("comment",), self.env._("Comments")),
            Column("role", "id_company_role", ("crm_role_id",), self.env._("Role")),
            Column("parent", "id_parent", ("crm_parent_id",), self.env._("Parent company")),
            Column("manager", "manager", ("owner_id",), self.env._("Manager")),
            Column("last_update", "last_update", ("last_activity_date",), self.env._("Last update")),
            Column(
                "payment_conditions", "payment_conditions", ("payment_conditions",), self.env._("Payment conditions")
            ),
        ]

    def _csv_ignored_headers(self):
        return ("billing",)

    def _csv_custom_fields(self):
        return value_fields(self.env["res.partner"]._crm_properties_definition().properties_definition)

    def _csv_example(self):
        """The manual's example, managed by the user who reads it (a company
        without a parent is seen by its manager alone), with a value for each
        custom field."""
        custom = self._csv_sample_values(self._csv_custom_fields())
        login = self.env.user.login
        return ",".join(["Empresa prueba", "", "", "España", "", "", "", "", login, "0000-00-00 00:00:00", "", *custom])

    # ------------------------------------------------------------------
    # Values and checks
    # ------------------------------------------------------------------
    def _csv_prepare(self, run):
        definition = self._csv_custom_fields()
        for row in run.rows:
            row.vals = self._csv_row_values(run, row)
            row.vals["crm_properties"] = run.engine._custom_values(run, row, definition)
        if run.positional:
            self._csv_name_keys(run)
            self._csv_find_existing(run)
        self._csv_resolve_parents(run)

    def _csv_row_values(self, run, row):
        cells = row.cells
        if not cells.get("name"):
            run.error(row, "name", self.env._("The company has no name."))
        street, _newline, street2 = cells.get("address", "").partition("\n")
        vals = {
            "name": cells.get("name", ""),
            "is_company": True,
            "is_crm_company": True,
            "street": street.strip() or False,
            "street2": street2.strip() or False,
            "vat": cells.get("vat") or False,
            "website": cells.get("website") or False,
            "comment": plaintext2html(cells["comment"]) if cells.get("comment") else False,
            "country_id": run.cell(row, "country", run.lookups.country),
            "crm_role_id": run.cell(row, "role", lambda text: self._csv_role(run, text)),
            "last_activity_date": run.cell(row, "last_update", csv_files.parse_datetime),
            "payment_conditions": run.cell(row, "payment_conditions", _payment_conditions),
        }
        if cells.get("manager"):
            vals["owner_id"] = run.cell(row, "manager", run.lookups.user)
        return vals

    def _csv_role(self, run, text):
        """A role by id or name in a file typed by hand; in an export,
        Integria's role id: a role an earlier import brought, or one of the
        roles Integria ships, found by its English name."""
        roles = self.env["integria.crm.role"]
        if run.positional:
            return run.lookups.by_id_or_name(roles._name, text, self.env._("no role has this id or name")).id
        if not text or text == "0":
            return False
        role = run.lookups.imported(self.env["integria.crm.csv.role"], text, required=csv_files.is_own_key(text))
        if not role and text in INTEGRIA_ROLES:
            role = run.lookups.by_name(roles._name, INTEGRIA_ROLES[text])
            if not role:
                raise run.lookups.unknown(
                    text,
                    self.env._(
                        "Integria's role %(id)s is %(name)s, a role this database does not have: "
                        "create it (Customers > Configuration > Roles) or leave the column empty",
                        id=text,
                        name=INTEGRIA_ROLES[text],
                    ),
                )
        if not role:
            raise run.lookups.unknown(
                text, self.env._("not one of Integria's roles (1 to 5) and no earlier import brought it")
            )
        run.report.add_mapping(
            self.env._("Integria's role %(id)s is taken for the role %(role)s.", id=text, role=role.display_name)
        )
        return role.id

    def _csv_name_keys(self, run):
        """Typed by hand, a company is known by its name: met twice, an error."""
        seen = {}
        for row in run.rows:
            row.key = csv_files.normalize_name(row.cells.get("name", "")) or None
            if row.key and row.key in seen:
                run.error(row, None, self.env._("The same company as on line %(line)s.", line=seen[row.key]))
            elif row.key:
                seen[row.key] = row.line

    def _csv_find_existing(self, run):
        """A company of a positional file that exists already (same name and
        fiscal id, among those the user sees) is updated or skipped, as the
        user chooses: importing the same file twice makes no duplicates."""
        names = [row.vals["name"] for row in run.rows if row.vals.get("name")]
        existing = {}
        for start in range(0, len(names), 10000):
            for company in self.env["res.partner"].search(
                [("is_crm_company", "=", True), ("name", "in", names[start : start + 10000])]
            ):
                existing.setdefault(_identity(company.name, company.vat), company)
        skip = run.options.get("existing") == "skip"
        for row in run.rows:
            company = existing.get(_identity(row.vals.get("name") or "", row.vals.get("vat")))
            if company:
                row.existing = company
                row.skip = skip

    def _csv_resolve_parents(self, run):
        in_file = run.by_key = {row.key: row for row in run.rows if row.key}
        parent_of = {}
        for row in run.rows:
            token = row.cells.get("parent", "")
            row.vals["crm_parent_id"] = False
            if not token or (not run.positional and token == "0"):
                continue
            key = csv_files.normalize_name(token) if run.positional else token
            if key in in_file and not (run.positional and token.isdigit()) and in_file[key] is not row:
                parent_of[row.key] = row.parent_key = key
                continue
            parent = run.cell(row, "parent", lambda text: self._csv_parent(run, text))
            if parent:
                row.vals["crm_parent_id"] = parent.id
                if row.existing and (parent == row.existing or row.existing.id in path_ids(parent.sudo().crm_path)):
                    run.error(
                        row,
                        "parent",
                        self.env._("%(parent)s hangs from this company already.", parent=parent.display_name),
                    )
        for key in csv_files.find_cycles(parent_of):
            row = in_file[key]
            chain = " → ".join(in_file[item].cells.get("name", "") for item in _chain(key, parent_of))
            run.error(row, "parent", self.env._("Parent cycle: %(chain)s.", chain=chain))

    def _csv_parent(self, run, text):
        """A parent company in the database (positional: id or name; export:
        Integria's id of a company imported before)."""
        if not run.positional:
            parent = run.lookups.imported(self, text)
            if not parent:
                raise run.lookups.unknown(
                    text, self.env._("no company has this id in the file or in an earlier import")
                )
            return parent
        return run.lookups.by_id_or_name(
            "res.partner",
            text,
            self.env._("no company you can see has this id or name"),
            domain=[("is_company", "=", True)],
        )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def _csv_waves(self, run, rows):
        """Parents before their children when both are in the file."""
        parent_keys = {row.key: row.parent_key for row in rows if row.parent_key}
        row_of = {row.key or index: row for index, row in enumerate(rows)}
        waves = csv_files.creation_waves(list(row_of), parent_keys)
        return [[row_of[key] for key in wave] for wave in waves]

    def _csv_values(self, run, row):
        if not row.parent_key:
            return row.vals
        parent = run.by_key[row.parent_key].record
        return {**row.vals, "crm_parent_id": parent.id if parent else False}

    def _csv_create_values(self, run, rows):
        """Before creating a partner without a salesperson, Odoo computes one
        from its parent, on a draft record per partner. A company of the file
        has no Odoo parent (``parent_id``; its CRM parent is
        ``crm_parent_id``): its salesperson is the default one, read once per
        batch."""
        values = super()._csv_create_values(run, rows)
        salesperson = self.env["res.partner"].default_get(["user_id"]).get("user_id", False)
        return [{"user_id": salesperson, **vals} for vals in values]

    def _csv_explain_refusal(self, run, row):
        user = self.env.user
        owner = self.env["res.users"].browse(row.vals.get("owner_id") or user.id)
        if not row.vals.get("crm_parent_id") and not row.parent_key and owner != user:
            return self.env._(
                "No parent company and managed by %(owner)s: you would not see it. Give it a parent "
                "(%(parent_column)s), make yourself its manager (%(manager_column)s) or import it as "
                "an administrator.",
                owner=owner.login,
                parent_column=run.column_text(row, "parent"),
                manager_column=run.column_text(row, "manager"),
            )
        return False


def _identity(name, vat):
    return (csv_files.normalize_name(name or ""), (vat or "").strip().casefold())


def _chain(key, parent_of):
    chain = [key]
    while parent_of.get(chain[-1]) not in (None, key) and len(chain) <= len(parent_of):
        chain.append(parent_of[chain[-1]])
    return [*chain, key]


def _payment_conditions(text):
    if not text or text == "0":
        return False
    return csv_files.parse_choice(text, [(days, days) for days, _label in PAYMENT_CONDITIONS])
