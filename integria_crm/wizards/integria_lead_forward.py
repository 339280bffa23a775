from markupsafe import Markup, escape

from odoo import api, fields, models


class IntegriaLeadForward(models.TransientModel):
    _name = "integria.lead.forward"
    _description = "Forward a Lead"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    email_to = fields.Char(string="To", required=True)
    subject = fields.Char(compute="_compute_summary", store=True, readonly=False, precompute=True)
    body = fields.Html(compute="_compute_summary", store=True, readonly=False, precompute=True)

    @api.depends("lead_id")
    def _compute_summary(self):
        for wizard in self:
            lead = wizard.lead_id
            wizard.subject = self.env._("Lead: %(name)s", name=lead.name or "")
            wizard.body = wizard._lead_summary(lead)

    def _summary_rows(self, lead):
        return [
            (self.env._("Name"), lead.contact_name or lead.partner_id.name),
            (self.env._("Company"), lead.partner_name),
            (self.env._("Position"), lead.function),
            (self.env._("Country"), lead.country_id.name),
            (self.env._("Language"), lead.lang_id.name),
            (self.env._("E-mail"), lead.email_from),
            (self.env._("Phone"), lead.phone),
            (self.env._("Mobile"), lead.mobile),
        ]

    def _lead_summary(self, lead):
        rows = Markup("").join(
            Markup("<tr><th>%s</th><td>%s</td></tr>") % (label, value or "")
            for label, value in self._summary_rows(lead)
        )
        comments = lead.description or ""
        signature = self.env.user.signature or escape(self.env.user.name)
        return Markup("<table>%s</table><h3>%s</h3><div>%s</div><div>-- <br/>%s</div>") % (
            rows,
            self.env._("Comments"),
            comments,
            signature,
        )

    def action_send(self):
        """Send the summary to the address and log it on the lead."""
        self.ensure_one()
        self.lead_id.check_access("read")
        self.lead_id._integria_send_mail(self.subject, self.body or "", self.email_to)
        return {"type": "ir.actions.act_window_close"}
