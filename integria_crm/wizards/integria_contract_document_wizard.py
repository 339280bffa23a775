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
        """Render the template to PDF, attach it to the contract and offer to open it."""
        self.ensure_one()
        attachment = self.contract_id._generate_document_pdf(self.template_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Document generated"),
                "message": self.env._("%s is attached to the contract and posted in its chatter."),
                "links": [{"label": attachment.name, "url": f"/web/content/{attachment.id}"}],
                "sticky": False,
                # closing the dialog reloads the contract: its documents and chatter show the PDF
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
