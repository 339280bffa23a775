from odoo import api, models
from odoo.exceptions import UserError


class ReportIntegriaContractDocument(models.AbstractModel):
    _name = "report.integria_crm.report_integria_contract_document"
    _description = "Contract Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        template = self.env["integria.contract.template"].browse((data or {}).get("template_id")).exists()
        if not template:
            raise UserError(self.env._("Pick the template of the contract document."))
        contracts = self.env["integria.contract"].browse(docids)
        documents, custom_fields = {}, {}
        for contract in contracts:
            properties = contract._read_custom_fields()
            documents[contract.id] = contract._render_document_html(template, properties)
            custom_fields[contract.id] = (
                contract._get_document_custom_fields(template, properties) if template.show_custom_fields else []
            )
        return {
            "doc_ids": docids,
            "doc_model": "integria.contract",
            "docs": contracts,
            "template": template,
            "documents": documents,
            "custom_fields": custom_fields,
        }
