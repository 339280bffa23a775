from odoo import fields, models

INVOICE_REPORT = "integria_crm.action_report_integria_invoice"


class IntegriaInvoice(models.Model):
    """What the customer portal adds to invoices: the issued invoices of a
    customer under /my/integria/invoices, with their PDF, reached by the
    people of the customer or through a link with the invoice's access token
    (docs/permissions.md, "Customer portal")."""

    _name = "integria.invoice"
    _inherit = ["integria.invoice", "portal.mixin"]
    # giving a link its token is not activity on the customer
    _crm_no_activity_fields = frozenset({"access_token"})

    internal_note = fields.Text(groups="base.group_user")
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        help="A pending invoice whose due date has passed.",
    )

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for invoice in self:
            invoice.is_overdue = invoice.state == "pending" and bool(invoice.date_due) and invoice.date_due < today

    def _compute_access_url(self):
        for invoice in self:
            invoice.access_url = f"/my/integria/invoices/{invoice.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Invoice %(number)s", number=self.number or "")

    def action_revoke_access_token(self):
        """Disable the links shared so far: a new link gets a new token."""
        self.check_access("write")
        self.sudo().access_token = False
        return True
