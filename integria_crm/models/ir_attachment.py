from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # The contract documents are what the customer downloads from the portal;
    # other files attached to a contract stay for the users of the CRM.
    integria_template_id = fields.Many2one(
        "integria.contract.template",
        string="Contract Template",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The template this contract document was generated from.",
    )
