import logging
import re

import psycopg2

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mail import plaintext2html

from ..tools import csv_files
from ..tools.crm_path import path_ids
from ..tools.csv_files import INTEGRIA_EXPORT, POSITIONAL, CsvError

_logger = logging.getLogger(__name__)

# The CRM company of a contract, its customer (company_id is the res.company,
# left to its default: the importing user's company).
CONTRACT_CUSTOMER_FIELD = "partner_id"
# Records imported from an Integria export keep Integria's id as an external
# id of this namespace, so that importing the same file again updates them.
XMLID_MODULE = "integria_import"
XMLID_PREFIX = {"company": "company", "contract": "contract", "role": "role", "type": "contract_type"}
BATCH_SIZE = 1000
# Creating records is tracked neither in the chatter nor in the followers.
IMPORT_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
# The fields each column of the layouts sets.
COMPANY_COLUMN_FIELDS = {
    "name": ("name",),
    "address": ("street", "street2"),
    "vat": ("vat",),
    "country": ("country_id",),
    "website": ("website",),
    "comment": ("comment",),
    "role": ("crm_role_id",),
    "parent": ("crm_parent_id",),
    "manager": ("owner_id",),
    "last_update": ("last_activity_date",),
    "payment_conditions": ("payment_conditions",),
}
CONTRACT_COLUMN_FIELDS = {
    "name": ("name",),
    "contract_number": ("contract_number",),
    "description": ("description",),
    "date_start": ("date_start",),
    "date_end": ("date_end",),
    "company": (CONTRACT_CUSTOMER_FIELD,),
    "sla": ("sla",),
    "support_group": ("support_group",),
    "is_private": ("is_private",),
    "state": ("state",),
    "type": ("type_id",),
}
STATE_CHOICES = [("inactive", "Inactive"), ("active", "Active"), ("pending", "Pending")]
STATE_WORDS = {"inactivo": "inactive", "activo": "active", "pendiente": "pending"}


class ImportReport:
    """What an import did, or would do: one entry per row, the errors with
    their line and column, the counts. Errors mean nothing was written."""

    def __init__(self, kind, mode, dry_run):
        self.kind, self.mode, self.dry_run = kind, mode, dry_run
        self.rows = []  # {"line", "name", "status": new/update/error, "messages"}
        self.errors = []  # {"line", "column", "message"}
        self.warnings = []
        self.created = self.updated = 0
        self.record_ids = []
        self._row_of_line = {}

    @property
    def ok(self):
        return not self.errors

    def add_row(self, line, name, status="new"):
        row = {"line": line, "name": name, "status": status, "messages": []}
        self.rows.append(row)
        self._row_of_line[line] = row
        return row

    def mark_update(self, line):
        row = self._row_of_line.get(line)
        if row and row["status"] == "new":
            row["status"] = "update"

    def add_error(self, line, column, message):
        self.errors.append({"line": line, "column": column, "message": message})
        if row := self._row_of_line.get(line):
            row["status"] = "error"
            row["messages"].append(message)

    def to_dict(self):
        return {
            "kind": self.kind,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": self.rows,
            "errors": sorted(self.errors, key=lambda error: (error["line"] or 0, error["column"] or 0)),
            "warnings": self.warnings,
            "created": self.created,
            "updated": self.updated,
            "record_ids": self.record_ids,
        }


class _Row:
    """A record of the file: its line, its cells by column name, its custom
    field cells (``(column number, header or None, text)``)."""

    __slots__ = ("cells", "custom", "existing", "key", "line", "parent_key", "record", "vals")

    def __init__(self, line, cells, custom):
        self.line, self.cells, self.custom = line, cells, custom
        # key: the row's id in the file; existing: the record a former import
        # made of it; record: the record written; parent_key: the key of its
        # parent when the parent is in the file too
        self.key = self.existing = self.record = self.parent_key = None
        self.vals = {}


class IntegriaCrmCsvImport(models.AbstractModel):
    """Import of CRM companies and contracts from Integria's CSV layouts.

    One piece of code serves the web wizard and the ``odoo integria_csv``
    command. Every row is checked first (layout, values, lookups through the
    importing user's access rights, duplicates, parent cycles); only a file
    without errors is written, in one savepoint and in batches: all or
    nothing. A dry run does the same and rolls the savepoint back.
    """

    _name = "integria.crm.csv.import"
    _description = "CRM CSV Import"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def import_csv(self, kind, data, mode=POSITIONAL, *, dry_run=False, progress=None, max_bytes=None):
        """Import the CSV ``data`` (bytes) of companies or contracts.

        :param kind: ``"company"`` or ``"contract"``
        :param mode: ``"positional"`` (typed by hand) or ``"export"`` (written by Integria)
        :param dry_run: check and write in a savepoint that is rolled back (the preview)
        :param progress: called as ``progress(done, total)`` while writing
        :param max_bytes: refuse larger files (the web client's limit)
        :return: the report, as a dict (see :class:`ImportReport`)
        """
        self._check_import_rights()
        if kind not in ("company", "contract") or mode not in (POSITIONAL, INTEGRIA_EXPORT):
            raise UserError(self.env._("Unknown import: %(kind)s in the %(mode)s layout.", kind=kind, mode=mode))
        return self.with_context(**IMPORT_CONTEXT)._import_csv(kind, data, mode, dry_run, progress, max_bytes)

    def _import_csv(self, kind, data, mode, dry_run, progress, max_bytes):  # noqa: PLR0917
        report = ImportReport(kind, mode, dry_run)
        try:
            if max_bytes and len(data) > max_bytes:
                raise CsvError("too_big", size=_megabytes(len(data)), limit=_megabytes(max_bytes))
            rows = self._read_rows(kind, csv_files.decode_bytes(data), mode, report)
        except CsvError as error:
            report.add_error(error.params.get("line"), None, self._csv_message(error))
            return report.to_dict()
        if kind == "company":
            self._prepare_companies(rows, mode, report)
        else:
            self._prepare_contracts(rows, mode, report)
        for row in rows:
            if row.existing:
                report.mark_update(row.line)
        if report.ok and rows:
            self._write(kind, rows, mode, report, dry_run=dry_run, progress=progress)
        return report.to_dict()

    def _check_import_rights(self):
        if not self.env.su and not self.env.user.has_group("integria_crm.group_crm_manage"):
            raise AccessError(self.env._("Only users with the CRM level Manage import companies and contracts."))

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------
    def _read_rows(self, kind, text, mode, report):
        columns = csv_files.COMPANY_COLUMNS if kind == "company" else csv_files.CONTRACT_COLUMNS
        if mode == POSITIONAL:
            return self._read_positional(text, columns, report)
        aliases = csv_files.COMPANY_HEADER_ALIASES if kind == "company" else csv_files.CONTRACT_HEADER_ALIASES
        return self._read_export(text, aliases, report)

    def _read_positional(self, text, columns, report):
        rows = []
        for line, cells in csv_files.iter_rows(text, ","):
            values = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
            custom = [(number, None, cell) for number, cell in enumerate(cells[len(columns) :], start=len(columns) + 1)]
            row = _Row(line, values, custom)
            report.add_row(line, values.get("name", ""))
            if len(cells) < len(columns):
                report.add_error(
                    line,
                    None,
                    self.env._(
                        "%(found)s columns where the layout has at least %(expected)s: "
                        "%(columns)s, then the custom fields.",
                        found=len(cells),
                        expected=len(columns),
                        columns=", ".join(self._column_labels()[column] for column in columns),
                    ),
                )
            rows.append(row)
        return rows

    def _read_export(self, text, aliases, report):
        records = csv_files.iter_rows(csv_files.protect_entities(text), csv_files.guess_delimiter(text))
        try:
            _line, header = next(records)
        except StopIteration as error:
            raise CsvError("empty") from error
        mapping = csv_files.map_header(header, aliases)
        if "name" not in mapping.values():
            raise CsvError("no_header")
        rows = []
        for line, cells in records:
            decoded = [csv_files.decode_entities(cell) for cell in cells]
            values = {mapping[i]: cell.strip() for i, cell in enumerate(decoded) if mapping.get(i)}
            custom = [(i + 1, header[i], cell) for i, cell in enumerate(decoded) if i < len(header) and not mapping[i]]
            rows.append(_Row(line, values, custom))
            report.add_row(line, values.get("name", ""))
            if len(cells) != len(header):
                report.add_error(
                    line,
                    None,
                    self.env._(
                        "%(found)s columns where the header has %(expected)s.", found=len(cells), expected=len(header)
                    ),
                )
        return rows

    # ------------------------------------------------------------------
    # Companies: checks and values
    # ------------------------------------------------------------------
    def _prepare_companies(self, rows, mode, report):
        definition = self._custom_fields(self.env["res.partner"]._crm_properties_definition().properties_definition)
        lookups = _Lookups(self, mode)
        lookups.load_companies(rows)
        for row in rows:
            self._check_custom_count(row, definition, mode, report, first_custom=len(csv_files.COMPANY_COLUMNS) + 1)
            row.vals = self._company_values(row, mode, lookups, report)
            row.vals["crm_properties"] = self._custom_values(row, definition, lookups, report)
        self._check_company_keys(rows, mode, lookups, report)
        self._resolve_parents(rows, mode, lookups, report)
        lookups.warn_unused_columns(rows, report)
        if mode == INTEGRIA_EXPORT:
            self._keep_absent_columns(rows, COMPANY_COLUMN_FIELDS, "crm_properties")

    def _company_values(self, row, mode, lookups, report):
        cells = row.cells
        name = cells.get("name", "")
        if not name:
            report.add_error(row.line, 1 if mode == POSITIONAL else None, self.env._("The company has no name."))
        street, _newline, street2 = cells.get("address", "").partition("\n")
        vals = {
            "name": name,
            "is_company": True,
            "is_crm_company": True,
            "street": street.strip() or False,
            "street2": street2.strip() or False,
            "vat": cells.get("vat") or False,
            "website": cells.get("website") or False,
            "comment": plaintext2html(cells["comment"]) if cells.get("comment") else False,
            "country_id": self._cell(row, "country", mode, report, lookups.country),
            "crm_role_id": self._cell(row, "role", mode, report, lookups.role),
            "last_activity_date": self._cell(row, "last_update", mode, report, csv_files.parse_datetime),
            "payment_conditions": self._cell(row, "payment_conditions", mode, report, _payment_conditions),
        }
        if cells.get("manager"):
            vals["owner_id"] = self._cell(row, "manager", mode, report, lookups.user)
        return vals

    def _check_company_keys(self, rows, mode, lookups, report):
        """The key of a company in the file: Integria's id in an export, the
        name typed by hand otherwise; a key met twice is an error."""
        seen = {}
        for row in rows:
            if mode == INTEGRIA_EXPORT:
                row.key = row.cells.get("id") or None
                if not row.key:
                    report.add_error(row.line, None, self.env._("The company has no id."))
                    continue
                row.existing = lookups.imported("company", row.key)
                if lookups.is_hidden("company", row.key):
                    report.add_error(
                        row.line,
                        None,
                        self.env._("This company was imported before, but you cannot see it: it cannot be updated."),
                    )
            else:
                row.key = csv_files.normalize_name(row.cells.get("name", "")) or None
            if row.key and row.key in seen:
                report.add_error(
                    row.line,
                    None,
                    self.env._("The same company as on line %(line)s.", line=seen[row.key]),
                )
            elif row.key:
                seen[row.key] = row.line

    def _resolve_parents(self, rows, mode, lookups, report):
        in_file = {row.key: row for row in rows if row.key}
        parent_of = {}
        for row in rows:
            token = row.cells.get("parent", "")
            row.vals["crm_parent_id"] = False
            if not token or (mode == INTEGRIA_EXPORT and token == "0"):
                continue
            key = token if mode == INTEGRIA_EXPORT else csv_files.normalize_name(token)
            if key in in_file and not (mode == POSITIONAL and token.isdigit()):
                parent_of[row.key] = row.parent_key = key
                continue
            parent = self._cell(row, "parent", mode, report, lookups.parent)
            if parent:
                row.vals["crm_parent_id"] = parent.id
                if row.existing and (parent == row.existing or row.existing.id in path_ids(parent.sudo().crm_path)):
                    report.add_error(
                        row.line,
                        self._column_number("parent", mode),
                        self.env._("%(parent)s hangs from this company already.", parent=parent.display_name),
                    )
        for key in csv_files.find_cycles(parent_of):
            row = in_file[key]
            report.add_error(
                row.line,
                self._column_number("parent", mode),
                self.env._(
                    "Parent cycle: %(chain)s.",
                    chain=" → ".join(in_file[item].cells.get("name", "") for item in self._chain(key, parent_of)),
                ),
            )

    @staticmethod
    def _chain(key, parent_of):
        chain = [key]
        while parent_of.get(chain[-1]) not in (None, key) and len(chain) <= len(parent_of):
            chain.append(parent_of[chain[-1]])
        return [*chain, key]

    # ------------------------------------------------------------------
    # Contracts: checks and values
    # ------------------------------------------------------------------
    def _prepare_contracts(self, rows, mode, report):
        lookups = _Lookups(self, mode)
        lookups.load_contracts(rows)
        numbers = {}
        for row in rows:
            if mode == INTEGRIA_EXPORT:
                self._check_contract_id(row, lookups, report)
            row.vals = self._contract_values(row, mode, lookups, report)
            contract_type = self.env["integria.contract.type"].browse(row.vals.get("type_id"))
            definition = self._custom_fields(contract_type.properties_definition)
            self._check_custom_count(row, definition, mode, report, first_custom=len(csv_files.CONTRACT_COLUMNS) + 1)
            row.vals["contract_properties"] = self._custom_values(row, definition, lookups, report)
            self._check_contract_number(row, mode, numbers, lookups, report)
        self._check_contract_ids(rows, report)
        lookups.warn_unused_columns(rows, report)
        if mode == INTEGRIA_EXPORT:
            self._keep_absent_columns(rows, CONTRACT_COLUMN_FIELDS, "contract_properties")

    @staticmethod
    def _keep_absent_columns(rows, column_fields, properties_field):
        """An export names its columns: the fields of the columns it lacks
        keep their value (or get their default), and so do the custom fields
        it lacks."""
        for row in rows:
            for column, field_names in column_fields.items():
                if column not in row.cells:
                    for field_name in field_names:
                        row.vals.pop(field_name, None)
            if row.existing and properties_field in row.vals:
                field = row.existing._fields[properties_field]
                current = field.convert_to_cache(row.existing[properties_field], row.existing) or {}
                row.vals[properties_field] = {**current, **row.vals[properties_field]}

    def _check_contract_id(self, row, lookups, report):
        row.key = row.cells.get("id") or None
        if not row.key:
            report.add_error(row.line, None, self.env._("The contract has no id."))
            return
        row.existing = lookups.imported("contract", row.key)
        if lookups.is_hidden("contract", row.key):
            report.add_error(
                row.line,
                None,
                self.env._("This contract was imported before, but you cannot see it: it cannot be updated."),
            )

    def _contract_values(self, row, mode, lookups, report):
        cells = row.cells
        if not cells.get("name"):
            report.add_error(row.line, self._column_number("name", mode), self.env._("The contract has no name."))
        contract_type = self._cell(row, "type", mode, report, lookups.contract_type)
        vals = {
            "name": cells.get("name", ""),
            "contract_number": cells.get("contract_number") or False,
            "description": cells.get("description") or False,
            "date_start": self._cell(row, "date_start", mode, report, csv_files.parse_date),
            "date_end": self._cell(row, "date_end", mode, report, csv_files.parse_date),
            "sla": cells.get("sla") or False,
            "support_group": cells.get("support_group") or False,
            "is_private": self._cell(row, "is_private", mode, report, csv_files.parse_bool) or False,
            "state": self._cell(row, "state", mode, report, _contract_state) or "active",
            "type_id": contract_type.id if contract_type else False,
        }
        company = self._cell(row, "company", mode, report, lookups.company)
        vals[CONTRACT_CUSTOMER_FIELD] = company.id if company else False
        if not cells.get("company"):
            report.add_error(row.line, self._column_number("company", mode), self.env._("The contract has no company."))
        if ("date_start" in cells or not row.existing) and csv_files.is_no_date(cells.get("date_start", "")):
            report.add_error(
                row.line, self._column_number("date_start", mode), self.env._("The contract has no start date.")
            )
        if vals["date_start"] and vals["date_end"] and vals["date_end"] < vals["date_start"]:
            report.add_error(
                row.line,
                self._column_number("date_end", mode),
                self.env._("The end date is before the start date."),
            )
        return vals

    def _check_contract_number(self, row, mode, numbers, lookups, report):
        number = row.vals.get("contract_number")
        if not number:
            return
        column = self._column_number("contract_number", mode)
        if number in numbers:
            report.add_error(
                row.line,
                column,
                self.env._("Contract number %(number)s is on line %(line)s too.", number=number, line=numbers[number]),
            )
            return
        numbers[number] = row.line
        existing = lookups.contract_numbers.get(number)
        if existing and existing != (row.existing and row.existing.id):
            report.add_error(
                row.line, column, self.env._("Another contract already has the number %(number)s.", number=number)
            )

    def _check_contract_ids(self, rows, report):
        seen = {}
        for row in rows:
            if row.key and row.key in seen:
                report.add_error(
                    row.line, None, self.env._("The same contract as on line %(line)s.", line=seen[row.key])
                )
            elif row.key:
                seen[row.key] = row.line

    # ------------------------------------------------------------------
    # Custom fields
    # ------------------------------------------------------------------
    @staticmethod
    def _custom_fields(definition):
        return [prop for prop in definition or [] if prop.get("type") != "separator"]

    def _check_custom_count(self, row, definition, mode, report, first_custom):
        if mode != POSITIONAL or len(row.custom) <= len(definition):
            return
        report.add_error(
            row.line,
            None,
            self.env._(
                "%(found)s columns where the layout has at most %(expected)s "
                "(%(custom)s custom fields after the %(fixed)s fixed columns).",
                found=first_custom - 1 + len(row.custom),
                expected=first_custom - 1 + len(definition),
                custom=len(definition),
                fixed=first_custom - 1,
            ),
        )

    def _custom_values(self, row, definition, lookups, report):
        if not definition:
            return {}
        if row.custom and row.custom[0][1] is not None:
            # an export names its custom fields in the header
            by_header = {}
            for prop in definition:
                by_header.setdefault(csv_files.normalize_name(prop.get("string") or prop["name"]), prop)
                by_header.setdefault(csv_files.normalize_name(prop["name"]), prop)
            pairs = [
                (number, by_header.get(csv_files.normalize_name(header)), text) for number, header, text in row.custom
            ]
            pairs = [pair for pair in pairs if pair[1]]
            lookups.used_headers.update(
                header for number, header, _text in row.custom if by_header.get(csv_files.normalize_name(header))
            )
        else:
            pairs = [
                (number, prop, text) for (number, _header, text), prop in zip(row.custom, definition, strict=False)
            ]
        values = {}
        for number, prop, text in pairs:
            try:
                value = csv_files.parse_property(prop, text)
                if prop["type"] in ("many2one", "many2many") and value:
                    value = lookups.related(prop, value)
            except CsvError as error:
                report.add_error(row.line, number, self._cell_message(prop.get("string") or prop["name"], error))
                continue
            values[prop["name"]] = value if value is not None else False
        return values

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def _write(self, kind, rows, mode, report, *, dry_run, progress):
        """Write every row in a savepoint: all or nothing. When a batch fails,
        write the rows again one by one, each in its own savepoint, to tell
        which rows the database or the access rules refuse, then roll back."""
        writer = self._write_companies if kind == "company" else self._write_contracts
        for row in rows:
            row.record = row.existing
        savepoint = self.env.cr.savepoint()
        try:
            writer(rows, mode, report, progress, BATCH_SIZE)
            self.env.flush_all()
        except (AccessError, UserError, ValidationError, psycopg2.Error) as error:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
            _logger.info("CSV import refused, looking for the rows: %s", error)
            self._locate_write_errors(writer, rows, mode, report, error)
            return
        savepoint.close(rollback=dry_run)
        if dry_run:
            self.env.invalidate_all()

    def _locate_write_errors(self, writer, rows, mode, report, first_error):
        for row in rows:
            row.record = row.existing
        savepoint = self.env.cr.savepoint()
        try:
            writer(rows, mode, report, None, 1)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        if report.ok:
            report.add_error(None, None, self._error_text(first_error))
        report.created = report.updated = 0
        report.record_ids = []

    def _write_batch(self, model, rows, report, batch_size, create_vals):
        """Create (or update) ``rows`` as ``model``; with ``batch_size`` 1,
        report each refused row instead of raising."""
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            new_rows = [row for row in chunk if not row.record]
            updated_rows = [row for row in chunk if row.record]
            try:
                with self.env.cr.savepoint():
                    created = model.create([create_vals(row) for row in new_rows])
                    for row, record in zip(new_rows, created, strict=True):
                        row.record = record
                    for row in updated_rows:
                        row.record.write(create_vals(row))
                    if batch_size == 1:
                        self.env.flush_all()
            except (AccessError, UserError, ValidationError, psycopg2.Error) as error:
                if batch_size != 1:
                    raise
                self.env.invalidate_all()
                for row in new_rows:
                    row.record = None
                for row in chunk:
                    report.add_error(row.line, None, self._error_text(error))
                continue
            report.created += len(new_rows)
            report.updated += len(updated_rows)
            report.record_ids.extend(row.record.id for row in chunk)
            if batch_size != 1:
                # the batch is in the database: keep the memory of big files flat
                self.env.flush_all()
                self.env.invalidate_all()

    def _write_companies(self, rows, mode, report, progress, batch_size):
        partners = self.env["res.partner"]
        by_key = {row.key: row for row in rows if row.key}
        parent_keys = {row.key: row.parent_key for row in rows if row.parent_key}
        waves = csv_files.creation_waves([row.key or index for index, row in enumerate(rows)], parent_keys)
        row_of = {row.key or index: row for index, row in enumerate(rows)}
        done, total = 0, len(rows)

        def values(row):
            vals = dict(row.vals)
            if row.key in parent_keys:
                parent_row = by_key[parent_keys[row.key]]
                vals["crm_parent_id"] = parent_row.record.id if parent_row.record else False
            return vals

        for wave in waves:
            wave_rows = [row_of[key] for key in wave]
            new_before = {id(row) for row in wave_rows if not row.record}
            self._write_batch(partners, wave_rows, report, batch_size, values)
            if mode == INTEGRIA_EXPORT:
                self._keep_xmlids("company", [row for row in wave_rows if id(row) in new_before and row.record])
            done += len(wave_rows)
            if progress:
                progress(done, total)

    def _write_contracts(self, rows, mode, report, progress, batch_size):
        contracts = self.env["integria.contract"]
        total = len(rows)
        for start in range(0, total, BATCH_SIZE):
            chunk = rows[start : start + BATCH_SIZE]
            new_before = {id(row) for row in chunk if not row.record}
            self._write_batch(contracts, chunk, report, batch_size, lambda row: row.vals)
            if mode == INTEGRIA_EXPORT:
                self._keep_xmlids("contract", [row for row in chunk if id(row) in new_before and row.record])
            if progress:
                progress(min(start + BATCH_SIZE, total), total)

    def _keep_xmlids(self, kind, rows):
        if not rows:
            return
        names = [xmlid_name(kind, row.key) for row in rows]
        # the external ids of records deleted since an earlier import
        self.env.cr.execute("DELETE FROM ir_model_data WHERE module = %s AND name = ANY(%s)", [XMLID_MODULE, names])
        self.env["ir.model.data"].sudo().create(
            [
                {
                    "module": XMLID_MODULE,
                    "name": xmlid_name(kind, row.key),
                    "model": row.record._name,
                    "res_id": row.record.id,
                    "noupdate": True,
                }
                for row in rows
            ]
        )

    # ------------------------------------------------------------------
    # Cells and messages
    # ------------------------------------------------------------------
    def _cell(self, row, column, mode, report, parse):
        """Return ``parse(text)`` for the cell ``column`` of ``row``; on an
        error, report it at its line and column and return ``False``."""
        text = row.cells.get(column, "")
        try:
            return parse(text)
        except CsvError as error:
            report.add_error(
                row.line, self._column_number(column, mode), self._cell_message(self._column_labels()[column], error)
            )
            return False

    def _column_number(self, column, mode):
        """The 1-based column of ``column`` in a positional file (``None`` in
        an export, whose columns are named in the report)."""
        if mode != POSITIONAL:
            return None
        for columns in (csv_files.COMPANY_COLUMNS, csv_files.CONTRACT_COLUMNS):
            if column in columns:
                return columns.index(column) + 1
        return None

    def _cell_message(self, label, error):
        return self.env._("%(column)s: %(reason)s", column=label, reason=self._csv_message(error))

    def _csv_message(self, error):
        params = error.params
        messages = {
            "empty": lambda: self.env._("The file is empty."),
            "too_big": lambda: self.env._(
                "The file is %(size)s MB: the web import takes files up to %(limit)s MB. "
                "Import bigger files with the command line: odoo integria_csv --import (see the README).",
                **params,
            ),
            "binary": lambda: self.env._(
                "This is not a CSV file: it holds binary data (a spreadsheet, an archive or an image?). "
                "Save it as CSV first."
            ),
            "encoding": lambda: self.env._(
                "The file is not UTF-8 text: line %(line)s holds the byte %(byte)s. "
                "Save it as CSV UTF-8 (or UTF-16) and import it again.",
                **params,
            ),
            "syntax": lambda: self.env._("Line %(line)s cannot be read as CSV: %(detail)s.", **params),
            "no_header": lambda: self.env._(
                "An Integria export starts with a header row naming its columns (id, name...); "
                "the first line names none. Choose the layout typed by hand for files without a header."
            ),
            "date": lambda: self.env._("%(value)r is not a date: write it as 2017-07-25 or 25/07/2017.", **params),
            "datetime": lambda: self.env._(
                "%(value)r is not a date and time: write it as 2017-07-25 10:30:00 or 25/07/2017 10:30.", **params
            ),
            "boolean": lambda: self.env._("%(value)r is not a yes/no value: write 1 or 0.", **params),
            "integer": lambda: self.env._("%(value)r is not a whole number.", **params),
            "number": lambda: self.env._("%(value)r is not a number.", **params),
            "choice": lambda: self.env._("%(value)r is not one of: %(choices)s.", **params),
            "unknown": lambda: self.env._("%(value)r: %(what)s.", **params),
        }
        return messages[error.code]() if error.code in messages else str(error)

    def _error_text(self, error):
        if isinstance(error, psycopg2.Error):
            return self.env._("The database refused the row: %(detail)s", detail=(error.pgerror or str(error)).strip())
        return str(error.args[0] if error.args else error)

    def _column_labels(self):
        return {
            "name": self.env._("Name"),
            "address": self.env._("Address"),
            "vat": self.env._("Fiscal ID"),
            "country": self.env._("Country"),
            "website": self.env._("Website"),
            "comment": self.env._("Comments"),
            "role": self.env._("Role"),
            "parent": self.env._("Parent company"),
            "manager": self.env._("Manager"),
            "last_update": self.env._("Last update"),
            "payment_conditions": self.env._("Payment conditions"),
            "contract_number": self.env._("Contract number"),
            "description": self.env._("Description"),
            "date_start": self.env._("Start date"),
            "date_end": self.env._("End date"),
            "company": self.env._("Company"),
            "sla": self.env._("SLA"),
            "support_group": self.env._("Group"),
            "is_private": self.env._("Private"),
            "state": self.env._("Status"),
            "type": self.env._("Contract type"),
        }


def xmlid_name(kind, key):
    """The name of the kept external id of Integria's record ``key``."""
    return f"{XMLID_PREFIX[kind]}_{re.sub(r'[^0-9A-Za-z_-]', '_', str(key))}"


def _megabytes(size):
    return round(size / 1024 / 1024, 1)


def _payment_conditions(text):
    if not text or text == "0":
        return False
    return csv_files.parse_choice(text, [(days, days) for days in csv_files.PAYMENT_CONDITIONS])


def _contract_state(text):
    if not text:
        return False
    text = csv_files.STATUS_CODES.get(text.strip(), STATE_WORDS.get(csv_files.normalize_name(text), text))
    return csv_files.parse_choice(text, STATE_CHOICES)


class _Lookups:
    """The records a file names (countries, roles, users, companies, types),
    looked up in batches through the importing user's access rights."""

    def __init__(self, importer, mode):
        self.importer, self.env, self.mode = importer, importer.env, mode
        self._cache = {}
        self._countries = None
        self.contract_numbers = {}
        self.hidden = set()  # (kind, key) imported before, that the user cannot see
        self.used_headers = set()

    def unknown(self, value, what):
        return CsvError("unknown", value=value, what=what)

    # kept external ids
    def imported(self, kind, key):
        """The record imported before from Integria's ``key``, as the user sees it."""
        if (kind, key) not in self._cache:
            self._load_xmlids(kind, [key])
        return self._cache[kind, key]

    def is_hidden(self, kind, key):
        return (kind, key) in self.hidden

    def warn_unused_columns(self, rows, report):
        """Warn of the columns of an export that neither the layout nor a
        custom field reads."""
        headers = {header for row in rows for _number, header, _text in row.custom if header}
        for header in sorted(headers - self.used_headers):
            report.warnings.append(
                self.env._("The column %(column)s is neither in the layout nor a custom field: ignored.", column=header)
            )

    def load_companies(self, rows):
        if self.mode == INTEGRIA_EXPORT:
            self._load_xmlids(
                "company", [row.cells.get("id") for row in rows] + [row.cells.get("parent") for row in rows]
            )
            self._load_xmlids("role", [row.cells.get("role") for row in rows])

    def load_contracts(self, rows):
        if self.mode == INTEGRIA_EXPORT:
            self._load_xmlids("contract", [row.cells.get("id") for row in rows])
            self._load_xmlids("company", [row.cells.get("company") for row in rows])
            self._load_xmlids("type", [row.cells.get("type") for row in rows])
        numbers = [row.cells["contract_number"] for row in rows if row.cells.get("contract_number")]
        for start in range(0, len(numbers), 10000):
            self.env.cr.execute(
                "SELECT contract_number, id FROM integria_contract WHERE contract_number = ANY(%s)",
                [numbers[start : start + 10000]],
            )
            self.contract_numbers.update(self.env.cr.fetchall())

    def _load_xmlids(self, kind, keys):
        keys = {key for key in keys if key}
        names = {xmlid_name(kind, key): key for key in keys}
        found = {}
        name_list = list(names)
        for start in range(0, len(name_list), 10000):
            self.env.cr.execute(
                "SELECT name, model, res_id FROM ir_model_data WHERE module = %s AND name = ANY(%s)",
                [XMLID_MODULE, name_list[start : start + 10000]],
            )
            for name, model, res_id in self.env.cr.fetchall():
                found[names[name]] = (model, res_id)
        by_model = {}
        for key, (model, res_id) in found.items():
            by_model.setdefault(model, {})[res_id] = key
        for key in keys:
            self._cache[kind, key] = None
        for model, keys_of_id in by_model.items():
            records = self.env[model].with_context(active_test=False).search([("id", "in", list(keys_of_id))])
            for record in records:
                self._cache[kind, keys_of_id[record.id]] = record
            existing = self.env[model].sudo().browse(list(keys_of_id)).exists()
            for res_id in set(existing.ids) - set(records.ids):
                self.hidden.add((kind, keys_of_id[res_id]))

    # countries
    def country(self, text):
        if not text:
            return False
        if self._countries is None:
            self._countries = self._country_names()
        country_id = self._countries.get(csv_files.normalize_name(text))
        if not country_id:
            raise self.unknown(text, self.env._("no country has this name or code"))
        return country_id

    def _country_names(self):
        countries = self.env["res.country"].sudo().search([])
        names = {}
        languages = {"en_US", "es_ES", self.env.lang or "en_US"} & {
            code for code, _name in self.env["res.lang"].get_installed()
        } | {"en_US"}
        for lang in languages:
            for country in countries.with_context(lang=lang):
                names.setdefault(csv_files.normalize_name(country.name), country.id)
        by_code = {country.code.upper(): country.id for country in countries if country.code}
        for locale in ("es", "en"):
            for code, name in _babel_territories(locale).items():
                if code in by_code:
                    names.setdefault(csv_files.normalize_name(name), by_code[code])
        for code, country_id in by_code.items():
            names[csv_files.normalize_name(code)] = country_id
        return names

    # roles, users, types
    def role(self, text):
        return self._by_id_or_name("integria.crm.role", "role", text, self.env._("no role has this id or name")).id

    def contract_type(self, text):
        return self._by_id_or_name(
            "integria.contract.type", "type", text, self.env._("no contract type has this id or name")
        )

    def _by_id_or_name(self, model, kind, text, what):
        if not text or (self.mode == INTEGRIA_EXPORT and text == "0"):
            return self.env[model]
        if (model, text) in self._cache:
            return self._cache[model, text]
        record = self.env[model]
        if self.mode == INTEGRIA_EXPORT and text.isdigit():
            record = self.imported(kind, text) or self.env[model]
        if not record and text.isdigit():
            record = self.env[model].search([("id", "=", int(text))])
        if not record:
            record = self._by_name(model, text)
        if not record:
            raise self.unknown(text, what)
        self._cache[model, text] = record
        return record

    def _by_name(self, model, text, domain=()):
        # =ilike: the case does not matter, but % and _ are not wildcards here
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        records = self.env[model].search([*domain, ("name", "=ilike", pattern)], limit=2)
        if len(records) > 1:
            raise self.unknown(text, self.env._("several records have this name: give the id"))
        return records

    def user(self, text):
        if ("user", text) not in self._cache:
            user = self.env["res.users"].search([("login", "=", text), ("share", "=", False)], limit=1)
            if not user:
                raise self.unknown(text, self.env._("no internal user has this login"))
            self._cache["user", text] = user.id
        return self._cache["user", text]

    # companies
    def parent(self, text):
        """A parent company in the database (positional: id or name; export:
        Integria's id of a company imported before)."""
        return self._company(
            text, [("is_company", "=", True)], self.env._("no company you can see has this id or name")
        )

    def company(self, text):
        """The CRM company of a contract, as the parent above."""
        if not text:
            return False
        return self._company(
            text, [("is_crm_company", "=", True)], self.env._("no CRM company you can see has this id or name")
        )

    def _company(self, text, domain, what):
        if self.mode == INTEGRIA_EXPORT:
            record = self.imported("company", text)
            if not record and self.is_hidden("company", text):
                raise self.unknown(text, self.env._("this company was imported before, but you cannot see it"))
            if not record:
                raise self.unknown(text, self.env._("no company has this id in the file or in an earlier import"))
            return record
        key = ("company", tuple(domain), text)
        if key not in self._cache:
            partners = self.env["res.partner"]
            record = partners.search([*domain, ("id", "=", int(text))]) if text.isdigit() else partners
            if not record:
                record = self._by_name("res.partner", text, domain)
            if not record:
                raise self.unknown(text, what)
            self._cache[key] = record
        return self._cache[key]

    def related(self, prop, tokens):
        """The ids of the records a relational custom field names."""
        comodel = self.env[prop["comodel"]]
        ids = []
        for token in tokens:
            key = ("related", comodel._name, token)
            if key not in self._cache:
                record = comodel.search([("id", "=", int(token))]) if token.isdigit() else comodel
                if not record:
                    record = comodel.search([(comodel._rec_name or "id", "=", token)], limit=2)
                if len(record) != 1:
                    raise self.unknown(token, self.env._("no single record you can see has this id or name"))
                self._cache[key] = record.id
            ids.append(self._cache[key])
        return ids[0] if prop["type"] == "many2one" else ids


def _babel_territories(locale):
    try:
        from babel import Locale

        return Locale.parse(locale).territories
    except (ImportError, ValueError):
        return {}
