"""The CSV import engine: one way to read, check and write every kind of record.

What a kind of record (company, contract; next contacts, invoices, leads)
brings is its *specification*, an abstract model ``integria.crm.csv.<kind>``
inheriting ``integria.crm.csv.kind`` (``integria_crm_csv_kind.py``): its
columns, its values, its checks. The engine does the rest, the same way for
every kind: it decodes the file, reads the rows of either layout, checks
every row first (the report names line, column and reason), then writes the
rows in batches in one savepoint (all or nothing), keeps Integria's ids as
external ids through Odoo's ``_load_records``, logs where each created
record came from in its chatter, and explains a refusal in words.
"""

import logging
import os
from typing import NamedTuple

import psycopg2
from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import csv_files
from ..tools.csv_files import POSITIONAL, CsvError
from .integria_crm_csv_lookups import CsvLookups

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Creating records is tracked neither by the tracking nor in the followers:
# the import logs its own line in each chatter.
IMPORT_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
WRITE_ERRORS = (AccessError, UserError, ValidationError, psycopg2.Error)


class Column(NamedTuple):
    """A column of a kind of record: ``key`` names it in the rows, ``header``
    in an Integria export, ``label`` in the report; ``fields`` are the
    fields it sets (an export without the column keeps them);
    ``positional`` columns make the typed-by-hand layout, in order. (The
    label comes last: the translation extractor takes the strings that
    follow a translated one in a call for translatable too.)"""

    key: str
    header: str
    fields: tuple
    label: str
    positional: bool = True


class ImportReport:
    """What an import did, or would do: one entry per row, the errors with
    their line and column, the counts. Errors mean nothing was written."""

    def __init__(self, kind, mode, dry_run):
        self.kind, self.mode, self.dry_run = kind, mode, dry_run
        self.rows = []  # {"line", "name", "status": new/update/skip/error, "messages"}
        self.errors = []  # {"line", "column", "message"}
        self.warnings = []
        self.mappings = []  # what the file's ids were taken for, to confirm
        self.created = self.updated = self.skipped = 0
        self.record_ids = []
        self._row_of_line = {}

    @property
    def ok(self):
        return not self.errors

    def add_row(self, line, name):
        row = {"line": line, "name": name, "status": "new", "messages": []}
        self.rows.append(row)
        self._row_of_line[line] = row

    def set_status(self, line, status):
        row = self._row_of_line.get(line)
        if row and row["status"] != "error":
            row["status"] = status

    def add_error(self, line, column, message):
        self.errors.append({"line": line, "column": column, "message": message})
        if row := self._row_of_line.get(line):
            row["status"] = "error"
            row["messages"].append(message)

    def add_mapping(self, text):
        if text not in self.mappings:
            self.mappings.append(text)

    def to_dict(self):
        return {
            "kind": self.kind,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": self.rows,
            "errors": sorted(self.errors, key=lambda error: (error["line"] or 0, error["column"] or 0)),
            "warnings": self.warnings,
            "mappings": self.mappings,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "record_ids": self.record_ids,
        }


class CsvRow:
    """A record of the file: its line, its cells and their column numbers by
    key, its custom field cells (``(column number, header or None, text)``)."""

    __slots__ = ("cells", "custom", "existing", "key", "line", "numbers", "parent_key", "record", "skip", "vals")

    def __init__(self, line, cells, numbers, custom):
        self.line, self.cells, self.numbers, self.custom = line, cells, numbers, custom
        # key: the row's id in the file; existing: the record it updates;
        # record: the record written; parent_key: the key of its parent when
        # the parent is in the file too
        self.key = self.existing = self.record = self.parent_key = None
        self.skip = False
        self.vals = {}


class ImportRun:
    """One import of one file: the kind's specification, the layout, the
    options, the rows, the lookups and the report."""

    def __init__(self, engine, spec, mode, options, report):
        self.engine, self.spec, self.mode, self.report = engine, spec, mode, report
        self.env = engine.env
        self.options = options
        self.xmlid_module = options.get("xmlid_module") or csv_files.XMLID_MODULE
        self.columns = spec._csv_columns()
        self.label_of = {column.key: column.label for column in self.columns}
        self.rows = []
        self.by_key = {}  # the rows by their key, for the kinds whose rows point to each other
        self.lookups = CsvLookups(self)

    @property
    def positional(self):
        return self.mode == POSITIONAL

    def error(self, row, column, message):
        """Report ``message`` at ``row``; ``column`` is a key or a number."""
        number = row.numbers.get(column) if isinstance(column, str) else column
        self.report.add_error(row.line, number, message)

    def cell(self, row, key, parse):
        """Return ``parse(text)`` for the cell ``key`` of ``row``; on an
        error, report it at its line and column and return ``False``."""
        try:
            return parse(row.cells.get(key, ""))
        except CsvError as error:
            self.error(row, key, self.engine._cell_message(self.label_of[key], error))
            return False

    def column_text(self, row, key):
        """``column 8`` for the report's explanations."""
        return self.env._("column %(number)s", number=row.numbers.get(key) or self.label_of[key])


class IntegriaCrmCsvImport(models.AbstractModel):
    """Import of CRM records from Integria's CSV layouts.

    One piece of code serves the web wizard, the ``odoo integria_csv``
    command and the Integria migration. Every row is checked first (layout,
    values, lookups through the importing user's access rights, duplicates,
    parent cycles); only a file without errors is written, in one savepoint
    and in batches: all or nothing. A dry run does the same and rolls back.
    """

    _name = "integria.crm.csv.import"
    _description = "CRM CSV Import"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def import_csv(self, kind, data, mode=POSITIONAL, *, dry_run=False, progress=None, max_bytes=None, options=None):
        """Import the CSV ``data`` (bytes) of ``kind`` records.

        :param kind: ``"company"`` or ``"contract"`` (any kind with an
            ``integria.crm.csv.<kind>`` specification)
        :param mode: ``"positional"`` (typed by hand) or ``"export"`` (written by Integria)
        :param dry_run: check and write in a savepoint that is rolled back (the preview)
        :param progress: called as ``progress(done, total)`` while writing
        :param max_bytes: refuse larger files (the web client's limit)
        :param options: ``file_name`` (for the chatter lines),
            ``contract_type_id`` (the type of contracts whose file has none),
            ``existing`` (``"update"`` or ``"skip"`` the companies of a
            positional file that exist already)
        :return: the report, as a dict (see :class:`ImportReport`)
        """
        self._check_import_rights()
        spec_name = f"integria.crm.csv.{kind}"
        if spec_name not in self.env or mode not in csv_files.LAYOUTS:
            raise UserError(self.env._("Unknown import: %(kind)s in the %(mode)s layout.", kind=kind, mode=mode))
        engine = self.with_context(**IMPORT_CONTEXT)
        report = ImportReport(kind, mode, dry_run)
        run = ImportRun(engine, engine.env[spec_name], mode, dict(options or {}), report)
        engine._import(run, data, dry_run, progress, max_bytes)
        return report.to_dict()

    @api.model
    def import_records(self, kind, header, records, *, dry_run=False, progress=None, options=None):
        """Import rows already read, in the export layout: ``header`` names
        the columns as Integria's export does, ``records`` yields
        ``(line, cells)``. The Integria migration reads its rows from
        Integria's database and hands them over here; ``options`` as for
        :meth:`import_csv`, plus ``xmlid_module``, the namespace of the
        external ids kept for Integria's ids, and ``log_origin`` (false: no
        chatter line naming the file, for a caller that reports otherwise)."""
        self._check_import_rights()
        engine = self.with_context(**IMPORT_CONTEXT)
        report = ImportReport(kind, csv_files.INTEGRIA_EXPORT, dry_run)
        run = ImportRun(
            engine, engine.env[f"integria.crm.csv.{kind}"], csv_files.INTEGRIA_EXPORT, dict(options or {}), report
        )
        engine._read_export_records(run, list(header), records)
        engine._check_rows_and_write(run, dry_run, progress)
        return report.to_dict()

    def _import(self, run, data, dry_run, progress, max_bytes):
        try:
            if max_bytes and len(data) > max_bytes:
                raise CsvError("too_big", size=_megabytes(len(data)), limit=_megabytes(max_bytes))
            self._read_rows(run, csv_files.decode_bytes(data))
        except CsvError as error:
            run.report.add_error(error.params.get("line"), None, self._csv_message(error))
            return
        self._check_rows_and_write(run, dry_run, progress)

    def _check_rows_and_write(self, run, dry_run, progress):
        self._check_export_keys(run)
        run.spec._csv_prepare(run)
        run.lookups.warn_unused_columns()
        if not run.positional:
            self._keep_absent_columns(run)
        for row in run.rows:
            run.report.set_status(row.line, "skip" if row.skip else "update" if row.existing else "new")
        if run.report.ok and run.rows:
            self._write(run, dry_run=dry_run, progress=progress)

    def _check_import_rights(self):
        if not self.env.su and not self.env.user.has_group("integria_crm.group_crm_manage"):
            raise AccessError(self.env._("Only users with the CRM level Manage import companies and contracts."))

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------
    def _read_rows(self, run, text):
        if run.positional:
            self._read_positional(run, text)
        else:
            self._read_export(run, text)

    def _read_positional(self, run, text):
        columns = [column for column in run.columns if column.positional]
        numbers = {column.key: index for index, column in enumerate(columns, start=1)}
        for line, cells in csv_files.iter_rows(text, ","):
            values = dict(zip((column.key for column in columns), (cell.strip() for cell in cells), strict=False))
            custom = [(number, None, cell) for number, cell in enumerate(cells[len(columns) :], start=len(columns) + 1)]
            run.rows.append(CsvRow(line, values, numbers, custom))
            run.report.add_row(line, values.get("name", ""))
            if len(cells) < len(columns):
                run.report.add_error(
                    line,
                    None,
                    self.env._(
                        "%(found)s columns where the layout has at least %(expected)s: "
                        "%(columns)s, then the custom fields.",
                        found=len(cells),
                        expected=len(columns),
                        columns=", ".join(column.label for column in columns),
                    ),
                )

    def _read_export(self, run, text):
        records = csv_files.iter_rows(text, csv_files.guess_delimiter(text))
        try:
            _line, header = next(records)
        except StopIteration as error:
            raise CsvError("empty") from error
        self._read_export_records(run, header, records)

    def _read_export_records(self, run, header, records):
        known = {csv_files.normalize_header(column.header): column.key for column in run.columns}
        known.update(run.spec._csv_header_aliases())
        ignored = set(run.spec._csv_ignored_headers())
        mapping = {}
        for index, name in enumerate(header):
            folded = csv_files.normalize_header(name)
            mapping[index] = "id" if folded == "id" else known.get(folded, "" if folded in ignored else None)
        if run.spec._csv_header_key not in mapping.values():
            raise CsvError("no_header")
        numbers = {key: index + 1 for index, key in mapping.items() if key}
        for line, cells in records:
            values = {mapping[i]: cell.strip() for i, cell in enumerate(cells) if mapping.get(i)}
            custom = [
                (i + 1, header[i], cell) for i, cell in enumerate(cells) if i < len(header) and mapping[i] is None
            ]
            run.rows.append(CsvRow(line, values, numbers, custom))
            run.report.add_row(line, values.get("name", ""))
            if len(cells) != len(header):
                run.report.add_error(
                    line,
                    None,
                    self.env._(
                        "%(found)s columns where the header has %(expected)s.", found=len(cells), expected=len(header)
                    ),
                )

    # ------------------------------------------------------------------
    # Checks every kind shares
    # ------------------------------------------------------------------
    def _check_export_keys(self, run):
        """In an export, a row's ``id`` is Integria's (or, ``odoo-<id>``, the
        addon's own export): the record an earlier import made of it is
        updated; an id met twice is an error."""
        if run.positional:
            return
        run.lookups.load_keys(run.spec, [row.cells.get("id") for row in run.rows])
        seen = {}
        for row in run.rows:
            row.key = row.cells.get("id") or None
            if not row.key:
                run.error(row, "id", self.env._("The row has no id."))
                continue
            if row.key in seen:
                run.error(row, "id", self.env._("The same id as on line %(line)s.", line=seen[row.key]))
                continue
            seen[row.key] = row.line
            try:
                row.existing = run.lookups.imported(run.spec, row.key, required=csv_files.is_own_key(row.key))
            except CsvError as error:
                run.error(row, "id", self._csv_message(error))

    def _keep_absent_columns(self, run):
        """An export names its columns: the fields of the columns it lacks
        keep their value (or get their default), and so do the custom
        fields it lacks."""
        header_keys = set(run.rows[0].numbers) if run.rows else set()
        chosen = run.spec._csv_fields_from_options(run)
        for column in run.columns:
            if column.key not in header_keys:
                for row in run.rows:
                    for field_name in set(column.fields) - chosen:
                        row.vals.pop(field_name, None)
        properties = run.spec._csv_properties_field
        for row in run.rows:
            if properties and row.existing and properties in row.vals:
                field = row.existing._fields[properties]
                current = field.convert_to_cache(row.existing[properties], row.existing) or {}
                row.vals[properties] = {**current, **row.vals[properties]}

    def _check_custom_count(self, run, row, definition):
        fixed = len([column for column in run.columns if column.positional])
        if not run.positional or len(row.custom) <= len(definition):
            return
        run.error(
            row,
            None,
            self.env._(
                "%(found)s columns where the layout has at most %(expected)s "
                "(%(custom)s custom fields after the %(fixed)s fixed columns).",
                found=fixed + len(row.custom),
                expected=fixed + len(definition),
                custom=len(definition),
                fixed=fixed,
            ),
        )

    def _custom_values(self, run, row, definition):
        """The custom field values of ``row``: in order in a positional file,
        by their label (or technical name) in an export."""
        self._check_custom_count(run, row, definition)
        if not definition:
            return {}
        if run.positional:
            pairs = [
                (number, prop, text) for (number, _header, text), prop in zip(row.custom, definition, strict=False)
            ]
        else:
            by_header = {}
            for prop in definition:
                by_header.setdefault(csv_files.normalize_name(prop.get("string") or prop["name"]), prop)
                by_header.setdefault(csv_files.normalize_name(prop["name"]), prop)
            pairs = [
                (number, by_header[csv_files.normalize_name(header)], text)
                for number, header, text in row.custom
                if csv_files.normalize_name(header) in by_header
            ]
            run.lookups.used_headers.update(
                header for _number, header, _text in row.custom if csv_files.normalize_name(header) in by_header
            )
        values = {}
        for number, prop, text in pairs:
            try:
                value = csv_files.parse_property(prop, text)
                if prop["type"] in ("many2one", "many2many") and value:
                    value = run.lookups.related(prop, value)
            except CsvError as error:
                run.error(row, number, self._cell_message(prop.get("string") or prop["name"], error))
                continue
            values[prop["name"]] = value if value is not None else False
        return values

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def _write(self, run, *, dry_run, progress):
        """Write every row in a savepoint: all or nothing. When a batch fails,
        write the rows again one by one, each in its own savepoint, to tell
        which rows are refused and why, then roll back."""
        savepoint = self.env.cr.savepoint()
        try:
            self._write_rows(run, progress, BATCH_SIZE)
            self.env.flush_all()
        except WRITE_ERRORS as error:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
            _logger.info("CSV import refused, looking for the rows: %s", error)
            self._locate_write_errors(run, error)
            return
        savepoint.close(rollback=dry_run)
        if dry_run:
            self.env.invalidate_all()

    def _write_rows(self, run, progress, batch_size):
        for row in run.rows:
            row.record = row.existing
        written = [row for row in run.rows if not row.skip]
        run.report.skipped = len(run.rows) - len(written)
        done, total = 0, len(written)
        for wave in run.spec._csv_waves(run, written):
            for start in range(0, len(wave), batch_size):
                chunk = wave[start : start + batch_size]
                self._write_batch(run, chunk, batch_size)
                done += len(chunk)
                if progress and batch_size != 1:
                    progress(done, total)

    def _write_batch(self, run, rows, batch_size):
        """Create or update ``rows``; with ``batch_size`` 1, report a refused
        row instead of raising."""
        model = self.env[run.spec._csv_model]
        new_rows = [row for row in rows if not row.record]
        existing_rows = [row for row in rows if row.record]
        try:
            with self.env.cr.savepoint():
                created = self._create_records(run, model, new_rows)
                for row in existing_rows:
                    row.record.write(run.spec._csv_values(run, row))
                if batch_size == 1:
                    self.env.flush_all()
        except WRITE_ERRORS as error:
            if batch_size != 1:
                raise
            self.env.invalidate_all()
            for row in new_rows:
                row.record = None
            for row in rows:
                run.error(row, None, self._refusal_text(run, row, error))
            return
        run.report.created += len(new_rows)
        run.report.updated += len(rows) - len(new_rows)
        run.report.record_ids.extend(row.record.id for row in rows)
        self._log_origin(run, created, new_rows)
        if batch_size != 1:
            # the batch is in the database: keep the memory of big files flat
            self.env.flush_all()
            self.env.invalidate_all()

    def _create_records(self, run, model, rows):
        """Create ``rows``' records; those of an Integria export get
        Integria's id as an external id (Odoo's ``_load_records``), so that
        importing the file again updates them."""
        if not rows:
            return model
        if run.positional:
            records = model.create([run.spec._csv_values(run, row) for row in rows])
        else:
            records = model._load_records(
                [
                    {
                        "xml_id": csv_files.integria_xmlid(run.spec._csv_xmlid_prefix, row.key, run.xmlid_module),
                        "values": run.spec._csv_values(run, row),
                        "noupdate": True,
                    }
                    for row in rows
                ]
            )
        for row, record in zip(rows, records, strict=True):
            row.record = record
        return records

    def _log_origin(self, run, records, rows):
        """A chatter line on each created record: the file, the line, who imported it."""
        if not records or not hasattr(records, "_message_log_batch") or not run.options.get("log_origin", True):
            return
        # translated once per batch, the line number put in per record
        text = self.env._(
            "Imported from %(file)s, line %(line)s, by %(user)s.",
            file=os.path.basename(run.options.get("file_name") or "") or self.env._("a CSV file"),
            line="\x00",
            user=self.env.user.name,
        )
        before, _mark, after = (Markup("<p>%s</p>") % text).partition("\x00")
        records._message_log_batch(bodies={row.record.id: Markup(f"{before}{row.line}{after}") for row in rows})

    def _locate_write_errors(self, run, first_error):
        savepoint = self.env.cr.savepoint()
        try:
            self._write_rows(run, None, 1)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        if run.report.ok:
            run.report.add_error(None, None, self._error_text(first_error))
        run.report.created = run.report.updated = 0
        run.report.record_ids = []

    def _refusal_text(self, run, row, error):
        if isinstance(error, AccessError):
            reason = run.spec._csv_explain_refusal(run, row)
            return reason or self.env._(
                "The access rules refuse this record to you (%(model)s): you would not be allowed to see "
                "or change it. Import it as an administrator, or change its owner or its company.",
                model=self.env["ir.model"]._get(run.spec._csv_model).name,
            )
        return self._error_text(error)

    # ------------------------------------------------------------------
    # Messages: the one catalog
    # ------------------------------------------------------------------
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


def _megabytes(size):
    return round(size / 1024 / 1024, 1)
