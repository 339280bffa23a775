"""The records a CSV file names, looked up for the import engine.

Countries, users, records by id or name (in any installed language), the
records of an earlier Integria import (external ids) and of the addon's own
export (``odoo-<id>``): each looked up once per file, in batches, through
the importing user's access rights.
"""

from ..tools import csv_files
from ..tools.csv_files import CsvError


class CsvLookups:
    def __init__(self, run):
        self.run, self.env = run, run.env
        self._cache = {}
        self.hidden = set()  # (prefix, key) imported before, that the user cannot see
        self.used_headers = set()
        self.contract_numbers = {}

    @staticmethod
    def unknown(value, what):
        return CsvError("unknown", value=value, what=what)

    # ------------------------------------------------------------------
    # Records of an earlier import, or of the addon's own export
    # ------------------------------------------------------------------
    def load_keys(self, spec, keys):
        """Look the records of ``keys`` (Integria's ids or ``odoo-<id>``) up at once."""
        prefix, model = spec._csv_xmlid_prefix, self.env[spec._csv_model].with_context(active_test=False)
        keys = {key for key in keys if key and (spec._csv_xmlid_prefix, key) not in self._cache}
        res_ids = {key: csv_files.own_id(key) for key in keys if csv_files.is_own_key(key)}
        module = self.run.xmlid_module
        xmlids = {csv_files.integria_xmlid(prefix, key, module): key for key in keys if key not in res_ids}
        for xml_id_rows in _chunks(list(xmlids), 10000):
            for row in self.env["ir.model.data"].sudo()._lookup_xmlids(xml_id_rows, model):
                _id, module, name, row_model, res_id, _noupdate, record_id = row
                if row_model == model._name and record_id:
                    res_ids[xmlids[f"{module}.{name}"]] = res_id
        for key in keys:
            self._cache[prefix, key] = None
        wanted = {res_id: key for key, res_id in res_ids.items() if res_id}
        for id_chunk in _chunks(list(wanted), 10000):
            visible = model.search([("id", "in", id_chunk)])
            for record in visible:
                self._cache[prefix, wanted[record.id]] = record
            for res_id in set(model.sudo().browse(id_chunk).exists().ids) - set(visible.ids):
                self.hidden.add((prefix, wanted[res_id]))

    def load_cell_keys(self, spec, rows, column):
        """Look up at once the records of ``spec`` that the cells ``column``
        of ``rows`` name (Integria's 0 names none)."""
        self.load_keys(spec, {row.cells.get(column) for row in rows} - {"", "0", None})

    def imported(self, spec, key, required=False):
        """The record ``key`` names (an earlier import's or the addon's own
        export's), as the user sees it; ``None`` when there is none, unless
        ``required``. A record the user cannot see is an error."""
        prefix = spec._csv_xmlid_prefix
        if (prefix, key) not in self._cache:
            self.load_keys(spec, [key])
        if (prefix, key) in self.hidden:
            raise self.unknown(key, self.env._("this record was imported before, but you cannot see it"))
        record = self._cache[prefix, key]
        if not record and required:
            raise self.unknown(key, self.env._("no record you can see has this id of the addon's export"))
        return record

    def warn_unused_columns(self):
        """Warn of the columns of an export that neither the layout nor a
        custom field reads."""
        headers = {header for row in self.run.rows for _number, header, _text in row.custom if header}
        for header in sorted(headers - self.used_headers):
            self.run.report.warnings.append(
                self.env._("The column %(column)s is neither in the layout nor a custom field: ignored.", column=header)
            )

    # ------------------------------------------------------------------
    # Countries, users
    # ------------------------------------------------------------------
    def country(self, text):
        if not text:
            return False
        if ("country", text) not in self._cache:
            country = self.env["res.country"]._integria_find_country(text)
            if not country:
                raise self.unknown(text, self.env._("no country has this name or code"))
            self._cache["country", text] = country.id
        return self._cache["country", text]

    def user(self, login):
        if ("user", login) not in self._cache:
            # the Integria migration brings former users as archived users
            active_test = not self.run.options.get("archived_users")
            user = self.env["res.users"].with_context(active_test=active_test)._integria_find_login(login)
            if not user:
                raise self.unknown(login, self.env._("no internal user has this login"))
            self._cache["user", login] = user.id
        return self._cache["user", login]

    # ------------------------------------------------------------------
    # Records by id or name
    # ------------------------------------------------------------------
    def by_id_or_name(self, model, text, what, domain=()):
        """The record of ``model`` that ``text`` names by id or by name (in
        any installed language, English included), or an empty recordset
        for an empty ``text``."""
        records = self.env[model]
        if not text:
            return records
        key = (model, tuple(domain), text)
        if key not in self._cache:
            record = records.search([*domain, ("id", "=", int(text))]) if text.isdigit() else records
            if not record:
                record = self.by_name(model, text, domain)
            if not record:
                raise self.unknown(text, what)
            self._cache[key] = record
        return self._cache[key]

    def by_name(self, model, text, domain=()):
        # =ilike: the case does not matter, but % and _ are not wildcards here
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        records = self.env[model]
        languages = [self.env.lang or "en_US"]
        if records._fields["name"].translate:
            languages += [code for code, _name in self.env["res.lang"].get_installed() if code not in languages]
        for lang in languages:
            found = records.with_context(lang=lang).search([*domain, ("name", "=ilike", pattern)], limit=2)
            if len(found) > 1:
                raise self.unknown(text, self.env._("several records have this name: give the id"))
            if found:
                return found.with_context(lang=self.env.lang)
        return records

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


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
