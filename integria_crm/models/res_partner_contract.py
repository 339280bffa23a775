from odoo import api, fields, models


# one file per feature that extends res.partner, as crm and sale_crm split theirs
class ResPartner(models.Model):
    """The contracts of a CRM company."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    crm_contract_ids = fields.One2many("integria.contract", "partner_id", string="Contracts")
    crm_contract_count = fields.Integer(compute="_compute_crm_contract_count", string="Contract Count")

    def _compute_crm_contract_count(self):
        groups = self.env["integria.contract"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.crm_contract_count = counts.get(partner.id, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_crm_contracts(self):
        # the database would cascade too, leaving their messages and files behind
        contracts = self.env["integria.contract"].sudo().search([("partner_id", "in", self.ids)])
        contracts.unlink()

    def action_open_crm_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_contract")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
