from odoo import api, fields, models

from ..tools.lead_macros import lead_macro_values, render_lead_body, render_lead_subject


class IntegriaLeadTemplate(models.Model):
    _name = "integria.lead.template"
    _description = "Lead E-mail Template"
    _order = "name, id"

    name = fields.Char(required=True, translate=False)
    lang = fields.Selection(
        selection="_get_languages",
        string="Language",
        help="The reply wizard proposes the templates in the lead's language (and those without a language).",
    )
    subject = fields.Char()
    body_html = fields.Html(
        string="Body",
        sanitize_style=True,
        help="_DEST_NAME_ and _DEST_EMAIL_ (the lead), _SRC_NAME_ and _SRC_EMAIL_ (the sender) "
        "are replaced when the e-mail is sent.",
    )
    active = fields.Boolean(default=True)

    @api.model
    def _get_languages(self):
        return self.env["res.lang"].get_installed()

    def _render_for(self, lead, user):
        """Return the subject and HTML body of this template for ``lead``,
        sent by ``user``: the macros replaced by escaped values."""
        self.ensure_one()
        values = lead_macro_values(
            lead.contact_name or lead.partner_id.name or lead.partner_name,
            lead.email_from,
            user.name,
            user.email,
        )
        return render_lead_subject(self.subject, values), render_lead_body(self.body_html or "", values)
