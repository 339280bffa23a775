import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import email_normalize

from ..tools.lead_progress import (
    DEFAULT_LOST_CODE,
    LOST_CODES,
    OPEN_CODES,
    PROGRESS_CODES,
    WON_CODE,
    is_closed,
    next_open_code,
    open_code_at,
)
from ..tools.lead_token import lead_subject, parse_lead_token

_logger = logging.getLogger(__name__)

# Settings read by the leads (ir.config_parameter keys and defaults).
STALE_DAYS_PARAM = "integria_crm.lead_stale_days"
DEFAULT_STALE_DAYS = 7
REFERENCE_MAILBOX_PARAM = "integria_crm.lead_reference_mailbox"
REJECTED_REPLY_PARAM = "integria_crm.lead_rejected_reply"
REJECTED_REPLY_NEW_LEAD = "new_lead"
REJECTED_REPLY_DROP = "drop"
DEFAULT_REJECTED_REPLY = REJECTED_REPLY_NEW_LEAD

# Writes of these fields alone do not count as activity of the lead's company.
NO_ACTIVITY_FIELDS = {"color", "priority", "date_automation_last", "message_main_attachment_id"}


class CrmLead(models.Model):
    _inherit = ["crm.lead", "integria.crm.customer.record"]
    _name = "crm.lead"

    # the "managed by" company carries the rule columns of the customer-record
    # mixin (crm.lead.partner_id is the prospect's contact)
    _crm_customer_field = "crm_partner_id"
    _crm_no_activity_fields = frozenset(NO_ACTIVITY_FIELDS)

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    # Record rules read only indexed columns of crm_lead: user_id,
    # crm_partner_id and the mixin's crm_owner_id and crm_path (see
    # security/crm_lead_security.xml and docs/permissions.md).
    crm_partner_id = fields.Many2one(
        "res.partner",
        string="Managed By",
        compute="_compute_crm_partner_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain=[("is_company", "=", True)],
        help="The CRM company in charge of this lead: its users and whoever sees it see the lead. "
        "Choosing an owner sets it to the owner's CRM company.",
    )

    # Integria's data that crm.lead lacks
    mobile = fields.Char(tracking=55)
    integria_product = fields.Char(string="Product / Category")
    executive_overview = fields.Text(help="A short summary of the lead for the management.")
    date_deadline = fields.Date(tracking=True)

    # Progress code
    progress_code = fields.Integer(
        compute="_compute_progress_code",
        inverse="_inverse_progress_code",
        store=True,
        index=True,
        tracking=True,
        aggregator=None,
        help="Integria's progress code: 0 to 80 open, 100 to 102 closed without a sale, 200 won.",
    )
    progress_name = fields.Char(string="Progress", compute="_compute_progress_name")
    is_won_ratio = fields.Float(
        string="Conversion Ratio",
        compute="_compute_is_won_ratio",
        store=True,
        aggregator="avg",
        help="Won leads among all leads of a group (1 for a won lead, 0 otherwise; averaged).",
    )
    is_stale = fields.Boolean(
        string="Stale",
        compute="_compute_is_stale",
        search="_search_is_stale",
        help="An open lead not modified for the number of days set in the settings.",
    )

    # ------------------------------------------------------------------
    # Compute and constraint methods
    # ------------------------------------------------------------------
    @api.depends("user_id")
    def _compute_crm_partner_id(self):
        for lead in self:
            # an unowned lead keeps the company it was given
            lead.crm_partner_id = lead.user_id.sudo().crm_company_id or lead.crm_partner_id

    @api.constrains("crm_partner_id")
    def _check_crm_customer(self):
        # a lead may also be managed by a user's own CRM company (by default
        # My Company, which is not itself a customer): that is where the
        # leads of its users and the unowned leads from the API belong
        users_companies = self._integria_users_companies(self.crm_partner_id)
        return super(
            CrmLead, self.filtered(lambda lead: lead.crm_partner_id not in users_companies)
        )._check_crm_customer()

    @api.depends("won_status", "stage_id.integria_code", "stage_id.sequence", "lost_reason_id.integria_code")
    def _compute_progress_code(self):
        coded = (
            self.env["crm.stage"]
            .sudo()
            .search_read([("integria_code", "in", [str(c) for c in OPEN_CODES])], ["sequence", "integria_code"])
        )
        codes_by_sequence = [(stage["sequence"], int(stage["integria_code"])) for stage in coded]
        for lead in self:
            if lead.won_status == "won":
                lead.progress_code = WON_CODE
            elif lead.won_status == "lost":
                lead.progress_code = int(lead.lost_reason_id.integria_code or DEFAULT_LOST_CODE)
            elif lead.stage_id.integria_code and int(lead.stage_id.integria_code) in OPEN_CODES:
                lead.progress_code = int(lead.stage_id.integria_code)
            else:
                lead.progress_code = open_code_at(codes_by_sequence, lead.stage_id.sequence)

    def _inverse_progress_code(self):
        for code in set(self.mapped("progress_code")):
            leads = self.filtered(lambda lead, code=code: lead.progress_code == code)
            leads._apply_progress_code(code)

    @api.depends("progress_code")
    def _compute_progress_name(self):
        for lead in self:
            if lead.progress_code in LOST_CODES and lead.lost_reason_id:
                lead.progress_name = lead.lost_reason_id.name
            elif not is_closed(lead.progress_code) or lead.progress_code == WON_CODE:
                lead.progress_name = lead.stage_id.name
            else:
                lead.progress_name = self.env["crm.lost.reason"]._integria_reason_for_code(lead.progress_code).name

    @api.depends("won_status")
    def _compute_is_won_ratio(self):
        for lead in self:
            lead.is_won_ratio = 1.0 if lead.won_status == "won" else 0.0

    @api.depends("write_date", "won_status")
    @api.depends_context("uid")
    def _compute_is_stale(self):
        threshold = self._stale_threshold()
        for lead in self:
            lead.is_stale = bool(
                lead.active and lead.won_status == "pending" and lead.write_date and lead.write_date < threshold
            )

    def _search_is_stale(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        stale = Domain(
            [("active", "=", True), ("won_status", "=", "pending"), ("write_date", "<", self._stale_threshold())]
        )
        return stale if (True in value) == (operator == "in") else ~stale

    @api.model
    def _stale_threshold(self):
        days = self.env["ir.config_parameter"].sudo().get_param(STALE_DAYS_PARAM, DEFAULT_STALE_DAYS)
        try:
            days = int(days)
        except ValueError:
            days = DEFAULT_STALE_DAYS
        return fields.Datetime.now() - timedelta(days=days)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_integria_take_ownership(self):
        """Make the current user the owner of these leads: allowed on unowned
        leads one sees, and to Manage users on any lead they see."""
        self.check_access("read")
        is_manager = self.env.user.has_group("integria_crm.group_crm_manage")
        taken = self.filtered(lambda lead: lead.user_id != self.env.user)
        if not is_manager and taken.filtered("user_id"):
            raise AccessError(self.env._("Only a CRM manager can take a lead that already has an owner."))
        # unowned leads are readable, not writable, by the colleagues who take them
        taken.sudo().write({"user_id": self.env.user.id})
        return True

    def action_integria_close(self):
        """Open the wizard that closes these leads with a closing code."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Lead"),
            "res_model": "integria.lead.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    def action_integria_reply(self):
        """Open the reply-by-e-mail wizard on this lead."""
        self.ensure_one()
        return self._integria_wizard_action("integria.lead.reply", self.env._("Reply by E-mail"))

    def action_integria_forward(self):
        """Open the wizard that forwards a summary of this lead."""
        self.ensure_one()
        return self._integria_wizard_action("integria.lead.forward", self.env._("Forward Lead"))

    def _integria_wizard_action(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    # ------------------------------------------------------------------
    # Progress codes
    # ------------------------------------------------------------------
    def _apply_progress_code(self, code):
        """Move these leads to the stage or won/lost state of ``code``."""
        if code not in PROGRESS_CODES:
            raise ValidationError(self.env._("%(code)s is not an Integria progress code.", code=code))
        if code == WON_CODE:
            self.filtered(lambda lead: lead.won_status != "won").action_set_won()
        elif code in LOST_CODES:
            reason = self.env["crm.lost.reason"]._integria_reason_for_code(code)
            if not reason:
                raise UserError(self.env._("No lost reason carries the closing code %(code)s.", code=code))
            won = self.filtered(lambda lead: lead.won_status == "won")
            if won:
                # Odoo does not lose a lead in a won stage: back to the last open step first
                won._apply_progress_code(OPEN_CODES[-1])
            self.action_set_lost(lost_reason_id=reason.id)
        else:
            closed = self.filtered(lambda lead: lead.won_status != "pending")
            if closed:
                closed.action_restore()
            for team in self.team_id or [self.env["crm.team"]]:
                stage = self.env["crm.stage"]._integria_stage_for_code(code, team)
                if not stage:
                    raise UserError(self.env._("No stage carries the progress code %(code)s.", code=code))
                self.filtered(lambda lead, team=team: lead.team_id == team).write({"stage_id": stage.id})

    def _integria_advance_new(self):
        """Move the leads still at New to the next open step (a first reply went out)."""
        new = self.filtered(lambda lead: lead.progress_code == OPEN_CODES[0])
        if new:
            new.progress_code = next_open_code(OPEN_CODES[0])

    # ------------------------------------------------------------------
    # E-mail out: reply and forward
    # ------------------------------------------------------------------
    @api.model
    def _integria_reference_mailbox(self):
        return self.env["ir.config_parameter"].sudo().get_param(REFERENCE_MAILBOX_PARAM) or ""

    def _integria_send_mail(self, subject, body, email_to, *, email_cc="", attachments=None, reply_to=None):
        """Send an e-mail from this lead and log it in its chatter.

        The mail carries the Message-Id of the logged message: the copy that
        comes back through the reference mailbox is recognised and dropped.
        """
        self.ensure_one()
        attachments = attachments or self.env["ir.attachment"]
        if attachments:
            attachments.write({"res_model": self._name, "res_id": self.id})
        message = self.message_post(
            body=body,
            subject=subject,
            message_type="email_outgoing",
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachments.ids,
            email_add_signature=False,
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "mail_message_id": message.id,
                    "body_html": body,
                    "email_to": email_to,
                    "email_cc": email_cc or False,
                    "reply_to": reply_to or message.reply_to,
                    "attachment_ids": [Command.set(attachments.ids)],
                    "auto_delete": True,
                }
            )
        )
        mail.send(raise_exception=False)
        return message

    def _integria_reply_subject(self, subject):
        self.ensure_one()
        return lead_subject(self.id, subject)

    # ------------------------------------------------------------------
    # E-mail in: replies carrying [Lead#N] (called by mail.thread.message_route)
    # ------------------------------------------------------------------
    @api.model
    def _integria_reply_routes(self, message_dict, custom_values=None):
        """Return the mail-gateway routes of an incoming mail whose subject
        names a lead with ``[Lead#N]``, or ``None`` when it names none.

        The mail goes to lead N when its sender is the lead's e-mail, one of
        its followers or an internal user, whatever its threading headers. A
        mail from anyone else, or naming a lead that does not exist, is not
        appended: it becomes a new lead or is dropped, per the setting.
        """
        lead_id = parse_lead_token(message_dict.get("subject"))
        if not lead_id:
            return None
        email_from = message_dict.get("email_from")
        lead = self.sudo().with_context(active_test=False).browse(lead_id).exists()
        if lead and lead._integria_reply_sender_allowed(email_from):
            if not message_dict.get("author_id"):
                authors = lead._partner_find_from_emails_single([email_from], no_create=True)
                if authors:
                    message_dict["author_id"] = authors[0].id
            user = self._mail_find_user_for_gateway(email_from)
            _logger.info(
                "Routing mail from %s with Message-Id %s to lead %s by its [Lead#N] subject",
                email_from,
                message_dict.get("message_id"),
                lead.id,
            )
            return [(self._name, lead.id, custom_values, user.id or self.env.uid, None)]
        _logger.warning(
            "Mail from %s with Message-Id %s names lead %s, which %s: not appended",
            email_from,
            message_dict.get("message_id"),
            lead_id,
            "does not accept mail from this sender" if lead else "does not exist",
        )
        message_dict.pop("parent_id", None)
        policy = self.env["ir.config_parameter"].sudo().get_param(REJECTED_REPLY_PARAM, DEFAULT_REJECTED_REPLY)
        if policy == REJECTED_REPLY_DROP:
            return []
        return [(self._name, False, self._integria_new_lead_values(lead, custom_values), self.env.uid, None)]

    @api.model
    def _integria_new_lead_values(self, named_lead, custom_values):
        """Return the values of the new lead made of a rejected reply: it is
        managed by the company that manages the lead it named (else by the
        company of the mailbox), so that the CRM users who follow that lead
        see it and can take it."""
        values = dict(custom_values or {})
        managing = (named_lead.crm_partner_id or self.env.company.partner_id).sudo()
        may_manage = managing.is_crm_company or self._integria_users_companies(managing)
        if "crm_partner_id" not in values and may_manage:
            values["crm_partner_id"] = managing.id
        return values

    @api.model
    def _integria_users_companies(self, partners):
        """Return those of ``partners`` that are the CRM company of a user."""
        users = self.env["res.users"].sudo().search([("crm_company_id", "in", partners.ids)])
        return users.crm_company_id & partners

    def _integria_reply_sender_allowed(self, email_from):
        """Whether ``email_from`` may append mail to this lead: the lead's own
        e-mail, a follower, or an internal user."""
        self.ensure_one()
        normalized = email_normalize(email_from)
        if not normalized:
            return False
        if normalized == self.email_normalized:
            return True
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = partners.search([("email_normalized", "=", normalized)])
        if not partners:
            return False
        if partners & self.message_partner_ids:
            return True
        return bool(
            self.env["res.users"]
            .sudo()
            .search_count([("partner_id", "in", partners.ids), ("share", "=", False)], limit=1)
        )
