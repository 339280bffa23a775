from odoo import api, fields, models


class IntegriaLeadReply(models.TransientModel):
    _name = "integria.lead.reply"
    _description = "Reply to a Lead by E-mail"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    lead_lang = fields.Char(compute="_compute_lead_lang")
    template_id = fields.Many2one(
        "integria.lead.template",
        domain="['|', ('lang', '=', False), ('lang', '=', lead_lang)]",
    )
    email_to = fields.Char(
        string="To", compute="_compute_email_to", store=True, readonly=False, precompute=True, required=True
    )
    email_cc = fields.Char(string="Cc", default=lambda self: self.env["crm.lead"]._integria_reference_mailbox())
    subject = fields.Char(compute="_compute_from_template", store=True, readonly=False, precompute=True)
    body = fields.Html(compute="_compute_from_template", store=True, readonly=False, precompute=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")

    @api.depends("lead_id")
    def _compute_lead_lang(self):
        for wizard in self:
            wizard.lead_lang = wizard.lead_id.lang_id.code or False

    @api.depends("lead_id")
    def _compute_email_to(self):
        for wizard in self:
            wizard.email_to = wizard.lead_id.email_from

    @api.depends("template_id", "lead_id")
    def _compute_from_template(self):
        for wizard in self:
            if wizard.template_id:
                wizard.subject, wizard.body = wizard.template_id._render_for(wizard.lead_id, self.env.user)
            elif not wizard.subject:
                wizard.subject = wizard.lead_id.name

    def action_send(self):
        """Send the reply, log it on the lead, and move a new lead on."""
        self.ensure_one()
        lead = self.lead_id
        lead.check_access("write")
        lead._integria_send_mail(
            lead._integria_reply_subject(self.subject),
            self.body or "",
            self.email_to,
            email_cc=self.email_cc,
            attachments=self.attachment_ids,
            reply_to=lead._integria_reference_mailbox() or None,
        )
        lead._integria_advance_new()
        return {"type": "ir.actions.act_window_close"}
