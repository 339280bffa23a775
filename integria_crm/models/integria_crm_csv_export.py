from odoo import api, fields, models
from odoo.tools.mail import html2plaintext

from ..tools import csv_files
from ..tools.csv_files import INTEGRIA_EXPORT, POSITIONAL
from .integria_crm_csv_import import CONTRACT_CUSTOMER_FIELD, XMLID_MODULE, xmlid_name

BATCH_SIZE = 1000


class IntegriaCrmCsvExport(models.AbstractModel):
    """Export of CRM companies and contracts in the layouts the import reads.

    The values are written as they are, quoted by the csv module where they
    hold a delimiter, a quote or a line break (Integria turned commas into
    dots and dropped the custom fields). In Integria's layout every record
    is named by an id that the import matches to the record again: the id of
    an Integria import, or the record's own id, kept as an external id.
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
            rows = ([csv_files.encode_entities(cell) for cell in row] for row in rows)
            text = csv_files.write_csv(rows, delimiter=";", header=header)
        else:
            text = csv_files.write_csv(rows, delimiter=",")
        return csv_files.encode_text(text, bom=mode == INTEGRIA_EXPORT)

    @api.model
    def action_download(self, kind, record_ids, mode):
        """Export the records to an attachment and download it."""
        records = self._model(kind).browse(record_ids)
        data = self.export_csv(kind, records, mode)
        name = "companies" if kind == "company" else "contracts"
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{name}-{'integria' if mode == INTEGRIA_EXPORT else 'positional'}-"
                f"{fields.Date.context_today(self).isoformat()}.csv",
                "raw": data,
                "mimetype": "text/csv",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _model(self, kind):
        return self.env["res.partner" if kind == "company" else "integria.contract"]

    def _default_records(self, kind):
        if kind == "company":
            return self.env["res.partner"].search([("is_crm_company", "=", True)], order="id")
        return self.env["integria.contract"].search([(CONTRACT_CUSTOMER_FIELD, "!=", False)], order="id")

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------
    def _company_rows(self, companies, mode, progress):
        definition = [
            prop
            for prop in self.env["res.partner"]._crm_properties_definition().properties_definition or []
            if prop.get("type") != "separator"
        ]
        header = None
        keys = {}
        if mode == INTEGRIA_EXPORT:
            header = [*csv_files.COMPANY_EXPORT_HEADER, *(prop.get("string") or prop["name"] for prop in definition)]
            keys = self._file_keys("company", companies | companies.crm_parent_id)
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
                    company.crm_role_id.name or "",
                    self._reference(company.crm_parent_id, mode, keys),
                    company.owner_id.login or "",
                    csv_files.format_datetime(company.last_activity_date),
                    company.payment_conditions or "",
                    *(csv_files.format_property(prop, custom[company.id].get(prop["name"])) for prop in definition),
                ]
                yield [keys[company.id], *row] if mode == INTEGRIA_EXPORT else row
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
            labels = list(dict.fromkeys(prop.get("string") or prop["name"] for prop in self._type_fields(types)))
            header = [*csv_files.CONTRACT_EXPORT_HEADER, *labels]
            keys = self._file_keys("company", contracts[CONTRACT_CUSTOMER_FIELD])
            contract_keys = self._file_keys("contract", contracts)
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
                    self._reference(contract[CONTRACT_CUSTOMER_FIELD], mode, keys),
                    contract.sla or "",
                    contract.support_group or "",
                    "1" if contract.is_private else "0",
                    csv_files.STATUS_OF_STATE.get(contract.state, ""),
                    contract_type.name or "",
                ]
                values = {
                    prop.get("string") or prop["name"]: csv_files.format_property(
                        prop, custom[contract.id].get(prop["name"])
                    )
                    for prop in definition
                }
                if mode == INTEGRIA_EXPORT:
                    custom_labels = header[len(csv_files.CONTRACT_EXPORT_HEADER) :]
                    yield [contract_keys[contract.id], *row, *(values.get(label, "") for label in custom_labels)]
                else:
                    yield [*row, *values.values()]
            if progress:
                progress(min(start + BATCH_SIZE, total), total)

    @staticmethod
    def _type_fields(types):
        """The custom fields of ``types`` in order, without the separators."""
        return [
            prop
            for contract_type in types
            for prop in contract_type.properties_definition or []
            if prop.get("type") != "separator"
        ]

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

    def _file_keys(self, kind, records):
        """The id of each record in an Integria file: Integria's id when the
        record came from an Integria import, its own id otherwise; kept as an
        external id so that importing the file again updates the record."""
        model = records._name
        prefix = xmlid_name(kind, "")
        self.env.cr.execute(
            "SELECT res_id, name FROM ir_model_data WHERE module = %s AND model = %s AND res_id = ANY(%s)"
            " AND name LIKE %s",
            [XMLID_MODULE, model, records.ids, prefix.replace("_", "\\_") + "%"],
        )
        keys = {res_id: name[len(prefix) :] for res_id, name in self.env.cr.fetchall()}
        missing = [record_id for record_id in records.ids if record_id not in keys]
        if missing:
            wanted = {record_id: str(record_id) for record_id in missing}
            self.env.cr.execute(
                "SELECT name FROM ir_model_data WHERE module = %s AND name = ANY(%s)",
                [XMLID_MODULE, [xmlid_name(kind, key) for key in wanted.values()]],
            )
            taken = {name for (name,) in self.env.cr.fetchall()}
            for record_id, key in wanted.items():
                # an Integria id of another record: name this one apart
                keys[record_id] = f"odoo{key}" if xmlid_name(kind, key) in taken else key
            self.env["ir.model.data"].sudo().create(
                [
                    {
                        "module": XMLID_MODULE,
                        "name": xmlid_name(kind, keys[record_id]),
                        "model": model,
                        "res_id": record_id,
                        "noupdate": True,
                    }
                    for record_id in missing
                ]
            )
        return keys
