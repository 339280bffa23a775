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
        return {
            "doc_ids": docids,
            "doc_model": "integria.contract",
            "docs": contracts,
            "template": template,
            "documents": {contract.id: contract._render_document_html(template) for contract in contracts},
        }
