from markupsafe import Markup

from odoo import api, models

from ..tools.lead_macros import render_lead_body, render_lead_subject


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _render_template(  # noqa: PLR0917 (Odoo's signature)
        self, template_src, model, res_ids, engine="inline_template", add_context=None, options=None
    ):
        """Replace Integria's lead macros (``_DEST_NAME_``, ``_SRC_EMAIL_``...)
        after Odoo's own rendering, in every lead template and composer: a
        rendering step on top of ``mail.template``, never an evaluation."""
        rendered = super()._render_template(
            template_src, model, res_ids, engine=engine, add_context=add_context, options=options
        )
        if model != "crm.lead" or not rendered:
            return rendered
        leads = self.env["crm.lead"].browse([res_id for res_id in rendered if res_id])
        for lead in leads:
            values = lead._integria_macro_values()
            text = rendered[lead.id]
            if engine == "inline_template":
                rendered[lead.id] = render_lead_subject(text, values)
            else:
                rendered[lead.id] = Markup(render_lead_body(text, values))
        return rendered
