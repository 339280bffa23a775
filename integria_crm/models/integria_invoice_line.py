from odoo import api, fields, models


class IntegriaInvoiceLine(models.Model):
    _name = "integria.invoice.line"
    _description = "Invoice Line"
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one("integria.invoice", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    description = fields.Text(required=True)
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        invoice_ids = {vals["invoice_id"] for vals in vals_list if vals.get("invoice_id")}
        self.env["integria.invoice"].browse(invoice_ids)._check_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        self.invoice_id._check_unlocked()
        if vals.get("invoice_id"):
            self.invoice_id.browse(vals["invoice_id"])._check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.invoice_id._check_unlocked()
