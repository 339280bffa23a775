from odoo import api, fields, models
from odoo.exceptions import UserError


class IntegriaInvoiceTax(models.Model):
    _name = "integria.invoice.tax"
    _description = "Invoice Tax"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True, help="Printed on the invoice, e.g. IVA or IRPF.")
    amount = fields.Float(
        string="Rate (%)",
        digits=(16, 4),
        required=True,
        help="Percentage applied to the invoice amount after the discount.",
    )
    kind = fields.Selection(
        [("tax", "Tax"), ("retention", "Retention")],
        required=True,
        default="tax",
        help="Taxes are added to the invoice; a retention is subtracted from it.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _amount_range = models.Constraint(
        "CHECK (amount >= 0 AND amount <= 100)",
        "A tax rate is a percentage between 0 and 100.",
    )

    @api.depends("name", "amount")
    def _compute_display_name(self):
        for tax in self:
            tax.display_name = f"{tax.name} {tax.amount:g}%"

    def write(self, vals):
        if {"amount", "kind"}.intersection(vals) and self._used_by_invoices():
            raise UserError(
                self.env._(
                    "This tax is used by invoices whose totals would change. "
                    "Archive it and create a new one with the new rate instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self._used_by_invoices():
            raise UserError(self.env._("This tax is used by invoices: archive it instead of deleting it."))

    def _used_by_invoices(self):
        invoices = self.env["integria.invoice"].sudo().with_context(active_test=False)
        domain = ["|", ("tax_ids", "in", self.ids), ("retention_id", "in", self.ids)]
        return bool(invoices.search_count(domain, limit=1))
