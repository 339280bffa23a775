from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.contract_macros import format_property_value
from ..tools.portal_fields import portal_fields
from .integria_contract import IntegriaContract as ContractBase


class IntegriaContract(models.Model):
    """What the customer portal adds to contracts: a page per contract under
    /my/integria/contracts, reached by the people of the customer or through
    a link with its access token (docs/permissions.md, "Customer portal")."""

    _name = "integria.contract"
    _inherit = ["integria.contract", "portal.mixin"]
    # giving a link its token is not activity on the customer
    _crm_no_activity_fields = ContractBase._crm_no_activity_fields | {"access_token"}

    # Only the custom fields marked "shown in the portal" reach the customer,
    # through the contract's portal page (_get_portal_custom_fields).
    contract_properties = fields.Properties(groups="base.group_user")

    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/integria/contracts/{contract.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.name

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_share(self):
        # the share wizard of the contract the action runs on (its active_id)
        contract = self.browse(self.env.context.get("active_id")) or self[:1]
        if contract.is_private:
            raise UserError(self.env._("A private contract is not shared outside the company."))
        return super(IntegriaContract, self.with_context(active_id=contract.id, active_model=self._name)).action_share()

    def action_revoke_access_token(self):
        """Disable the links shared so far: a new link gets a new token."""
        self.check_access("write")
        self.sudo().access_token = False
        return True

    # ------------------------------------------------------------------
    # Portal helpers
    # ------------------------------------------------------------------
    def _prepare_document_attachment_values(self, template, pdf):
        return {**super()._prepare_document_attachment_values(template, pdf), "integria_template_id": template.id}

    def _get_portal_documents(self):
        """Return the generated documents of the contract (as superuser), newest first."""
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "=", self.id), ("integria_template_id", "!=", False)],
                order="id desc",
            )
        )

    def _get_portal_custom_fields(self):
        """Return ``[(label, text)]``: the custom fields shown in the portal, in the user's language."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        yes, no = self.env._("Yes"), self.env._("No")
        properties = self.sudo()._read_custom_fields()
        return [
            (prop.get("string") or prop["name"], format_property_value(prop, lang, yes, no, self.env.tz))
            for prop in portal_fields(properties)
        ]
