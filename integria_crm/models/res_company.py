from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    integria_invoice_logo = fields.Image(
        string="Invoice Logo",
        max_width=1024,
        max_height=512,
        help="Printed at the top of the invoices; the company logo when empty.",
    )
    integria_invoice_header = fields.Text(
        string="Invoice Header",
        help="Printed at the top of every invoice, beside the logo: address, fiscal id, contact…",
    )
    integria_invoice_footer = fields.Text(
        string="Invoice Footer",
        help="Printed at the bottom of every invoice: bank account, legal notes…",
    )
