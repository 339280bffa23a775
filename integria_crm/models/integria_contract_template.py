from odoo import api, fields, models
from odoo.exceptions import ValidationError

# A template is a page or two of HTML; anything bigger is a mistake (or an
# attempt to make every PDF rendering slow).
MAX_BODY_SIZE = 512 * 1024


class IntegriaContractTemplate(models.Model):
    _name = "integria.contract.template"
    _description = "Contract Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text()
    active = fields.Boolean(default=True)
    lang_id = fields.Many2one(
        "res.lang",
        string="Language",
        required=True,
        default=lambda self: self.env["res.lang"]._lang_get(self.env.lang or "en_US"),
        help="The language of the document: names of days and months, status and yes/no words.",
    )
    # Data, never code: sanitized on save, never compiled as QWeb; macros are
    # replaced by plain string substitution of escaped values.
    body = fields.Html(
        sanitize=True,
        sanitize_style=True,
        help="The HTML of the document. Macros such as _company_name_ are replaced by the contract's values.",
    )
    show_custom_fields = fields.Boolean(
        string="Custom Fields Table",
        default=True,
        help="Print a table with the custom fields of the contract's type where the body has "
        "_custom_fields_table_, or after the body.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_body_size(vals.get("body"))
        return super().create(vals_list)

    def write(self, vals):
        if "body" in vals:
            self._check_body_size(vals["body"])
        return super().write(vals)

    @api.model
    def _check_body_size(self, body):
        # before sanitizing: a huge body costs time even to be refused later
        if body and len(body.encode()) > MAX_BODY_SIZE:
            raise ValidationError(
                self.env._(
                    "The template is too big (%(size)s KB): a contract template may hold up to %(max)s KB of HTML. "
                    "Use links to images instead of pasting them into the text.",
                    size=len(body.encode()) // 1024,
                    max=MAX_BODY_SIZE // 1024,
                )
            )
