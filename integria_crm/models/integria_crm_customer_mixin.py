from odoo import api, models


class IntegriaCrmCustomerMixin(models.AbstractModel):
    """Chatter of a record whose ``company_id`` is a CRM customer.

    The customer is a res.partner, not a res.company: mail must neither read
    it as the record's company nor suggest switching to it, and e-mails keep
    the layout of our own company.
    """

    _name = "integria.crm.customer.mixin"
    _description = "Record of a CRM Customer"

    @api.model
    def _mail_get_company_field(self):
        return False

    def _notify_by_email_prepare_rendering_context(  # noqa: PLR0917 (mail's signature)
        self,
        message,
        msg_vals=False,
        model_description=False,
        force_email_company=False,
        force_email_lang=False,
        force_record_name=False,
    ):
        return super()._notify_by_email_prepare_rendering_context(
            message,
            msg_vals=msg_vals,
            model_description=model_description,
            force_email_company=force_email_company or self.env.company,
            force_email_lang=force_email_lang,
            force_record_name=force_record_name,
        )

    def _get_redirect_suggested_company(self):
        return False
