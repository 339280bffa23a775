from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, html_sanitize

from ..tools import contract_macros, invoice_number
from ..tools.custom_fields import value_fields

CONTRACT_STATES = [
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("pending", "Pending"),
]
# Integria's status codes, printed by the _id_status_ macro
STATE_CODES = {"inactive": 0, "active": 1, "pending": 2}

CONTRACT_DOCUMENT_REPORT = "integria_crm.report_integria_contract_document"
REMINDER_DAYS_PARAM = "integria_crm.contract_reminder_days"
DEFAULT_REMINDER_DAYS = 30


class IntegriaContract(models.Model):
    _name = "integria.contract"
    _description = "Contract"
    _inherit = ["integria.crm.customer.record", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _crm_no_activity_fields = frozenset({"reminder_date_end"})

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        tracking=True,
        help="A short name that identifies the contract in lists; each company may follow its own naming.",
    )
    contract_number = fields.Char(tracking=True, copy=False)  # indexed by its UNIQUE constraint
    external_code = fields.Char(
        tracking=True,
        help="The invoice numbers of this contract, separated by commas.",
    )
    description = fields.Text()
    invoice_ids = fields.Many2many(
        "integria.invoice",
        compute="_compute_invoice_ids",
        help="The invoices whose numbers the external code lists, and those that point to this contract.",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")
    date_start = fields.Date(string="Start Date", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(string="End Date", index="btree_not_null", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
        domain=[("is_crm_company", "=", True)],
        help="The CRM company this contract belongs to: whoever sees the company sees its contracts.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    state = fields.Selection(
        CONTRACT_STATES,
        string="Status",
        required=True,
        default="active",
        tracking=True,
        group_expand=True,
    )
    is_private = fields.Boolean(
        string="Private",
        tracking=True,
        help="A private contract is seen only by the users of the CRM company of the company's owner.",
    )
    type_id = fields.Many2one(
        "integria.contract.type",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
    )
    contract_properties = fields.Properties(
        string="Custom Fields",
        definition="type_id.properties_definition",
        copy=True,
    )
    sla = fields.Char(string="SLA", help="The service level agreement of the contract (informative).")
    support_group = fields.Char(string="Group", help="The group in charge of the contract (informative).")
    reminder_date_end = fields.Date(
        string="Reminded End Date",
        copy=False,
        readonly=True,
        help="The end date the owner was last reminded of: changing the end date allows a new reminder.",
    )
    document_count = fields.Integer(compute="_compute_document_count", string="Documents")

    _contract_number_unique = models.Constraint(
        "UNIQUE(contract_number)",
        "Another contract already has this contract number: contract numbers are unique.",
    )
    # Counts under the record rules read this index only, no table rows.
    _access_rule_idx = models.Index("(crm_path text_pattern_ops, crm_owner_id, crm_owner_company_id, is_private)")
    _list_order_idx = models.Index("(date_start DESC, id DESC)")

    # ------------------------------------------------------------------
    # Compute and constraint methods
    # ------------------------------------------------------------------
    @api.depends("external_code")
    @api.depends_context("uid")
    def _compute_invoice_ids(self):
        numbers = {contract: invoice_number.split_numbers(contract.external_code) for contract in self}
        all_numbers = [number for contract_numbers in numbers.values() for number in contract_numbers]
        invoices = self.env["integria.invoice"].search(
            ["|", ("contract_id", "in", self._origin.ids), ("number", "in", all_numbers)]
        )
        for contract in self:
            contract.invoice_ids = invoices.filtered(
                lambda invoice, contract=contract: (
                    invoice.contract_id == contract._origin
                    or (invoice.number in numbers[contract] and invoice.partner_id == contract.partner_id)
                )
            )
            contract.invoice_count = len(contract.invoice_ids)

    def _compute_document_count(self):
        groups = self.env["ir.attachment"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
        )
        counts = dict(groups)
        for contract in self:
            contract.document_count = counts.get(contract.id, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_start and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "The end date of %(contract)s (%(end)s) is before its start date (%(start)s).",
                        contract=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_invoice(self):
        """Open a new invoice for the contract's company, linked to the contract."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Invoice"),
            "res_model": "integria.invoice",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_contract_id": self.id,
            },
        }

    def action_open_document_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_contract_document_wizard")
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_attachment")
        action.update(
            domain=[("res_model", "=", self._name), ("res_id", "=", self.id)],
            context={"default_res_model": self._name, "default_res_id": self.id},
        )
        return action

    # ------------------------------------------------------------------
    # Expiry reminders
    # ------------------------------------------------------------------
    @api.model
    def _get_reminder_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(REMINDER_DAYS_PARAM)
        try:
            return max(int(value), 0) if value else DEFAULT_REMINDER_DAYS
        except ValueError:
            return DEFAULT_REMINDER_DAYS

    @api.model
    def _cron_remind_expiring_contracts(self):
        """Give the owner of each company a to-do before its contracts end.

        One reminder per contract and end date: a contract whose end date
        moves gets a new one when the new date comes near.
        """
        today = fields.Date.context_today(self)
        # every contract, whichever user the job runs as
        candidates = self.sudo().search(
            [
                ("date_end", ">=", today),
                ("date_end", "<=", today + timedelta(days=self._get_reminder_days())),
                ("state", "!=", "inactive"),
                ("crm_owner_id", "!=", False),
            ]
        )
        contracts = candidates.filtered(lambda contract: contract.reminder_date_end != contract.date_end)
        for contract in contracts:
            contract._schedule_expiry_reminder()
        return contracts

    def _schedule_expiry_reminder(self):
        self.ensure_one()
        owner = self.crm_owner_id
        owner_env = self.with_context(lang=owner.lang).env
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date_end,
            summary=owner_env._("Contract ends on %(date)s", date=format_date(owner_env, self.date_end)),
            user_id=owner.id,
        )
        self.reminder_date_end = self.date_end

    # ------------------------------------------------------------------
    # Contract documents
    # ------------------------------------------------------------------
    def _generate_document_pdf(self, template):
        """Render ``template`` for each contract to PDF and attach it to the contract.

        :param template: an ``integria.contract.template`` record or id
        :return: the new attachments, one per contract
        """
        template = self.env["integria.contract.template"].browse(getattr(template, "id", template))
        self.check_access("write")
        # Our layout links no asset bundle and runs no script, so wkhtmltopdf
        # needs nothing from this server (unless a template shows images
        # stored here): the PDF is rendered in every mode, tests included.
        reports = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        report = reports._get_report(CONTRACT_DOCUMENT_REPORT)
        attachments = self.env["ir.attachment"]
        for contract in self:
            pdf, _report_type = reports._render_qweb_pdf(report, contract.ids, data={"template_id": template.id})
            attachment = self.env["ir.attachment"].create(contract._prepare_document_attachment_values(template, pdf))
            contract.message_post(
                body=self.env._("Document generated from the template %(template)s.", template=template.name),
                attachment_ids=attachment.ids,
            )
            attachments |= attachment
        return attachments

    def _prepare_document_attachment_values(self, template, pdf):
        self.ensure_one()
        return {
            "name": self._document_file_name(template),
            "raw": pdf,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        }

    def _document_file_name(self, template):
        today = fields.Date.context_today(self)
        base = f"{self.name} - {template.name} - {today.isoformat()}".replace("/", "-")
        taken = set(
            self.env["ir.attachment"]
            .search([("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "=like", f"{base}%")])
            .mapped("name")
        )
        name, copy_number = f"{base}.pdf", 1
        while name in taken:
            copy_number += 1
            name = f"{base} ({copy_number}).pdf"
        return name

    def _render_document_html(self, template, custom_fields=None):
        """Return the body of ``template`` with the macros of this contract, as safe markup.

        :param custom_fields: the result of ``_read_custom_fields``, when already read
        """
        self.ensure_one()
        values = self._get_document_macro_values(template, custom_fields)
        html = contract_macros.substitute_macros(template.body or "", values)
        # the body was sanitized on save; the substituted output is sanitized again
        return Markup(html_sanitize(html, sanitize_attributes=True, sanitize_style=True))

    def _get_document_macro_values(self, template, custom_fields=None):
        """Return the raw (unescaped) value of every macro for ``template``."""
        self.ensure_one()
        if custom_fields is None:
            custom_fields = self._read_custom_fields()
        lang, contract = self._in_document_language(template)
        company = contract.partner_id
        yes, no = contract.env._("Yes"), contract.env._("No")
        last_activity = company.last_activity_date
        return {
            "id_contract": contract.id,
            "name_contract": contract.name,
            "contract_number": contract.contract_number,
            "contract_description": contract.description,
            "date_begin": contract_macros.format_short_date(contract.date_start),
            "date_end": contract_macros.format_short_date(contract.date_end),
            "id_company": company.id,
            "private": yes if contract.is_private else no,
            "id_status": STATE_CODES[contract.state],
            "name_status": selection_label(contract, "state"),
            "company_name": company.name,
            "company_address": "\n".join(
                line.strip() for line in company._display_address(without_company=True).splitlines() if line.strip()
            ),
            "company_fiscal_id": company.vat,
            "company_country": company.country_id.name,
            "company_website": company.website,
            "company_comments": contract_macros.html_to_text(company.comment),
            "company_manager": company.owner_id.name,
            "company_last_update": contract_macros.format_short_date(
                last_activity and fields.Datetime.context_timestamp(contract, last_activity)
            ),
            "company_payment_conditions": selection_label(company, "payment_conditions"),
            "contract_type_id": contract.type_id.id,
            "contract_type_name": contract.type_id.name,
            "contract_type_description": contract.type_id.description,
            "template_id": template.id,
            "template_name": template.name,
            "template_description": template.description,
            **contract_macros.date_macros(fields.Date.context_today(contract), lang),
            **contract_macros.custom_macro_values(custom_fields, lang, yes, no, self.env.tz),
        }

    def _get_document_custom_fields(self, template, custom_fields=None):
        """Return ``[(label, text)]``: the custom fields printed under the body."""
        self.ensure_one()
        if custom_fields is None:
            custom_fields = self._read_custom_fields()
        lang, contract = self._in_document_language(template)
        yes, no = contract.env._("Yes"), contract.env._("No")
        return [
            (
                prop.get("string") or prop["name"],
                contract_macros.format_property_value(prop, lang, yes, no, self.env.tz),
            )
            for prop in value_fields(custom_fields)
        ]

    def _in_document_language(self, template):
        """Return the language code of ``template`` and the contract in that language.

        Dates follow the template's language even when it is not installed;
        translated words then fall back to English.
        """
        language = template.lang_id
        lang = language.code or self.env.lang or "en_US"
        return lang, self.with_context(lang=lang if language.active else "en_US")

    def _read_custom_fields(self):
        """Return the custom fields of the contract with their values, in the read format."""
        self.ensure_one()
        return self.read(["contract_properties"])[0]["contract_properties"] or []


def selection_label(record, field_name):
    """Return the label of the selection value of ``record`` in its language."""
    return dict(record._fields[field_name]._description_selection(record.env)).get(record[field_name], "")
