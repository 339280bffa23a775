from odoo import api, models
from odoo.tools.mail import html2plaintext

from ..tools import csv_files
from ..tools.csv_files import INTEGRIA_EXPORT, POSITIONAL
from ..tools.custom_fields import value_fields
from .integria_contract import STATE_CODES

BATCH_SIZE = 1000


class IntegriaCrmCsvExport(models.AbstractModel):
    """Export of CRM companies and contracts in the layouts the import reads.

    The values are written as they are, quoted by the csv module where they
    hold a delimiter, a quote or a line break (Integria turned commas into
    dots and dropped the custom fields). In Integria's layout every record
    is named by an id that the import matches to the record again: the id
    Integria gave it when it came from an Integria import, ``odoo-<id>``
    otherwise (a namespace of the addon's own, apart from Integria's ids).
    The export reads only: it writes nothing to the database.
    """

    _name = "integria.crm.csv.export"
    _description = "CRM CSV Export"

    @api.model
    def export_csv(self, kind, records=None, mode=POSITIONAL, progress=None):
        """Return the CSV file (bytes) of ``records`` (by default every
        company or contract the user sees) in the ``mode`` layout."""
        if records is None:
            records = self._default_records(kind)
        if kind == "company":
            header, rows = self._company_rows(records, mode, progress)
        else:
            header, rows = self._contract_rows(records, mode, progress)
        if mode == INTEGRIA_EXPORT:
            text = csv_files.write_csv(rows, delimiter=";", header=header)
        else:
            text = csv_files.write_csv(rows, delimiter=",")
        return csv_files.encode_text(text, bom=mode == INTEGRIA_EXPORT)

    @api.model
    def action_download(self, kind, record_ids, mode):
        """Download the export of the records (nothing is stored)."""
        ids = ",".join(str(record_id) for record_id in record_ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/integria_crm/csv_export/{kind}/{mode}?ids={ids}",
            "target": "self",
        }

    @api.model
    def _file_name(self, kind, mode):
        name = "companies" if kind == "company" else "contracts"
        return f"{name}-{'integria' if mode == INTEGRIA_EXPORT else 'positional'}.csv"

    def _model(self, kind):
        return self.env["res.partner" if kind == "company" else "integria.contract"]

    def _default_records(self, kind):
        if kind == "company":
            return self.env["res.partner"].search([("is_crm_company", "=", True)], order="id")
        return self.env["integria.contract"].search([("partner_id", "!=", False)], order="id")

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------
    def _company_rows(self, companies, mode, progress):
        spec = self.env["integria.crm.csv.company"]
        definition = spec._csv_custom_fields()
        header = None
        keys = {}
        if mode == INTEGRIA_EXPORT:
            header = ["id", *self._headers(spec), *spec._csv_custom_field_labels(definition)]
            keys = {
                "company": self._file_keys(spec, companies | companies.crm_parent_id),
                "role": self._file_keys(self.env["integria.crm.csv.role"], companies.crm_role_id),
            }
        return header, self._iter_company_rows(companies, mode, definition, keys, progress)

    def _iter_company_rows(self, companies, mode, definition, keys, progress):
        total = len(companies)
        for start in range(0, total, BATCH_SIZE):
            batch = companies[start : start + BATCH_SIZE]
            custom = self._custom_values(batch, "crm_properties")
            for company in batch:
                row = [
                    company.name or "",
                    "\n".join(part for part in (company.street, company.street2) if part),
                    company.vat or "",
                    company.country_id.name or "",
                    company.website or "",
                    html2plaintext(company.comment) if company.comment else "",
                    self._reference(company.crm_role_id, mode, keys.get("role"))
                    if mode == INTEGRIA_EXPORT
                    else company.crm_role_id.name or "",
                    self._reference(company.crm_parent_id, mode, keys.get("company")),
                    company.owner_id.login or "",
                    csv_files.format_datetime(company.last_activity_date),
                    company.payment_conditions or "",
                    *(csv_files.format_property(prop, custom[company.id].get(prop["name"])) for prop in definition),
                ]
                yield [keys["company"][company.id], *row] if mode == INTEGRIA_EXPORT else row
            if progress:
                progress(min(start + BATCH_SIZE, total), total)

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------
    def _contract_rows(self, contracts, mode, progress):
        types = contracts.type_id.sorted()
        header = None
        keys = contract_keys = {}
        if mode == INTEGRIA_EXPORT:
            spec = self.env["integria.crm.csv.contract"]
            labels = list(dict.fromkeys(spec._csv_custom_field_labels(self._type_fields(types))))
            header = ["id", *self._headers(spec), *labels]
            keys = self._file_keys(self.env["integria.crm.csv.company"], contracts.partner_id)
            contract_keys = self._file_keys(spec, contracts)
        return header, self._iter_contract_rows(contracts, mode, header, (keys, contract_keys), progress)

    def _iter_contract_rows(self, contracts, mode, header, all_keys, progress):
        keys, contract_keys = all_keys
        total = len(contracts)
        fields_of_type = {}
        for start in range(0, total, BATCH_SIZE):
            batch = contracts[start : start + BATCH_SIZE]
            custom = self._custom_values(batch, "contract_properties")
            for contract in batch:
                contract_type = contract.type_id
                if contract_type not in fields_of_type:
                    fields_of_type[contract_type] = self._type_fields(contract_type)
                definition = fields_of_type[contract_type]
                row = [
                    contract.name or "",
                    contract.contract_number or "",
                    contract.description or "",
                    csv_files.format_date(contract.date_start),
                    csv_files.format_date(contract.date_end),
                    self._reference(contract.partner_id, mode, keys),
                    contract.sla or "",
                    contract.support_group or "",
                    "1" if contract.is_private else "0",
                    str(STATE_CODES.get(contract.state, "")),
                    contract_type.name or "",
                ]
                if mode == INTEGRIA_EXPORT:
                    row.append(contract.partner_id.name or "")
                values = {
                    prop.get("string") or prop["name"]: csv_files.format_property(
                        prop, custom[contract.id].get(prop["name"])
                    )
                    for prop in definition
                }
                if mode == INTEGRIA_EXPORT:
                    custom_labels = header[len(row) + 1 :]
                    yield [contract_keys[contract.id], *row, *(values.get(label, "") for label in custom_labels)]
                else:
                    yield [*row, *values.values()]
            if progress:
                progress(min(start + BATCH_SIZE, total), total)

    @staticmethod
    def _type_fields(types):
        """The custom fields of ``types`` in order, without the separators."""
        return [prop for contract_type in types for prop in value_fields(contract_type.properties_definition)]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @staticmethod
    def _custom_values(records, field_name):
        """``{id: {property name: value}}`` in the read format (relational
        values as ``(id, name)``)."""
        return {
            values["id"]: {prop["name"]: prop.get("value") for prop in values[field_name] or []}
            for values in records.read([field_name])
        }

    @staticmethod
    def _reference(record, mode, keys):
        if not record:
            return ""
        return keys[record.id] if mode == INTEGRIA_EXPORT else str(record.id)

    @staticmethod
    def _headers(spec):
        return [column.header for column in spec._csv_columns()]

    def _file_keys(self, spec, records):
        """The id of each record in an Integria file: Integria's id when the
        record came from an Integria import (its external id), ``odoo-<id>``
        otherwise. Read only: nothing is written."""
        prefix = f"{spec._csv_xmlid_prefix}_"
        keys = {record_id: csv_files.own_key(record_id) for record_id in records.ids}
        imported = (
            self.env["ir.model.data"]
            .sudo()
            .search_read(
                [
                    ("module", "=", csv_files.XMLID_MODULE),
                    ("model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("name", "=like", prefix.replace("_", "\\_") + "%"),
                ],
                ["name", "res_id"],
            )
        )
        for values in imported:
            keys[values["res_id"]] = values["name"][len(prefix) :]
        return keys
