import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import invoice_number
from ..tools.invoice_totals import compute_totals

_logger = logging.getLogger(__name__)

# Settings > Customers > Invoices
INVOICE_AUTO_NUMBER_PARAM = "integria_crm.invoice_auto_number"
INVOICE_PATTERN_PARAM = "integria_crm.invoice_number_pattern"
DEFAULT_INVOICE_PATTERN = "15/[1000]"

# How many numbers are checked against the visible invoices in one query
# before one of them is claimed.
CANDIDATE_BATCH = 20

INVOICE_TYPES = [("issued", "Issued"), ("received", "Received")]
INVOICE_STATES = [("pending", "Pending"), ("paid", "Paid"), ("cancelled", "Cancelled")]


# changing these makes an invoice's billed total (kept from Integria) moot
BILLED_FIGURES = {"line_ids", "discount_rate", "tax_ids", "retention_id", "currency_id"}


class IntegriaInvoice(models.Model):
    _name = "integria.invoice"
    _description = "Invoice"
    _inherit = ["integria.crm.customer.record", "mail.activity.mixin"]
    _integria_technical_fields = ("crm_path", "crm_owner_company_id", "sequence_pattern", "sequence_number")
    _order = "date_invoice desc, id desc"
    _rec_names_search = ["number", "reference", "partner_id"]
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain=[("is_crm_company", "=", True)],
        help="The CRM company invoiced (issued invoices) or invoicing (received invoices).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    number = fields.Char(
        index=True,
        copy=False,
        tracking=True,
        help="Left empty on an issued invoice, the next number of the pattern of the settings "
        "is taken when the invoice is saved. A number typed by hand is kept if no other invoice has it.",
    )
    reference = fields.Char(help="The customer's purchase order, or any reference of theirs.")
    contract_id = fields.Many2one(
        "integria.contract",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The contract this invoice bills. A contract also lists the invoices whose numbers "
        "its external code names.",
    )
    invoice_type = fields.Selection(INVOICE_TYPES, string="Type", required=True, default="issued", tracking=True)
    state = fields.Selection(
        INVOICE_STATES, string="Status", required=True, default="pending", copy=False, index=True, tracking=True
    )
    date_invoice = fields.Date(
        string="Invoice Date", required=True, default=fields.Date.context_today, copy=False, tracking=True
    )
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The invoice date plus the payment conditions of the company, unless changed.",
    )
    date_payment = fields.Date(string="Payment Date", copy=False, tracking=True)
    line_ids = fields.One2many("integria.invoice.line", "invoice_id", string="Lines", copy=True)
    tax_ids = fields.Many2many(
        "integria.invoice.tax",
        string="Taxes",
        domain=[("kind", "=", "tax")],
        help="Each tax is computed on the amount after the discount.",
    )
    retention_id = fields.Many2one(
        "integria.invoice.tax",
        domain=[("kind", "=", "retention")],
        ondelete="restrict",
        help="Withheld from the total, e.g. IRPF 15%.",
    )
    discount_name = fields.Char(help="Printed beside the discount.")
    discount_rate = fields.Float(string="Discount (%)", digits=(5, 2), help="Subtracted before taxes.")
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The currency of the issuing company unless changed.",
    )
    lang = fields.Selection(
        "_lang_get",
        string="Language",
        compute="_compute_lang",
        store=True,
        readonly=False,
        help="The language of the PDF: the company's language unless changed.",
    )
    description = fields.Html(help="Printed on the invoice: details of the order, bank account for the payment…")
    internal_note = fields.Text(help="For your colleagues: never printed.")
    locked_by_id = fields.Many2one(
        "res.users",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="Only this user may change or unlock the invoice.",
    )

    billed_total = fields.Monetary(
        copy=False,
        readonly=True,
        help="The total another program (Integria IMS) billed for this invoice, kept to the cent by the migration; "
        "cleared when the lines, taxes or discount change.",
    )

    # Amounts, stored for the billing overview
    amount_base = fields.Monetary(string="Base", compute="_compute_amounts", store=True)
    amount_discount = fields.Monetary(string="Discount", compute="_compute_amounts", store=True)
    amount_net = fields.Monetary(string="Net", compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary(string="Taxes Amount", compute="_compute_amounts", store=True)
    amount_retention = fields.Monetary(string="Retention Amount", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total", compute="_compute_amounts", store=True)

    # Automatic numbering: the pattern that gave the number, and its integer
    sequence_pattern = fields.Char(readonly=True, copy=False)
    sequence_number = fields.Integer(readonly=True, copy=False)

    _issued_number_unique = models.UniqueIndex(
        "(number) WHERE invoice_type = 'issued'",
        "Another issued invoice already has this number.",
    )
    _received_number_unique = models.UniqueIndex(
        "(partner_id, number) WHERE invoice_type = 'received'",
        "This company already has a received invoice with this number.",
    )
    _sequence_idx = models.Index("(sequence_pattern, sequence_number) WHERE sequence_pattern IS NOT NULL")
    _discount_rate_range = models.Constraint(
        "CHECK (discount_rate >= 0 AND discount_rate <= 100)",
        "The discount is a percentage between 0 and 100.",
    )

    # ------------------------------------------------------------------
    # Compute and constraint methods
    # ------------------------------------------------------------------
    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.depends("number")
    def _compute_display_name(self):
        for invoice in self:
            invoice.display_name = invoice.number or self.env._("New Invoice")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for invoice in self:
            invoice.currency_id = invoice.company_id.currency_id or self.env.company.currency_id

    @api.depends("partner_id")
    def _compute_lang(self):
        for invoice in self:
            invoice.lang = invoice.partner_id.lang or self.env.user.lang or "en_US"

    @api.depends("date_invoice", "partner_id")
    def _compute_date_due(self):
        for invoice in self:
            days = int(invoice.partner_id.payment_conditions or 0)
            invoice.date_due = invoice.date_invoice and invoice.date_invoice + timedelta(days=days)

    @api.depends_context("uid")
    @api.depends("locked_by_id")
    def _compute_crm_can_write(self):
        result = super()._compute_crm_can_write()
        for invoice in self:
            if invoice.locked_by_id and invoice.locked_by_id != self.env.user:
                invoice.crm_can_write = False
        return result

    @api.depends(
        "line_ids.amount", "discount_rate", "tax_ids.amount", "retention_id.amount", "currency_id", "billed_total"
    )
    def _compute_amounts(self):
        for invoice in self:
            totals = invoice._get_totals()
            invoice.amount_base = totals.base
            invoice.amount_discount = totals.discount
            invoice.amount_net = totals.net
            invoice.amount_tax = totals.tax_total
            invoice.amount_retention = totals.retention
            invoice.amount_total = totals.total

    @api.constrains("state", "date_payment")
    def _check_date_payment(self):
        if any(invoice.state == "paid" and not invoice.date_payment for invoice in self):
            raise ValidationError(self.env._("A paid invoice needs its payment date."))

    @api.constrains("date_invoice", "date_due")
    def _check_date_due(self):
        if any(invoice.date_due and invoice.date_due < invoice.date_invoice for invoice in self):
            raise ValidationError(self.env._("The due date cannot be before the invoice date."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        numbered = []
        default_type = None
        for vals in vals_list:
            self._check_lock_value(vals.get("locked_by_id"))
            if isinstance(vals.get("number"), str):
                vals["number"] = vals["number"].strip()
            if vals.get("number"):
                if not vals.get("invoice_type") and default_type is None:
                    default_type = self.default_get(["invoice_type"]).get("invoice_type")
                numbered.append((vals["number"], vals.get("invoice_type") or default_type, vals.get("partner_id")))
        self._check_numbers_available(numbered)
        invoices = super().create(vals_list)
        invoices._number_unnumbered()
        return invoices

    def write(self, vals):
        self._check_unlocked(vals)
        self._check_lock_value(vals.get("locked_by_id"))
        if isinstance(vals.get("number"), str):
            vals = {**vals, "number": vals["number"].strip()}
        if {"number", "invoice_type", "partner_id"}.intersection(vals):
            for invoice in self:
                number = vals.get("number", invoice.number)
                invoice_type = vals.get("invoice_type", invoice.invoice_type)
                partner_id = vals.get("partner_id", invoice.partner_id.id)
                if number:
                    self._check_number_available(number, invoice_type, partner_id, invoice.id)
        if self.filtered("billed_total") and BILLED_FIGURES.intersection(vals) and "billed_total" not in vals:
            vals = {**vals, "billed_total": False}
        renumbered = self._leaving_their_sequence(vals)
        result = super().write(vals)
        if renumbered:
            super(IntegriaInvoice, renumbered).write({"sequence_pattern": False, "sequence_number": False})
        if {"number", "invoice_type"}.intersection(vals):
            self._number_unnumbered()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_mark_paid(self):
        today = fields.Date.context_today(self)
        for invoice in self:
            invoice.write({"state": "paid", "date_payment": invoice.date_payment or today})
        return True

    def action_mark_pending(self):
        return self.write({"state": "pending", "date_payment": False})

    def action_cancel(self):
        return self.write({"state": "cancelled"})

    def action_lock(self):
        return self.write({"locked_by_id": self.env.uid})

    def action_unlock(self):
        return self.write({"locked_by_id": False})

    def action_print(self):
        """Return the action that prints the invoices (our own page layout:
        no document layout to configure first)."""
        action = self.env.ref("integria_crm.action_report_integria_invoice").report_action(self, config=False)
        # without data, "data" is None, which XML-RPC clients cannot read
        return {key: value for key, value in action.items() if value is not None}

    # ------------------------------------------------------------------
    # Totals
    # ------------------------------------------------------------------
    def _get_totals(self):
        """Return the :class:`InvoiceTotals` of the invoice (taxes in the
        order of ``tax_ids``)."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        return compute_totals(
            self.line_ids.mapped("amount"),
            currency.round,
            discount_rate=self.discount_rate,
            tax_rates=self.tax_ids.mapped("amount"),
            retention_rate=self.retention_id.amount,
            billed_total=self.billed_total if self.billed_total else None,
        )

    def _get_tax_amounts(self):
        """Return a list of (tax, amount) of the invoice, as printed."""
        self.ensure_one()
        return list(zip(self.tax_ids, self._get_totals().taxes, strict=True))

    # ------------------------------------------------------------------
    # Locks
    # ------------------------------------------------------------------
    def _check_unlocked(self, fnames=None):
        """Refuse changes to invoices locked by another user (the chatter's
        own fields excepted: locked invoices can still be discussed)."""
        if self.env.su or (fnames is not None and not set(fnames) - self._get_lock_free_fields()):
            return
        locked = self.filtered(lambda invoice: invoice.locked_by_id and invoice.locked_by_id != self.env.user)
        if locked:
            raise AccessError(
                self.env._(
                    "Invoice %(invoice)s is locked by %(user)s: only they may change or unlock it.",
                    invoice=locked[0].display_name,
                    user=locked[0].locked_by_id.sudo().name,
                )
            )

    def _check_lock_value(self, user_id):
        if user_id and not self.env.su and user_id != self.env.uid:
            raise AccessError(self.env._("You can only lock invoices in your own name."))

    @api.model
    def _get_lock_free_fields(self):
        return set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------
    @api.model
    def _auto_number_enabled(self):
        params = self.env["ir.config_parameter"].sudo()
        return params.get_param(INVOICE_AUTO_NUMBER_PARAM, "True") != "False"

    @api.model
    def _get_number_pattern(self):
        params = self.env["ir.config_parameter"].sudo()
        return (params.get_param(INVOICE_PATTERN_PARAM) or DEFAULT_INVOICE_PATTERN).strip()

    @api.model
    def _parse_number_pattern(self, pattern):
        """Return the :class:`InvoicePattern` of ``pattern``; raise a
        ValidationError that tells how to write it when it is wrong."""
        try:
            return invoice_number.parse_pattern(pattern)
        except invoice_number.PatternError as error:
            raise ValidationError(self._get_pattern_error_message(error)) from error

    @api.model
    def _get_pattern_error_message(self, error):
        pattern = error.pattern
        messages = {
            invoice_number.EMPTY: lambda: self.env._("Type an invoice number pattern, such as 15/[1000]."),
            invoice_number.NO_BRACKETS: lambda: self.env._(
                "The invoice number pattern %(pattern)s has no number in brackets: "
                "put the first number between brackets, as in 15/[1000].",
                pattern=pattern,
            ),
            invoice_number.UNBALANCED: lambda: self.env._(
                "The brackets of the invoice number pattern %(pattern)s do not match: "
                "put the first number between [ and ], as in 15/[1000].",
                pattern=pattern,
            ),
            invoice_number.SEVERAL_GROUPS: lambda: self.env._(
                "The invoice number pattern %(pattern)s has more than one pair of brackets: "
                "only one number can count, as in 15/[1000].",
                pattern=pattern,
            ),
            invoice_number.NOT_NUMERIC: lambda: self.env._(
                "The first number of the invoice number pattern %(pattern)s must be made of digits only, "
                "as in 15/[1000].",
                pattern=pattern,
            ),
            invoice_number.TOO_LARGE: lambda: self.env._(
                "The first number of the invoice number pattern %(pattern)s is too large: "
                "use at most %(digits)s digits.",
                pattern=pattern,
                digits=invoice_number.MAX_SEED_DIGITS,
            ),
        }
        return messages[error.code]()

    @api.model
    def _check_number_available(self, number, invoice_type, partner_id, invoice_id=None):
        """Refuse a number that another invoice has, with a clearer message
        than the unique indexes (which have the last word)."""
        domain = [("number", "=", number), ("invoice_type", "=", invoice_type)]
        if invoice_type == "received":
            domain.append(("partner_id", "=", partner_id))
        if invoice_id:
            domain.append(("id", "!=", invoice_id))
        if not self.sudo().search_count(domain, limit=1):
            return
        if invoice_type == "received":
            raise ValidationError(
                self.env._(
                    "%(company)s already has a received invoice numbered %(number)s.",
                    company=self.env["res.partner"].browse(partner_id).sudo().display_name,
                    number=number,
                )
            )
        raise ValidationError(self.env._("Another issued invoice already has the number %(number)s.", number=number))

    @api.model
    def _check_numbers_available(self, numbered):
        """:meth:`_check_number_available` of each ``(number, invoice_type,
        partner_id)`` of ``numbered``, in one search for all of them (an
        import creates invoices by the thousand)."""
        if not numbered:
            return
        taken = self.sudo().search_read(
            [("number", "in", list({number for number, _type, _partner in numbered}))],
            ["number", "invoice_type", "partner_id"],
            load=None,
        )
        # a received invoice's number is taken for its company only
        found = {
            (values["number"], values["invoice_type"], values["invoice_type"] == "received" and values["partner_id"])
            for values in taken
        }
        for number, invoice_type, partner_id in numbered:
            if (number, invoice_type, invoice_type == "received" and (partner_id or False)) in found:
                self._check_number_available(number, invoice_type, partner_id)

    def _leaving_their_sequence(self, vals):
        """Return the invoices of ``self`` whose automatic number ``vals``
        replaces by hand or turns into a received invoice's number."""
        if "number" not in vals and vals.get("invoice_type", "issued") == "issued":
            return self.browse()
        return self.filtered(
            lambda invoice: (
                invoice.sequence_pattern
                and (vals.get("number", invoice.number) != invoice.number or vals.get("invoice_type") == "received")
            )
        )

    def _number_unnumbered(self):
        """Number the issued invoices saved without a number when automatic
        numbers are on; refuse any other invoice without a number."""
        unnumbered = self.filtered(lambda invoice: not invoice.number)
        issued = unnumbered.filtered(lambda invoice: invoice.invoice_type == "issued")
        if issued and self._auto_number_enabled():
            issued._assign_numbers(self._get_number_pattern())
            unnumbered -= issued
        if unnumbered.filtered(lambda invoice: invoice.invoice_type == "received"):
            raise ValidationError(self.env._("Type the number that the supplier gave to the received invoice."))
        if unnumbered:
            raise ValidationError(self.env._("Automatic invoice numbers are off: type the number of the invoice."))

    def _assign_numbers(self, pattern_text):
        """Give these saved, unnumbered issued invoices the next numbers of
        ``pattern_text``, within the saving transaction.

        The sequence of a pattern continues after its highest number given
        automatically (numbers typed by hand are exceptions that it skips),
        starting at the first number of the pattern. See :meth:`_claim_number`
        for what happens when invoices are saved at the same time.
        """
        pattern = self._parse_number_pattern(pattern_text)
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT MAX(sequence_number) FROM %s WHERE sequence_pattern = %s",
                SQL.identifier(self._table),
                pattern_text,
            )
        )
        last = self.env.cr.fetchone()[0]
        next_number = pattern.seed if last is None else max(last + 1, pattern.seed)
        for invoice in self.sorted("id"):
            next_number = invoice._claim_number(pattern_text, pattern, next_number) + 1
        fnames = ["number", "sequence_pattern", "sequence_number"]
        self.invalidate_recordset(fnames, flush=False)
        self.modified(fnames)

    def _claim_number(self, pattern_text, pattern, first):
        """Write on this invoice the first free number of ``pattern`` from
        ``first`` on, and return it.

        Numbers that this transaction sees taken are skipped at once. A
        number that a concurrent transaction has committed since, or is
        saving, is refused by the unique index of issued numbers: the UPDATE
        waits for the other transaction, fails if it commits (then the next
        number is tried) and succeeds if it rolls back. No shared counter is
        locked, so concurrent saves never abort each other under Odoo's
        REPEATABLE READ isolation, and a save that fails gives its number
        back with its transaction: no number is burnt.
        """
        self.ensure_one()
        cr = self.env.cr
        while True:
            candidates = invoice_number.next_candidates(pattern, first, CANDIDATE_BATCH)
            cr.execute(
                SQL(
                    "SELECT number FROM %s WHERE invoice_type = 'issued' AND number = ANY(%s)",
                    SQL.identifier(self._table),
                    [text for _number, text in candidates],
                )
            )
            taken = {number for (number,) in cr.fetchall()}
            for number, text in candidates:
                if text in taken:
                    continue
                try:
                    with cr.savepoint(flush=False):
                        cr.execute(
                            SQL(
                                "UPDATE %s SET number = %s, sequence_pattern = %s, sequence_number = %s WHERE id = %s",
                                SQL.identifier(self._table),
                                text,
                                pattern_text,
                                number,
                                self.id,
                            ),
                            log_exceptions=False,
                        )
                except pg_errors.UniqueViolation:
                    _logger.debug("Invoice number %s was taken by a concurrent save: trying the next one", text)
                    continue
                return number
            first = candidates[-1][0] + 1
