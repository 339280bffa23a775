from odoo import api, fields, models


class IntegriaContractDocumentWizard(models.TransientModel):
    _name = "integria.contract.document.wizard"
    _description = "Generate a Contract Document"

    contract_id = fields.Many2one("integria.contract", required=True, ondelete="cascade")
    template_id = fields.Many2one(
        "integria.contract.template",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_template(),
    )
    template_description = fields.Text(related="template_id.description")
    lang_id = fields.Many2one(related="template_id.lang_id")

    @api.model
    def _default_template(self):
        templates = self.env["integria.contract.template"]
        return templates.search([("lang_id.code", "=", self.env.lang or "en_US")], limit=1) or templates.search(
            [], limit=1
        )

    def action_generate(self):
        """Render the template to PDF and attach it to the contract."""
        self.ensure_one()
        self.contract_id._generate_document_pdf(self.template_id)
        # closing the dialog reloads the contract: its documents and chatter show the PDF
        return {"type": "ir.actions.act_window_close"}
