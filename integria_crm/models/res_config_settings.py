from odoo import api, fields, models

from .integria_contract import DEFAULT_REMINDER_DAYS, REMINDER_DAYS_PARAM
from .integria_invoice import DEFAULT_INVOICE_PATTERN, INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM
from .ir_ui_menu import VISIBLE_TO_ALL_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    integria_crm_visible_to_all = fields.Boolean(
        string="CRM visible to all users",
        config_parameter=VISIBLE_TO_ALL_PARAM,
        help="When off, the Customers menus are shown to administrators only.",
    )
    integria_invoice_auto_number = fields.Boolean(
        string="Automatic invoice numbers",
        help="Issued invoices saved without a number get the next number of the pattern.",
    )
    integria_invoice_number_pattern = fields.Char(
        string="Invoice number pattern",
        config_parameter=INVOICE_PATTERN_PARAM,
        default=DEFAULT_INVOICE_PATTERN,
        help="Fixed text around a number in brackets, the first number of the sequence: "
        "15/[1000] numbers invoices 15/1000, 15/1001, 15/1002…",
    )
    integria_invoice_logo = fields.Image(related="company_id.integria_invoice_logo", readonly=False)
    integria_invoice_header = fields.Text(related="company_id.integria_invoice_header", readonly=False)
    integria_invoice_footer = fields.Text(related="company_id.integria_invoice_footer", readonly=False)

    integria_crm_contract_reminder_days = fields.Integer(
        string="Contract Expiry Reminder (days)",
        config_parameter=REMINDER_DAYS_PARAM,
        default=DEFAULT_REMINDER_DAYS,
        help="The owner of a company gets a to-do this many days before one of its contracts ends.",
    )

    @api.constrains("integria_invoice_number_pattern", "integria_invoice_auto_number")
    def _check_integria_invoice_number_pattern(self):
        for settings in self:
            if settings.integria_invoice_auto_number or settings.integria_invoice_number_pattern:
                self.env["integria.invoice"]._parse_number_pattern(settings.integria_invoice_number_pattern)

    @api.model
    def get_values(self):
        values = super().get_values()
        values["integria_invoice_auto_number"] = self.env["integria.invoice"]._auto_number_enabled()
        return values

    def set_values(self):
        result = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            INVOICE_AUTO_NUMBER_PARAM, str(bool(self.integria_invoice_auto_number))
        )
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        return result
