from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.ip_list import parse_ip_list
from .crm_lead import (
    AUTHSERV_ID_PARAM,
    DEFAULT_REJECTED_REPLY,
    DEFAULT_STALE_DAYS,
    DKIM_VERIFY_PARAM,
    REFERENCE_MAILBOX_PARAM,
    REJECTED_REPLY_DROP,
    REJECTED_REPLY_NEW_LEAD,
    REJECTED_REPLY_PARAM,
    STALE_DAYS_PARAM,
)
from .crm_lead_intake import (
    API_ALLOWED_IPS_PARAM,
    API_GROUP,
    API_PREFIX_PARAM,
    API_TRUSTED_IPS_PARAM,
    DEFAULT_API_PREFIX,
    WEB_FORM_USER_PARAM,
)
from .integria_contract import DEFAULT_REMINDER_DAYS, REMINDER_DAYS_PARAM
from .integria_invoice import DEFAULT_INVOICE_PATTERN, INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM
from .integria_lead_intake_rate import DEFAULT_RATE_LIMIT, RATE_LIMIT_PARAM
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

    integria_lead_stale_days = fields.Integer(
        string="Stale Leads (days)",
        config_parameter=STALE_DAYS_PARAM,
        default=DEFAULT_STALE_DAYS,
        help="Open leads not modified for this many days are highlighted in the lists.",
    )
    integria_lead_reference_mailbox = fields.Char(
        string="Reference Mailbox",
        config_parameter=REFERENCE_MAILBOX_PARAM,
        help="Copied on every e-mail sent from a lead and set as its reply address; "
        "an incoming mail server reading this mailbox appends the replies to the leads.",
    )
    integria_lead_rejected_reply = fields.Selection(
        [(REJECTED_REPLY_NEW_LEAD, "Create a new lead"), (REJECTED_REPLY_DROP, "Drop it")],
        string="Reply from an Unknown Sender",
        config_parameter=REJECTED_REPLY_PARAM,
        default=DEFAULT_REJECTED_REPLY,
        help="What happens to a mail naming a lead with [Lead#N] that comes from neither the lead's e-mail, "
        "a follower nor an internal user, or that names a lead that does not exist.",
    )

    integria_lead_authserv_id = fields.Char(
        string="Receiving Server (authserv-id)",
        config_parameter=AUTHSERV_ID_PARAM,
        help="The authserv-id with which the server receiving the reference mailbox's mail writes its "
        "Authentication-Results header (e.g. mx.example.com). A reply for which it reports a DMARC, DKIM or "
        "SPF failure is handled as coming from an unknown sender; such headers with another id are ignored.",
    )
    integria_lead_dkim_verify = fields.Boolean(
        string="Verify DKIM Signatures",
        config_parameter=DKIM_VERIFY_PARAM,
        help="When the receiving server wrote no Authentication-Results, a reply is appended only with a valid "
        "DKIM signature of its sender's domain.",
    )
    integria_mail_loop_threshold = fields.Integer(
        string="Mail Loop Guard",
        config_parameter="mail.gateway.loop.threshold",
        default=20,
        help="Odoo's mail gateway drops silently the mails of a sender beyond this many within the period below "
        "(a loop between two automatic mailers).",
    )
    integria_mail_loop_minutes = fields.Integer(
        string="Mail Loop Period (minutes)", config_parameter="mail.gateway.loop.minutes", default=120
    )

    # Lead intake from outside (controllers/lead_intake.py)
    integria_lead_api_user_ids = fields.Many2many(
        "res.users",
        string="API Users",
        domain=[("share", "=", False)],
        help="The members of the group Integria CRM API / API: their API keys open the Integria-compatible "
        "endpoint include/api.php; they need the right to create leads.",
    )
    integria_lead_api_allowed_ips = fields.Char(
        string="Allowed IP Addresses",
        config_parameter=API_ALLOWED_IPS_PARAM,
        help="Addresses and CIDR ranges (e.g. 192.168.70.163, 10.0.0.0/8) that may call the endpoint; "
        "empty: any address.",
    )
    integria_lead_api_trusted_ips = fields.Char(
        string="Trusted IP Addresses (no key)",
        config_parameter=API_TRUSTED_IPS_PARAM,
        help="Weaker option for old Integria forms that send only user=: from these addresses and ranges an "
        "API user is let in without an API key. Empty (the default): a key is always required.",
    )
    # read and written by get_values/set_values: 0 (off) must be stored as 0,
    # which a config_parameter field would drop for its default
    integria_lead_api_rate_limit = fields.Integer(
        string="Rate Limit (requests per minute)",
        default=DEFAULT_RATE_LIMIT,
        help="Requests per minute accepted from one API key and from one IP address (endpoint and web form); "
        "more are answered with HTTP 429. 0 switches the limit off.",
    )
    integria_lead_api_prefix = fields.Char(
        string="Endpoint Prefix",
        config_parameter=API_PREFIX_PARAM,
        default=DEFAULT_API_PREFIX,
        help="The endpoint answers on /include/api.php and on /<prefix>/include/api.php.",
    )
    integria_lead_web_form_user_id = fields.Many2one(
        "res.users",
        string="Web Form User",
        config_parameter=WEB_FORM_USER_PARAM,
        domain=[("share", "=", False)],
        help="The user that creates the leads of the public form /integria/lead-form (default: the first API user).",
    )

    @api.constrains("integria_lead_api_allowed_ips", "integria_lead_api_trusted_ips")
    def _check_integria_lead_api_ips(self):
        for settings in self:
            for text in (settings.integria_lead_api_allowed_ips, settings.integria_lead_api_trusted_ips):
                try:
                    parse_ip_list(text)
                except ValueError as error:
                    raise ValidationError(
                        self.env._("%(error)s: give IP addresses and CIDR ranges.", error=error)
                    ) from None

    @api.constrains("integria_invoice_number_pattern", "integria_invoice_auto_number")
    def _check_integria_invoice_number_pattern(self):
        for settings in self:
            if settings.integria_invoice_auto_number or settings.integria_invoice_number_pattern:
                self.env["integria.invoice"]._parse_number_pattern(settings.integria_invoice_number_pattern)

    @api.model
    def get_values(self):
        values = super().get_values()
        values["integria_invoice_auto_number"] = self.env["integria.invoice"]._auto_number_enabled()
        values["integria_lead_api_user_ids"] = [fields.Command.set(self.env["crm.lead"]._integria_api_users().ids)]
        values["integria_lead_api_rate_limit"] = self.env["integria.lead.intake.rate"]._rate_settings()[0]
        return values

    def set_values(self):
        result = super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            INVOICE_AUTO_NUMBER_PARAM, str(bool(self.integria_invoice_auto_number))
        )
        self.env["ir.config_parameter"].sudo().set_param(
            RATE_LIMIT_PARAM, str(max(self.integria_lead_api_rate_limit, 0))
        )
        group = self.env.ref(API_GROUP)
        if group.sudo().user_ids != self.integria_lead_api_user_ids:
            group.sudo().user_ids = [fields.Command.set(self.integria_lead_api_user_ids.ids)]
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        return result
