from odoo import api, fields, models
from odoo.exceptions import UserError


# one file per feature that extends res.partner, as crm and sale_crm split theirs
class ResPartner(models.Model):
    """The invoices of a CRM company and its billing totals."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    crm_invoice_ids = fields.One2many(
        "integria.invoice", "partner_id", string="Invoices", groups="integria_crm.group_crm_read"
    )
    crm_invoice_count = fields.Integer(
        compute="_compute_crm_invoice_totals", string="Invoice Count", groups="integria_crm.group_crm_read"
    )
    crm_invoice_currency_id = fields.Many2one(
        "res.currency", compute="_compute_crm_invoice_totals", groups="integria_crm.group_crm_read"
    )
    crm_invoiced_total = fields.Monetary(
        string="Billed",
        compute="_compute_crm_invoice_totals",
        currency_field="crm_invoice_currency_id",
        groups="integria_crm.group_crm_read",
        help="Issued invoices that are not cancelled, paid or pending. Amounts in other currencies are converted.",
    )
    crm_invoice_pending_total = fields.Monetary(
        string="Pending",
        compute="_compute_crm_invoice_totals",
        currency_field="crm_invoice_currency_id",
        groups="integria_crm.group_crm_read",
        help="Issued invoices waiting for their payment.",
    )

    @api.depends_context("uid")
    def _compute_crm_invoice_totals(self):
        """Sum the invoices of each company that the current user may see."""
        invoices = self.env["integria.invoice"]
        counts, rows = {}, {}
        if self.ids and invoices.has_access("read"):
            domain = [("partner_id", "in", self.ids)]
            counts = {company.id: count for company, count in invoices._read_group(domain, ["partner_id"], ["__count"])}
            for company, currency, state, total in invoices._read_group(
                [*domain, ("invoice_type", "=", "issued"), ("state", "!=", "cancelled")],
                ["partner_id", "currency_id", "state"],
                ["amount_total:sum"],
            ):
                rows.setdefault(company.id, []).append((currency, state, total))
        today = fields.Date.context_today(self)
        for partner in self:
            company_rows = rows.get(partner._origin.id, [])
            currencies = {currency for currency, _state, _total in company_rows}
            # one currency is shown as it is; several are converted to the company's
            currency = currencies.pop() if len(currencies) == 1 else self.env.company.currency_id
            billed = pending = 0.0
            for row_currency, state, total in company_rows:
                amount = row_currency._convert(total, currency, self.env.company, today)
                billed += amount
                pending += amount if state == "pending" else 0.0
            partner.crm_invoice_count = counts.get(partner._origin.id, 0)
            partner.crm_invoice_currency_id = currency
            partner.crm_invoiced_total = billed
            partner.crm_invoice_pending_total = pending

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_invoices(self):
        invoice = self.env["integria.invoice"].sudo().search([("partner_id", "in", self.ids)], limit=1)
        if invoice:
            raise UserError(
                self.env._(
                    "%(company)s cannot be deleted: it has invoices (%(invoice)s). Archive the company instead.",
                    company=invoice.partner_id.display_name,
                    invoice=invoice.display_name,
                )
            )

    def action_open_crm_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_invoice")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
