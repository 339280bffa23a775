"""Integria's CRM API operations besides create_lead, for the endpoint of
controllers/lead_intake.py: validate_user, user_exists, create_company,
create_invoice, get_invoice and get_last_invoice_id, with Integria's
positional parameters. The controller turns their results into Integria's
answers (tools/integria_answers.py)."""

import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, AccessError, ValidationError
from odoo.tools import html2plaintext, plaintext2html

from .crm_lead_intake import API_KEY_SCOPE, IntegriaLeadError

# Integria's invoice words and ours
INVOICE_TYPES = {"submitted": "issued", "received": "received"}
INVOICE_STATES = {"pending": "pending", "paid": "paid", "canceled": "cancelled", "cancelled": "cancelled"}
INTEGRIA_INVOICE_TYPES = {"issued": "Submitted", "received": "Received"}
INTEGRIA_INVOICE_STATES = {"pending": "pending", "paid": "paid", "cancelled": "canceled"}
INVOICE_CONCEPTS = 5

# create_invoice's positional parameters (0-based), in Integria's order
INVOICE_PARAMS = (
    "id_user",
    "id_task",
    "id_company",
    "bill_id",
    "concept1",
    "amount1",
    "tax",
    "currency",
    "description",
    "locked",
    "locked_id_user",
    "invoice_create_date",
    "invoice_payment_date",
    "status",
    "reference",
    "internal_note",
    "invoice_type",
    "id_language",
)
# create_company's positional parameters (0-based)
COMPANY_PARAMS = ("name", "address", "fiscal_id", "id_company_role", "country", "manager", "id_parent")


class IntegriaApiError(IntegriaLeadError):
    """An operation refused: ``code`` for the caller's program, the
    translated message for people, ``answer`` the words Integria writes in
    its own answer where it writes one (create_invoice's error)."""

    def __init__(self, code, message, answer=None):
        super().__init__(code, message)
        self.answer = answer or code


class IntegriaApi(models.AbstractModel):
    _name = "integria.api"
    _description = "Integria API Operations"

    # ------------------------------------------------------------------
    # Users
    # ------------------------------------------------------------------
    @api.model
    def _integria_validate_user(self, login, secret):
        """1 when ``login`` is an active user and ``secret`` its password or
        one of its API keys, else 0 (Integria counts the matching users)."""
        user = self.env["res.users"].sudo().search([("login", "=", login)], limit=1) if login else None
        if not user or not secret:
            return 0
        if self.env["res.users.apikeys"].sudo()._check_credentials(scope=API_KEY_SCOPE, key=secret) == user.id:
            return 1
        credential = {"type": "password", "login": login, "password": secret}
        try:
            user.with_user(user)._check_credentials(credential, {"interactive": False})
        except AccessDenied:
            return 0
        return 1

    @api.model
    def _integria_user_exists(self, login):
        return bool(login) and bool(self.env["res.users"].sudo().search_count([("login", "=", login)], limit=1))

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------
    @api.model
    def _integria_create_company(self, values):
        """Create a CRM company from create_company's values (name, address,
        fiscal id, role id, country, manager login, parent id); return it.
        The caller needs the right to create companies; the manager owns
        the new company (the caller when empty); a parent id of 0 hangs it
        from the caller's CRM company."""
        values = dict(zip(COMPANY_PARAMS, values, strict=False))
        name = values.get("name") or ""
        if not name:
            raise IntegriaApiError("missing_parameter", self.env._("Parameter 0 (name) is required."))
        self.env["res.partner"].check_access("create")
        country_text = values.get("country") or ""
        country = self.env["res.country"]._integria_find_country(country_text)
        partner_values = {
            "name": name,
            "is_company": True,
            "is_crm_company": True,
            "street": values.get("address") or False,
            "vat": values.get("fiscal_id") if values.get("fiscal_id") not in (None, "", "0") else False,
            "country_id": country.id,
            "owner_id": self._integria_user(values.get("manager"), "manager").id or self.env.uid,
            "crm_role_id": self._integria_record("integria.crm.role", values.get("id_company_role"), "role").id,
            "crm_parent_id": self._integria_record("res.partner", values.get("id_parent"), "parent").id
            or self.env.user.crm_company_id.id,
        }
        company = self.env["res.partner"].sudo().create(partner_values)
        body = self.env._(
            "Created through %(channel)s by %(user)s.",
            channel=self.env.context.get("integria_intake_source") or self.env._("the external API"),
            user=self.env.user.name,
        )
        if country_text and not country:
            body += " " + self.env._('The country "%(country)s" matches no country.', country=country_text)
        company._message_log(body=body, message_type="notification")
        return company.with_env(self.env)

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    @api.model
    def _integria_create_invoice(self, values):
        """Create an invoice from create_invoice's 18 values, checked in
        Integria's order with Integria's answers; return it. The caller
        needs the right to invoice the company."""
        values = dict(zip(INVOICE_PARAMS, values, strict=False))
        for key, answer in (
            ("bill_id", "empty billing id"),
            ("id_company", "empty invoice company"),
            ("concept1", "empty invoice concept"),
            ("amount1", "empty invoice amount"),
            ("currency", "empty invoice currency"),
            ("invoice_type", "empty invoice type (Submitted or Received)"),
        ):
            if not values.get(key):
                raise IntegriaApiError(
                    "missing_parameter",
                    self.env._("Parameter %(name)s is required.", name=key),
                    answer,
                )
        invoice_values = self._prepare_integria_invoice_values(values)
        Invoice = self.env["integria.invoice"]
        if Invoice.sudo().search_count([("number", "=", values["bill_id"])], limit=1):
            raise IntegriaApiError(
                "invalid_billing_id",
                self.env._("Another invoice already has the number %(number)s.", number=values["bill_id"]),
                "invalid billing id",
            )
        try:
            with self.env.cr.savepoint():
                invoice = Invoice.create(invoice_values)
                invoice.flush_recordset()
        except (AccessError, ValidationError) as error:
            code = "access_denied" if isinstance(error, AccessError) else "invalid_invoice"
            raise IntegriaApiError(code, error.args[0], "error creating invoice") from None
        return invoice

    @api.model
    def _prepare_integria_invoice_values(self, values):
        self._integria_user(values.get("id_user"), "id_user", "user does not exist")
        locked = values.get("locked") not in (None, "", "0")
        locked_by = self._integria_user(
            values.get("locked_id_user") if locked else "", "locked_id_user", "user locked does not exist"
        )
        if locked and not locked_by:
            raise IntegriaApiError(
                "unknown_user", self.env._("Parameter locked_id_user names no user."), "user locked does not exist"
            )
        company = self._integria_record("res.partner", values["id_company"], "id_company", "error creating invoice")
        state = INVOICE_STATES.get((values.get("status") or "pending").lower())
        invoice_type = INVOICE_TYPES.get(values["invoice_type"].lower())
        currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", values["currency"])])
        if not (state and invoice_type and currency and company.is_crm_company):
            raise IntegriaApiError(
                "invalid_invoice",
                self.env._("The company, the currency, the type or the status is not one Odoo knows."),
                "error creating invoice",
            )
        date_invoice = self._integria_date(values.get("invoice_create_date")) or fields.Date.context_today(self)
        date_payment = self._integria_date(values.get("invoice_payment_date"))
        invoice_values = {
            "number": values["bill_id"],
            "partner_id": company.id,
            "invoice_type": invoice_type,
            "state": state,
            "currency_id": currency.id,
            "date_invoice": date_invoice,
            "date_payment": date_payment or (date_invoice if state == "paid" else False),
            "reference": values.get("reference") or False,
            "description": plaintext2html(values["description"]) if values.get("description") else False,
            "internal_note": values.get("internal_note") or False,
            "line_ids": [
                fields.Command.create(
                    {"description": values["concept1"], "amount": self._integria_amount(values["amount1"])}
                )
            ],
            "tax_ids": [fields.Command.set(self._integria_taxes(values.get("tax")).ids)],
            "locked_by_id": locked_by.id,
        }
        if lang := self._integria_lang(values.get("id_language")):
            invoice_values["lang"] = lang
        return invoice_values

    @api.model
    def _integria_get_invoice(self, number):
        """The values of get_invoice (tools/integria_answers.py, INVOICE_KEYS)
        of the invoice numbered ``number`` that the caller sees, or []."""
        invoice = self.env["integria.invoice"].search([("number", "=", number)], limit=1) if number else None
        if not invoice:
            return []
        lines = invoice.line_ids.sorted(lambda line: (line.sequence, line.id))[:INVOICE_CONCEPTS]
        concepts = [line.description for line in lines] + [""] * (INVOICE_CONCEPTS - len(lines))
        amounts = [f"{line.amount:.2f}" for line in lines] + ["0.00"] * (INVOICE_CONCEPTS - len(lines))
        return [
            invoice.id,
            invoice.create_uid.login,
            "",
            invoice.partner_id.id,
            invoice.number,
            *concepts,
            *amounts,
            f"{sum(invoice.tax_ids.mapped('amount')):g}" if invoice.tax_ids else "",
            invoice.currency_id.name,
            html2plaintext(invoice.description) if invoice.description else "",
            "",
            1 if invoice.locked_by_id else 0,
            invoice.locked_by_id.login or "",
            fields.Date.to_string(invoice.date_invoice),
            fields.Date.to_string(invoice.date_payment) if invoice.date_payment else "",
            INTEGRIA_INVOICE_STATES[invoice.state],
            invoice.reference or "",
            invoice.internal_note or "",
            INTEGRIA_INVOICE_TYPES[invoice.invoice_type],
            invoice.lang or "",
        ]

    @api.model
    def _integria_get_last_invoice_id(self):
        """The number of the caller's latest issued invoice ('' if none)."""
        invoice = self.env["integria.invoice"].search(
            [("invoice_type", "=", "issued"), ("number", "!=", False)], order="date_invoice desc, id desc", limit=1
        )
        return invoice.number or ""

    # ------------------------------------------------------------------
    # Lookups of the positional values
    # ------------------------------------------------------------------
    @api.model
    def _integria_user(self, login, name, answer=None):
        if not login:
            return self.env["res.users"]
        user = self.env["res.users"].sudo()._integria_find_login(login)
        if not user:
            raise IntegriaApiError(
                "unknown_user",
                self.env._("Parameter %(name)s: no internal user has the login %(login)s.", name=name, login=login),
                answer,
            )
        return user

    @api.model
    def _integria_record(self, model, record_id, name, answer=None):
        if record_id in (None, "", "0"):
            return self.env[model]
        record = self.env[model].sudo().browse(int(record_id)).exists() if str(record_id).isdigit() else None
        if not record or (model == "res.partner" and not record.is_company):
            raise IntegriaApiError(
                "unknown_record",
                self.env._("Parameter %(name)s: nothing has the id %(id)s.", name=name, id=record_id),
                answer,
            )
        return record

    @api.model
    def _integria_amount(self, text):
        try:
            return float(text.replace(",", ".") if "." not in text else text)
        except ValueError:
            raise IntegriaApiError(
                "not_a_number",
                self.env._("Parameter amount1 must be a number."),
                "error creating invoice",
            ) from None

    @api.model
    def _integria_taxes(self, text):
        Tax = self.env["integria.invoice.tax"]
        if not text or text in ("0", "0.0", "0.00"):
            return Tax
        rate = self._integria_amount(text)
        taxes = Tax.search([("kind", "=", "tax"), ("amount", "=", rate)], limit=1)
        if not taxes:
            raise IntegriaApiError(
                "unknown_tax",
                self.env._("No tax has the rate %(rate)s%%.", rate=text),
                "error creating invoice",
            )
        return taxes

    @api.model
    def _integria_date(self, text):
        if not text or text.startswith("0000-00-00"):
            return False
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise IntegriaApiError(
                "invalid_date",
                self.env._("%(date)s is not a date (YYYY-MM-DD).", date=text),
                "error creating invoice",
            ) from None

    @api.model
    def _integria_lang(self, code):
        if not code:
            return False
        installed = dict(self.env["res.lang"].get_installed())
        code = code.replace("-", "_")
        return next((lang for lang in installed if lang.lower() == code.lower()), False) or next(
            (lang for lang in installed if lang.split("_")[0] == code.lower()), False
        )
