from odoo import models


class IntegriaCrmCsvKind(models.AbstractModel):
    """What the CSV import engine needs to know about one kind of record.

    A kind is an abstract model ``integria.crm.csv.<kind>`` inheriting this
    one: ``integria_crm_csv_company.py`` and ``integria_crm_csv_contract.py``
    hold the columns and the rules of companies and contracts, in one place
    each; the Integria migration adds contacts, invoices and leads the same
    way. The engine (``integria_crm_csv_import.py``) reads, checks, writes
    and reports; a kind says:

    * ``_csv_model``, ``_csv_xmlid_prefix``, ``_csv_properties_field``: the
      model written, the prefix of the external ids kept for Integria's
      ids, the field of its custom fields;
    * ``_csv_columns()``: its columns (:class:`Column`), positional ones in
      the manual's order;
    * ``_csv_prepare(run)``: the values of every row, and the checks that
      only this kind makes;
    * optional hooks below: header aliases, ignored headers, write waves,
      values at write time, the explanation of a refusal, the example.
    """

    _name = "integria.crm.csv.kind"
    _description = "CRM CSV Import: a kind of record"

    _csv_model = None
    _csv_xmlid_prefix = None
    _csv_properties_field = None
    # the column whose header tells an export of this kind
    _csv_header_key = "name"

    def _csv_columns(self):
        raise NotImplementedError

    def _csv_prepare(self, run):
        raise NotImplementedError

    def _csv_header_aliases(self):
        """Other names of columns in export headers: ``{folded name: key}``."""
        return {}

    def _csv_ignored_headers(self):
        """Columns of Integria's export that the import reads nothing from."""
        return ()

    def _csv_fields_from_options(self, run):
        """The fields the import's options set, even when the file lacks their column."""
        return set()

    def _csv_waves(self, run, rows):
        """``rows`` in the groups to write one after the other."""
        return [rows] if rows else []

    def _csv_values(self, run, row):
        """The values written for ``row``, once the rows before it are written."""
        return row.vals

    def _csv_explain_refusal(self, run, row):
        """Why the access rules refuse ``row``, in words, or ``False``."""
        return False

    def _csv_example(self):
        """A positional line the wizard shows, that imports as shown."""
        return ""

    def _csv_sample_values(self, definition):
        """A valid value for each custom field of ``definition``, for the example."""
        samples = {
            "integer": "20",
            "float": "2.5",
            "monetary": "2.5",
            "boolean": "1",
            "date": "2017-07-25",
            "datetime": "2017-07-25 10:00:00",
            "many2one": "",
            "many2many": "",
        }
        values = []
        for prop in definition:
            if prop["type"] in ("selection", "tags"):
                choices = prop.get(prop["type"]) or []
                values.append(str(choices[0][0]) if choices else "")
            else:
                values.append(samples.get(prop["type"], "Integria"))
        return values

    def _csv_custom_field_labels(self, definition):
        return [prop.get("string") or prop["name"] for prop in definition]
