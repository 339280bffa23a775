from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What the rules need of the customer, copied on each record (see
# docs/permissions.md, "Records of a customer").
CUSTOMER_ACCESS_PATHS = ("owner_id", "crm_path", "owner_id.crm_company_id")


class IntegriaCrmCustomerRecord(models.AbstractModel):
    """A record that belongs to a CRM company: a contract, an invoice, a lead.

    The inheriting model declares the many2one to the CRM company and names it
    in ``_crm_customer_field`` (``partner_id`` on contracts and invoices; leads
    use another field, since ``crm.lead.partner_id`` is the prospect). The
    mixin keeps on the record what the record rules read of that company, in
    indexed columns of the record's own table, so that the rules compile to
    SQL on that table alone; it refuses customers that are not CRM companies,
    and moves the company's last activity when the record is saved or
    discussed.
    """

    _name = "integria.crm.customer.record"
    _inherit = ["mail.thread", "integria.crm.technical.fields.mixin"]
    _description = "Record of a CRM Customer"
    _integria_technical_fields = ("crm_path", "crm_owner_company_id")

    _crm_customer_field = "partner_id"
    # Saving only these fields is bookkeeping, not activity on the customer.
    _crm_no_activity_fields = frozenset()

    crm_owner_id = fields.Many2one(
        "res.users",
        string="Customer Owner",
        compute="_compute_crm_access_columns",
        store=True,
        index="btree_not_null",
        prefetch="crm_access",
        help="The owner of the CRM company of the record.",
    )
    crm_path = fields.Char(
        string="Customer Ancestry Path",
        compute="_compute_crm_access_columns",
        store=True,
        prefetch="crm_access",
        help="The ancestry path of the CRM company of the record, as /1/5/9/.",
    )
    crm_owner_company_id = fields.Many2one(
        "res.partner",
        string="CRM Company of the Customer Owner",
        compute="_compute_crm_access_columns",
        store=True,
        index="btree_not_null",
        prefetch="crm_access",
    )
    crm_can_write = fields.Boolean(
        string="Can Edit",
        compute="_compute_crm_can_write",
        help="Whether the current user may change this record; forms show it read-only otherwise.",
    )

    _crm_path_pattern_idx = models.Index("(crm_path text_pattern_ops) WHERE crm_path IS NOT NULL")

    @api.depends(lambda self: [f"{self._crm_customer_field}.{path}" for path in CUSTOMER_ACCESS_PATHS])
    def _compute_crm_access_columns(self):
        for record in self:
            customer = record.sudo()[record._crm_customer_field]
            record.crm_owner_id = customer.owner_id
            record.crm_path = customer.crm_path
            record.crm_owner_company_id = customer.owner_id.crm_company_id

    @api.depends_context("uid")
    def _compute_crm_can_write(self):
        writable = self._origin._filtered_access("write")
        for record in self:
            record.crm_can_write = not record._origin or record._origin in writable

    @api.constrains(lambda self: [self._crm_customer_field])
    def _check_crm_customer(self):
        outsiders = self.sudo()[self._crm_customer_field].filtered(lambda customer: not customer.is_crm_company)
        if outsiders:
            raise ValidationError(
                self.env._(
                    "%(customer)s is not a company managed by the CRM: choose a CRM company.",
                    customer=outsiders[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._get_crm_customers()._touch_crm_activity()
        return records

    def write(self, vals):
        customers = self._get_crm_customers()
        result = super().write(vals)
        if set(vals) - self._crm_no_activity_fields:
            (customers | self._get_crm_customers())._touch_crm_activity()
        return result

    def unlink(self):
        customers = self._get_crm_customers()
        result = super().unlink()
        customers.exists()._touch_crm_activity()
        return result

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        self._get_crm_customers()._touch_crm_activity()
        return message

    def _get_crm_customers(self):
        """Return the CRM companies of these records (as superuser)."""
        return self.sudo()[self._crm_customer_field]
