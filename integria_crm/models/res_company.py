from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    integria_invoice_logo = fields.Image(
        string="Invoice Logo",
        max_width=1024,
        max_height=512,
        help="Printed at the top of the invoices and contract documents; the company logo when empty.",
    )
    integria_invoice_header = fields.Text(
        string="Invoice Header",
        translate=True,
        help="Printed at the top of every invoice, beside the logo: address, fiscal id, contact… "
        "Empty: the company's name and address. Translatable: each invoice prints it in its language.",
    )
    integria_invoice_footer = fields.Text(
        string="Invoice Footer",
        translate=True,
        help="Printed at the bottom of every invoice: bank account, legal notes… "
        "Translatable: each invoice prints it in its language.",
    )

    def _integria_document_logo(self):
        """Return the logo printed on the company's documents, or False.

        Odoo's "Your logo" placeholder of a company without a logo is never
        printed: such documents carry no picture.
        """
        self.ensure_one()
        if self.integria_invoice_logo:
            return self.integria_invoice_logo
        return not self.uses_default_logo and self.logo

    def _integria_document_address_lines(self):
        """Return the address of the company as lines, without its name."""
        self.ensure_one()
        address = self.partner_id._display_address(without_company=True)
        return [line.strip() for line in address.splitlines() if line.strip()]
