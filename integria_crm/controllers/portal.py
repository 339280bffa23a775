"""The customer portal: the contracts and invoices of a CRM customer under My Account.

Lists are searched as the visitor, so the record rules of the portal group
(security/integria_crm_portal_security.xml) decide what they show; a page
checks the visitor's access, or the record's access token, then reads the
record as superuser and shows only what is meant for the customer
(docs/permissions.md, "Customer portal").
"""

import ast

from odoo import fields, http
from odoo.addons.base.models.res_lang import intersperse
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.misc import get_lang

from ..models.integria_invoice_portal import INVOICE_REPORT

CONTRACT_HISTORY = "my_integria_contracts_history"
INVOICE_HISTORY = "my_integria_invoices_history"


class IntegriaCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # My Account
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "integria_contract_count" in counters:
            values["integria_contract_count"] = self._integria_count(
                "integria.contract", self._get_integria_contracts_domain()
            )
        if "integria_invoice_count" in counters:
            values["integria_invoice_count"] = self._integria_count(
                "integria.invoice", self._get_integria_invoices_domain()
            )
        return values

    @staticmethod
    def _integria_count(model_name, domain):
        model = request.env[model_name]
        return model.search_count(domain) if model.has_access("read") else 0

    def _integria_list_values(self, model_name, domain, options, page, url):
        """Return the values of a list page and the records of the page (as superuser).

        :param options: ``(sortings, sortby, filters, filterby, inputs, search_in, search)``
        """
        sortings, sortby, filters, filterby, inputs, search_in, search = options
        model = request.env[model_name]
        sortby = sortby if sortby in sortings else next(iter(sortings))
        filterby = filterby if filterby in filters else next(iter(filters))
        search_in = search_in if search_in in inputs else next(iter(inputs))
        domain = Domain.AND([domain, filters[filterby]["domain"]])
        if search:
            domain &= Domain.OR([Domain(name, "ilike", search) for name in inputs[search_in]["fields"]])
        readable = model.has_access("read")
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "filterby": filterby, "search_in": search_in, "search": search},
            total=model.search_count(domain) if readable else 0,
            page=page,
            step=self._items_per_page,
        )
        records = (
            model.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"])
            if readable
            else model
        )
        values = {
            **self._prepare_portal_layout_values(),
            "pager": pager,
            "default_url": url,
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
            "searchbar_inputs": inputs,
            "search_in": search_in,
            "search": search,
            **self._integria_list_formatters(),
        }
        # the rules chose the records; their fields are read in one go
        return values, records.sudo()

    @staticmethod
    def _integria_list_formatters():
        """Formatters of the list cells in the visitor's language: a page of
        80 rows formats its dates and amounts as format_date and format_amount
        would, reading the language's formats once rather than for each cell."""
        env = request.env
        lang = get_lang(env)
        grouping = ast.literal_eval(lang.grouping)

        def format_money(amount, currency):
            # amounts are stored rounded to their currency (res.lang.format, once parsed)
            units, _point, decimals = (f"%.{currency.decimal_places}f" % amount).partition(".")
            number = intersperse(units, grouping, lang.thousands_sep or "")[0]
            number = f"{number}{lang.decimal_point}{decimals}" if decimals else number
            number = number.replace(" ", "\N{NO-BREAK SPACE}")
            symbol = currency.symbol or ""
            if currency.position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{number}"
            return f"{number}\N{NO-BREAK SPACE}{symbol}"

        return {
            "format_date": lambda value: value.strftime(lang.date_format) if value else "",
            "format_amount": format_money,
            "today": fields.Date.context_today(env.user),
            **IntegriaCustomerPortal._integria_state_labels(),
        }

    @staticmethod
    def _integria_state_labels():
        """The labels of the contract and invoice statuses, and the badge of each contract status."""
        env = request.env
        return {
            "contract_states": dict(env["integria.contract"]._fields["state"]._description_selection(env)),
            "contract_badges": {
                "active": "text-bg-success",
                "pending": "text-bg-info",
                "inactive": "text-bg-secondary",
            },
            "invoice_states": dict(env["integria.invoice"]._fields["state"]._description_selection(env)),
        }

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------
    def _get_integria_contracts_domain(self):
        return Domain("is_private", "=", False)

    def _get_integria_contract_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_start desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name, id desc"},
            "number": {"label": request.env._("Contract Number"), "order": "contract_number, id desc"},
            "end": {"label": request.env._("End Date"), "order": "date_end, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_start desc, id desc"},
        }

    def _get_integria_contract_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "active": {"label": request.env._("Active"), "domain": Domain("state", "=", "active")},
            "pending": {"label": request.env._("Pending"), "domain": Domain("state", "=", "pending")},
            "inactive": {"label": request.env._("Inactive"), "domain": Domain("state", "=", "inactive")},
        }

    def _get_integria_contract_inputs(self):
        return {
            "all": {
                "input": "all",
                "label": request.env._("Search in Reference and Number"),
                "fields": ["name", "contract_number"],
            },
            "name": {"input": "name", "label": request.env._("Search in Reference"), "fields": ["name"]},
            "number": {
                "input": "number",
                "label": request.env._("Search in Contract Number"),
                "fields": ["contract_number"],
            },
        }

    @http.route(
        ["/my/integria/contracts", "/my/integria/contracts/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_integria_contracts(self, page=1, sortby=None, filterby=None, search_in=None, search=None, **kw):
        options = (
            self._get_integria_contract_sortings(),
            sortby,
            self._get_integria_contract_filters(),
            filterby,
            self._get_integria_contract_inputs(),
            search_in,
            search,
        )
        values, contracts = self._integria_list_values(
            "integria.contract", self._get_integria_contracts_domain(), options, page, "/my/integria/contracts"
        )
        request.session[CONTRACT_HISTORY] = contracts.ids[:100]
        values.update(contracts=contracts, page_name="integria_contract")
        return request.render("integria_crm.portal_my_integria_contracts", values)

    def _integria_contract_check_access(self, contract_id, access_token=None):
        """Return the contract (as superuser) if the visitor may see it in the portal."""
        contract_sudo = self._document_check_access("integria.contract", contract_id, access_token)
        if contract_sudo.is_private:
            # private contracts stay inside the company, whatever link was shared
            raise AccessError(request.env._("This contract is not available in the portal."))
        return contract_sudo

    @http.route("/my/integria/contracts/<int:contract_id>", type="http", auth="public", website=True)
    def portal_my_integria_contract(self, contract_id, access_token=None, **kw):
        try:
            contract_sudo = self._integria_contract_check_access(contract_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            **self._integria_state_labels(),
            "page_name": "integria_contract",
            "custom_fields": contract_sudo._get_portal_custom_fields(),
            "documents": contract_sudo._get_portal_documents(),
            "request_kinds": self._get_integria_request_kinds(),
            # asking needs an account that reaches the contract, not a shared link
            "can_ask": self._integria_readable(contract_sudo),
            "request_sent": kw.get("request_sent"),
        }
        values = self._get_page_view_values(contract_sudo, access_token, values, CONTRACT_HISTORY, False, **kw)
        return request.render("integria_crm.portal_integria_contract_page", values)

    @http.route(
        "/my/integria/contracts/<int:contract_id>/documents/<int:document_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_integria_contract_document(self, contract_id, document_id, access_token=None, **kw):
        try:
            contract_sudo = self._integria_contract_check_access(contract_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        document = contract_sudo._get_portal_documents().filtered(lambda attachment: attachment.id == document_id)
        if not document:
            return request.not_found()
        return request.env["ir.binary"]._get_stream_from(document).get_response(as_attachment=True)

    # ------------------------------------------------------------------
    # Ask us
    # ------------------------------------------------------------------
    def _get_integria_request_kinds(self):
        return {
            "renewal": request.env._("Renewal"),
            "seats": request.env._("More seats or services"),
            "question": request.env._("Another question"),
        }

    @staticmethod
    def _integria_readable(record_sudo):
        """Whether the visitor's own access (not a shared link) reaches the record."""
        if request.env.user._is_public():
            return False
        return bool(record_sudo.with_env(request.env)._filtered_access("read"))

    @http.route(
        "/my/integria/contracts/<int:contract_id>/request",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_integria_contract_request(self, contract_id, kind=None, message=None, **kw):
        try:
            contract_sudo = self._integria_contract_check_access(contract_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        kinds = self._get_integria_request_kinds()
        message = (message or "").strip()
        if kind not in kinds or not message:
            return request.redirect(f"{contract_sudo.access_url}#integria_request")
        subject = request.env._("%(kind)s: %(contract)s", kind=kinds[kind], contract=contract_sudo.name)
        request.env["crm.lead"]._create_portal_request(contract_sudo, request.env.user.partner_id, subject, message)
        return request.redirect(f"{contract_sudo.access_url}?request_sent=1")

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    def _get_integria_invoices_domain(self):
        return Domain("invoice_type", "=", "issued")

    def _get_integria_invoice_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_invoice desc, id desc"},
            "due": {"label": request.env._("Due Date"), "order": "date_due desc, id desc"},
            "number": {"label": request.env._("Number"), "order": "number desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_invoice desc, id desc"},
        }

    def _get_integria_invoice_filters(self):
        today = fields.Date.context_today(request.env.user)
        return {
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
            "pending": {"label": request.env._("Pending"), "domain": Domain("state", "=", "pending")},
            "overdue": {
                "label": request.env._("Overdue"),
                "domain": Domain("state", "=", "pending") & Domain("date_due", "<", today),
            },
            "paid": {"label": request.env._("Paid"), "domain": Domain("state", "=", "paid")},
        }

    def _get_integria_invoice_inputs(self):
        return {
            "all": {
                "input": "all",
                "label": request.env._("Search in Number and Reference"),
                "fields": ["number", "reference"],
            },
        }

    @http.route(
        ["/my/integria/invoices", "/my/integria/invoices/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_integria_invoices(self, page=1, sortby=None, filterby=None, search_in=None, search=None, **kw):
        options = (
            self._get_integria_invoice_sortings(),
            sortby,
            self._get_integria_invoice_filters(),
            filterby,
            self._get_integria_invoice_inputs(),
            search_in,
            search,
        )
        values, invoices = self._integria_list_values(
            "integria.invoice", self._get_integria_invoices_domain(), options, page, "/my/integria/invoices"
        )
        request.session[INVOICE_HISTORY] = invoices.ids[:100]
        values.update(invoices=invoices, page_name="integria_invoice")
        return request.render("integria_crm.portal_my_integria_invoices", values)

    def _integria_invoice_check_access(self, invoice_id, access_token=None):
        """Return the invoice (as superuser) if the visitor may see it in the portal."""
        invoice_sudo = self._document_check_access("integria.invoice", invoice_id, access_token)
        if invoice_sudo.invoice_type != "issued":
            # received invoices are the company's own bills, never a customer's
            raise AccessError(request.env._("This invoice is not available in the portal."))
        return invoice_sudo

    @http.route("/my/integria/invoices/<int:invoice_id>", type="http", auth="public", website=True)
    def portal_my_integria_invoice(self, invoice_id, access_token=None, report_type=None, download=False, **kw):
        try:
            invoice_sudo = self._integria_invoice_check_access(invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf"):
            return self._show_report(invoice_sudo, report_type, INVOICE_REPORT, download=download)
        values = self._get_page_view_values(
            invoice_sudo,
            access_token,
            {**self._integria_state_labels(), "page_name": "integria_invoice"},
            INVOICE_HISTORY,
            False,
            **kw,
        )
        return request.render("integria_crm.portal_integria_invoice_page", values)
