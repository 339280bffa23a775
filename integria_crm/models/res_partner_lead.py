from odoo import fields, models
from odoo.fields import Domain


# one file per feature that extends res.partner, as crm and sale_crm split theirs
class ResPartner(models.Model):
    """The leads a CRM company manages."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    crm_lead_ids = fields.One2many(
        "crm.lead", "crm_partner_id", string="Managed Leads", groups="integria_crm.group_crm_read"
    )
    crm_open_lead_count = fields.Integer(
        compute="_compute_crm_open_lead_count",
        string="Open Managed Leads",
        groups="integria_crm.group_crm_read",
        help="The open leads this company manages (their Managed By).",
    )
    crm_prospect_lead_count = fields.Integer(
        compute="_compute_crm_open_lead_count",
        string="Open Leads as Prospect",
        groups="integria_crm.group_crm_read",
        help="The open leads whose prospect is this company or one of its contacts, whoever manages them.",
    )

    def _compute_crm_open_lead_count(self):
        managed = self._integria_count_open_leads("crm_partner_id", [("crm_partner_id", "in", self.ids)])
        prospect = self._integria_count_open_leads(
            "partner_id.commercial_partner_id", [("partner_id.commercial_partner_id", "in", self.ids)]
        )
        for partner in self:
            partner.crm_open_lead_count = managed.get(partner.id, 0)
            partner.crm_prospect_lead_count = prospect.get(partner.id, 0)

    def _integria_count_open_leads(self, group_by, domain):
        groups = self.env["crm.lead"]._read_group(
            Domain.AND([domain, [("won_status", "=", "pending")]]), [group_by], ["__count"]
        )
        return {partner.id: count for partner, count in groups}

    def action_integria_open_leads(self):
        self.ensure_one()
        return self._integria_leads_action([("crm_partner_id", "=", self.id)], {"default_crm_partner_id": self.id})

    def action_integria_open_prospect_leads(self):
        self.ensure_one()
        return self._integria_leads_action(
            [("partner_id", "child_of", self.commercial_partner_id.id)], {"default_partner_id": self.id}
        )

    def _integria_leads_action(self, domain, context):
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_leads")
        action["domain"] = domain
        action["context"] = {**context, "search_default_open": 1}
        return action
