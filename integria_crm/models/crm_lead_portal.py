from odoo import api, fields, models
from odoo.tools import plaintext2html


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    contract_id = fields.Many2one(
        "integria.contract",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The contract the customer asked about from the portal.",
    )

    @api.model
    def _create_portal_request(self, contract, author, subject, message):
        """Create the lead of a customer's request about ``contract`` (as superuser).

        The lead belongs to the owner of the contract's company, and so is
        managed by the owner's CRM company; the message opens its chatter and
        the owner gets a to-do.

        :param contract: the contract, checked readable by the caller
        :param author: the partner (a contact of the customer) who asks
        """
        customer = contract.sudo().partner_id
        owner = customer.owner_id
        lead = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(self._prepare_portal_request_values(contract, author, subject, customer, owner))
        )
        lead.message_post(
            body=plaintext2html(message),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if owner:
            owner_env = lead.with_context(lang=owner.lang).env
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=owner_env._("Answer the request of %(customer)s", customer=author.display_name),
                user_id=owner.id,
            )
        return lead

    @api.model
    def _prepare_portal_request_values(self, contract, author, subject, customer, owner):
        return {
            "name": subject,
            "partner_id": author.id,
            "user_id": owner.id,
            "crm_partner_id": owner.sudo().crm_company_id.id or customer.crm_parent_id.id or customer.id,
            "contract_id": contract.id,
            "company_id": contract.company_id.id,
        }
