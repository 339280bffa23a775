import logging
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize, str2bool

from ..tools.lead_languages import language_rank
from ..tools.lead_macros import lead_macro_values
from ..tools.lead_progress import (
    DEFAULT_LOST_CODE,
    LOST_CODES,
    OPEN_CODES,
    PROGRESS_CODES,
    WON_CODE,
    is_closed,
    next_open_code,
    open_code_at,
    reached_code,
)
from ..tools.lead_token import lead_subject, parse_lead_token, parse_lead_tokens
from ..tools.mail_trust import dkim_signed_by, domain_of, header_addresses, reported_failures, single_address

_logger = logging.getLogger(__name__)

# Settings read by the leads (ir.config_parameter keys and defaults).
STALE_DAYS_PARAM = "integria_crm.lead_stale_days"
DEFAULT_STALE_DAYS = 7
REFERENCE_MAILBOX_PARAM = "integria_crm.lead_reference_mailbox"
REJECTED_REPLY_PARAM = "integria_crm.lead_rejected_reply"
AUTHSERV_ID_PARAM = "integria_crm.lead_authserv_id"
DKIM_VERIFY_PARAM = "integria_crm.lead_dkim_verify"
DKIM_NAMESERVER_PARAM = "integria_crm.lead_dkim_nameserver"
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
        string="Win Rate",
        compute="_compute_is_won_ratio",
        store=True,
        aggregator="avg",
        help="Won leads among the leads of a group (1 for a won lead, 0 otherwise; averaged): "
        "with the Closed filter, the win rate.",
    )
    progress_reached_code = fields.Integer(
        string="Furthest Progress",
        compute="_compute_progress_reached_code",
        store=True,
        aggregator=None,
        help="The furthest open step this lead reached (200 once won), kept when it moves back or is lost: "
        "the funnel counts the leads that reached each step.",
    )
    crm_can_take = fields.Boolean(
        string="Can Take Ownership",
        compute="_compute_crm_can_take",
        help="Whether the current user may make himself the owner: unowned leads, and any lead for CRM managers.",
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
    def _compute_progress_reached_code(self):
        # the previous furthest step is in the database: write() flushes it
        # before any change that recomputes it
        stored = {}
        if self._origin.ids:
            self.env.cr.execute("SELECT id, progress_reached_code FROM crm_lead WHERE id = ANY(%s)", [self._origin.ids])
            stored = dict(self.env.cr.fetchall())
        for lead in self:
            lead.progress_reached_code = reached_code(
                stored.get(lead._origin.id), lead.progress_code, lead._integria_stage_code()
            )

    def _integria_stage_code(self):
        """The open code of the lead's stage (a lost lead keeps its stage)."""
        self.ensure_one()
        code = self.stage_id.integria_code
        return int(code) if code and int(code) in OPEN_CODES else None

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_crm_can_take(self):
        is_manager = self.env.user.has_group("integria_crm.group_crm_manage")
        for lead in self:
            lead.crm_can_take = bool(lead.id) and (not lead.user_id or (is_manager and lead.user_id != self.env.user))

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
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if self.ids:
            # the furthest step computed by an earlier write must reach the
            # database before this one recomputes it
            self.flush_recordset(["progress_reached_code"])
        return super().write(vals)

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
    # E-mail out: reply and forward, through Odoo's composer
    # ------------------------------------------------------------------
    @api.model
    def _integria_reference_mailbox(self):
        return self.env["ir.config_parameter"].sudo().get_param(REFERENCE_MAILBOX_PARAM) or ""

    def _integria_reply_subject(self, subject):
        self.ensure_one()
        return lead_subject(self.id, subject)

    def _integria_is_discussion(self, subtype_xmlid=None, subtype_id=False):
        """Whether a message posted with this subtype goes out to the
        recipients (a discussion), as opposed to an internal note."""
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        return subtype_xmlid == "mail.mt_comment" or (bool(subtype_id) and subtype_id == comment)

    def message_post(self, **kwargs):
        """E-mails sent from a lead carry ``[Lead#N]`` in their subject (the
        customer's answer finds the lead by it); a reply sent by *Reply by
        E-mail* moves a New lead to the next open step."""
        if (
            len(self) == 1
            and kwargs.get("message_type") == "comment"
            and self._integria_is_discussion(kwargs.get("subtype_xmlid"), kwargs.get("subtype_id"))
        ):
            kwargs["subject"] = self._integria_reply_subject(kwargs.get("subject") or self.name)
        message = super().message_post(**kwargs)
        if self.env.context.get("integria_lead_reply"):
            self._integria_advance_new()
        return message

    def _message_post_after_hook(self, message, msg_vals):
        # crm gives the partner of a new recipient to every open lead of the
        # same address, some of which the author may not change (an access
        # error): the partner goes to this lead alone, then crm has nothing
        # left to do
        if self.email_normalized and not self.partner_id:
            partner = message.partner_ids.filtered(lambda p: p.email_normalized == self.email_normalized)[:1]
            if partner and self._filtered_access("write"):
                self.partner_id = partner
        return super()._message_post_after_hook(message, msg_vals)

    def _notify_get_reply_to(self, default=None, author_id=False):
        mailbox = self._integria_reference_mailbox()
        if not mailbox:
            return super()._notify_get_reply_to(default=default, author_id=author_id)
        return dict.fromkeys(self.ids or [False], mailbox)

    def _notify_by_email_get_base_mail_values(self, message, recipients_data, additional_values=None):
        values = super()._notify_by_email_get_base_mail_values(
            message, recipients_data, additional_values=additional_values
        )
        mailbox = self._integria_reference_mailbox()
        if (
            mailbox
            and len(self) == 1
            and message.message_type == "comment"
            and self.id in parse_lead_tokens(message.subject)
        ):
            # the reference mailbox keeps a copy of every e-mail sent from the
            # lead (mail.mail puts it in Cc of the first recipient's e-mail);
            # not of the customers' replies notified to the followers
            values["email_cc"] = mailbox
        return values

    def _integria_recipient(self):
        """Return the partner the lead's e-mails go to: its contact when it
        has the lead's address, else the partner of that address (created
        when missing, as the composer does for suggested recipients)."""
        self.ensure_one()
        if self.partner_id.email_normalized and self.partner_id.email_normalized == self.email_normalized:
            return self.partner_id
        if not self.email_from:
            return self.env["res.partner"]
        return self._partner_find_from_emails_single([self.email_from])

    def _integria_templates(self):
        """Return every e-mail template of leads, the best match of the
        lead's language first (see ``_integria_preferred_languages``)."""
        self.ensure_one()
        templates = self.env["mail.template"].search([("model", "=", self._name)])
        preferred = self._integria_preferred_languages()
        return templates.sorted(lambda template: language_rank(preferred, template.lang))

    def _integria_preferred_languages(self):
        """The languages of this lead, most relevant first: the lead's own,
        its country's, its contact's, then the user's."""
        self.ensure_one()
        country_langs = []
        if self.country_id.code:
            installed = [code for code, _name in self.env["res.lang"].get_installed()]
            country_langs = [code for code in installed if code.endswith(f"_{self.country_id.code}")]
        return [code for code in (self.lang_id.code, *country_langs, self.partner_id.lang, self.env.user.lang) if code]

    def _integria_composer_action(self, name, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                **context,
            },
        }

    def action_integria_reply(self):
        """Open Odoo's composer to e-mail the lead: its recipient, the
        templates of its language first, ``[Lead#N]`` in the subject."""
        self.ensure_one()
        self.check_access("write")
        templates = self._integria_templates()
        recipient = self._integria_recipient()
        return self._integria_composer_action(
            self.env._("Reply by E-mail"),
            {
                "default_template_id": templates[:1].id,
                "default_partner_ids": recipient.ids,
                "integria_template_ids": templates.ids,
                "integria_lead_reply": True,
            },
        )

    def action_integria_forward(self):
        """Open Odoo's composer with a summary of the lead, to any address."""
        self.ensure_one()
        self.check_access("write")
        return self._integria_composer_action(
            self.env._("Forward Lead"),
            {
                "default_composition_comment_option": "forward",
                "default_subject": self.env._("Lead: %(name)s", name=self.name or ""),
                "default_body": self._integria_summary(),
                "default_email_add_signature": False,
            },
        )

    def _integria_summary_rows(self):
        return [
            (self.env._("Name"), self.contact_name or self.partner_id.name),
            (self.env._("Company"), self.partner_name),
            (self.env._("Position"), self.function),
            (self.env._("Country"), self.country_id.name),
            (self.env._("Language"), self.lang_id.name),
            (self.env._("E-mail"), self.email_from),
            (self.env._("Phone"), self.phone),
            (self.env._("Mobile"), self.mobile),
        ]

    def _integria_summary(self):
        """Return the HTML summary of the lead that *Forward* sends."""
        self.ensure_one()
        rows = Markup("").join(
            Markup("<tr><th>%s</th><td>%s</td></tr>") % (label, value or "")
            for label, value in self._integria_summary_rows()
        )
        signature = self.env.user.signature or escape(self.env.user.name)
        return Markup("<table>%s</table><h3>%s</h3><div>%s</div><div>-- <br/>%s</div>") % (
            rows,
            self.env._("Comments"),
            self.description or "",
            signature,
        )

    def _integria_macro_values(self):
        """The values of the Integria macros of lead templates for this lead,
        sent by the current user (see tools/lead_macros.py)."""
        self.ensure_one()
        user = self.env.user
        return lead_macro_values(
            self.contact_name or self.partner_id.name or self.partner_name, self.email_from, user.name, user.email
        )

    # ------------------------------------------------------------------
    # E-mail in: replies carrying [Lead#N] (called by mail.thread.message_route)
    # ------------------------------------------------------------------
    @api.model
    def _integria_reply_routes(self, message, message_dict, custom_values=None):
        """Return the mail-gateway routes of an incoming mail whose subject
        names a lead with ``[Lead#N]``, or ``None`` when it names none.

        The mail goes to lead N when its sender is the lead's e-mail, one of
        its followers or an internal user, whatever its threading headers,
        and when the sender is trusted (``_integria_trusted_sender``). A mail
        from anyone else, or naming a lead that does not exist, is not
        appended: it becomes a new lead or is dropped, per the setting.
        """
        lead_id = parse_lead_token(message_dict.get("subject"))
        if not lead_id:
            return None
        email_from = message_dict.get("email_from")
        lead = self.sudo().with_context(active_test=False).browse(lead_id).exists()
        sender = self._integria_trusted_sender(message) if lead else None
        if sender and lead._integria_reply_sender_allowed(sender, message):
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
        # the author Odoo guessed from the From header is not trusted
        message_dict.pop("author_id", None)
        policy = self.env["ir.config_parameter"].sudo().get_param(REJECTED_REPLY_PARAM, DEFAULT_REJECTED_REPLY)
        if policy == REJECTED_REPLY_DROP:
            return []
        return [(self._name, False, self._integria_new_lead_values(lead, custom_values), self.env.uid, None)]

    @api.model
    def _integria_trusted_sender(self, message):
        """Return the address a reply may be appended as, or ``None``: the
        single address of its ``From`` header, unless the receiving server
        (the authserv-id of the settings) reports a DMARC, DKIM or SPF
        failure for its domain, or, without such a report and when the
        settings ask for it, its DKIM signature does not verify (see
        tools/mail_trust.py and the README, "Replies trusted only from their
        sender")."""
        sender = single_address(message.get_all("From") or [])
        if not sender:
            return None
        params = self.env["ir.config_parameter"].sudo()
        domain = domain_of(sender)
        failures = reported_failures(
            message.get_all("Authentication-Results") or [], params.get_param(AUTHSERV_ID_PARAM), domain
        )
        if failures:
            _logger.warning("The receiving server reports %s failing for %s", ", ".join(failures), sender)
            return None
        if failures is None and str2bool(params.get_param(DKIM_VERIFY_PARAM, "False")):
            raw = self.env.context.get("integria_raw_message") or message.as_bytes()
            if not dkim_signed_by(raw, domain, nameserver=params.get_param(DKIM_NAMESERVER_PARAM) or None):
                _logger.warning("No valid DKIM signature of %s on the mail from %s", domain, sender)
                return None
        return sender

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

    def _integria_reply_sender_allowed(self, email_from, message=None):
        """Whether ``email_from`` may append mail to this lead: the lead's own
        e-mail, a follower, or an internal user; so must be the address of
        the ``Sender`` header of ``message``, if any."""
        self.ensure_one()
        senders = header_addresses(message.get_all("Sender") or []) if message is not None else []
        return all(self._integria_address_allowed(address) for address in [email_from, *senders])

    def _integria_address_allowed(self, address):
        self.ensure_one()
        normalized = email_normalize(address)
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
