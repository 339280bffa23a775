from odoo import fields, models


# one file per feature that extends res.partner, as crm and sale_crm split theirs
class ResPartner(models.Model):
    """The leads a CRM company manages."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    crm_lead_ids = fields.One2many(
        "crm.lead", "crm_partner_id", string="Managed Leads", groups="integria_crm.group_crm_read"
    )
    crm_open_lead_count = fields.Integer(
        compute="_compute_crm_open_lead_count", string="Open Leads", groups="integria_crm.group_crm_read"
    )

    def _compute_crm_open_lead_count(self):
        groups = self.env["crm.lead"]._read_group(
            [("crm_partner_id", "in", self.ids), ("won_status", "=", "pending")], ["crm_partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.crm_open_lead_count = counts.get(partner.id, 0)

    def action_integria_open_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_leads")
        action["domain"] = [("crm_partner_id", "=", self.id)]
        action["context"] = {"default_crm_partner_id": self.id, "search_default_open": 1}
        return action
