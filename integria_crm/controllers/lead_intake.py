"""Lead intake over HTTP: Integria's ``include/api.php`` and a public web form.

Existing Integria web sites call ``<base>/include/api.php?user=...&op=
create_lead&params=...``; after the move only the base URL changes: the
endpoint answers on ``/include/api.php`` and under the configured prefix
(``/integria/include/api.php`` by default). See the addon's readme/USAGE.md.
"""

import hashlib
import logging
import re
import threading
from base64 import b64decode
from binascii import Error as BinasciiError
from urllib.parse import quote

from markupsafe import Markup

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize

from ..models.crm_lead_intake import (
    API_ALLOWED_IPS_PARAM,
    API_GROUP,
    API_KEY_SCOPE,
    API_PREFIX_PARAM,
    API_TRUSTED_IPS_PARAM,
    DEFAULT_API_PREFIX,
    IDEMPOTENCY_CONTEXT_KEY,
    IntegriaLeadError,
)
from ..models.integria_api import COMPANY_PARAMS, INVOICE_PARAMS
from ..tools import integria_answers as answers
from ..tools.ip_list import ip_in_list
from ..tools.lead_api import DEFAULT_SEPARATOR, LeadApiError, raw_form_values, split_encoded_params, unquote

_logger = logging.getLogger(__name__)

SECRET_PARAMETER = re.compile(r"((?:^|[?&])(?:user_pass|pass)=)[^&\s\"]*")
RETURN_TYPES = ("csv", "xml")
HONEYPOT_FIELD = "website_url"
# printable ASCII kept as it is in the X-Integria-Error-Message header
HEADER_SAFE = " !\"#$&'()*+,-./:;<=>?@[]^_`{|}~"


class _MaskApiKeys(logging.Filter):
    """Hide the API keys of the endpoint's query strings (Integria's forms
    send user_pass in the URL) from the access log. Only the request lines
    of the requests the endpoint served, flagged on their thread by
    :func:`_mask_keys_of_this_request`, are touched."""

    def filter(self, record):
        thread = threading.current_thread()
        if getattr(thread, "integria_mask_keys", False) and record.args and isinstance(record.args, tuple):
            thread.integria_mask_keys = False
            record.args = tuple(
                SECRET_PARAMETER.sub(r"\1***", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


_MASK_API_KEYS = _MaskApiKeys()


def _mask_keys_of_this_request():
    """Flag the current request for :class:`_MaskApiKeys`, whose filter is
    added to werkzeug's access log the first time the endpoint serves."""
    werkzeug_logger = logging.getLogger("werkzeug")
    if _MASK_API_KEYS not in werkzeug_logger.filters:
        werkzeug_logger.addFilter(_MASK_API_KEYS)
    threading.current_thread().integria_mask_keys = True


def visitor_lang():
    """The installed language closest to the visitor's Accept-Language
    (``es`` finds ``es_ES``), else the first installed one, English if it
    is. Never a language the database does not have."""
    installed = [code for code, _name in request.env["res.lang"].get_installed()]
    for accepted, _quality in request.httprequest.accept_languages:
        code = accepted.replace("-", "_").lower()
        found = next((lang for lang in installed if lang.lower() == code), None) or next(
            (lang for lang in installed if lang.split("_")[0].lower() == code.split("_")[0]), None
        )
        if found:
            return found
    return "en_US" if "en_US" in installed or not installed else installed[0]


def raw_operation():
    """op and return_type of the request, read from its raw bytes (no
    database, no decoding that could fail)."""
    raw = raw_form_values(request.httprequest.query_string)
    if request.httprequest.mimetype == "application/x-www-form-urlencoded":
        for name, values in raw_form_values(request.httprequest.get_data(cache=True)).items():
            raw.setdefault(name, []).extend(values)
    op, return_type = (raw.get(name, [b""])[-1].decode("ascii", "replace") for name in ("op", "return_type"))
    return op, return_type if return_type in RETURN_TYPES else "csv"


def answer(body, return_type, status=200, headers=()):
    """An answer of the endpoint: ``body`` as Integria writes it."""
    content_type = "text/xml; charset=utf-8" if return_type == "xml" else "text/plain; charset=utf-8"
    all_headers = [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *headers,
    ]
    return request.make_response(body, all_headers, status=status)


def refusal(op, return_type, status, code, message, *, reason=""):
    """Integria's answer of a failed ``op`` (``0`` for create_lead...), with
    the reason for programs (``X-Integria-Error``, a stable code) and for
    people (``X-Integria-Error-Message``, percent-encoded UTF-8)."""
    headers = [("X-Integria-Error", code), ("X-Integria-Error-Message", quote(str(message), safe=HEADER_SAFE))]
    return answer(answers.failure(op, return_type, reason or code), return_type, status, headers)


class IntegriaLeadIntake(http.Controller):
    # ------------------------------------------------------------------
    # Integria's include/api.php
    # ------------------------------------------------------------------
    @http.route(
        ["/include/api.php", "/<path:prefix>/include/api.php"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        sitemap=False,
    )
    def integria_api(self, prefix=None, **_kwargs):
        """Integria's API: ``create_lead``, ``validate_user``,
        ``user_exists``, ``create_company``, ``create_invoice``,
        ``get_invoice``, ``get_last_invoice_id`` and ``info=version``."""
        _mask_keys_of_this_request()
        request.update_context(lang=visitor_lang())
        if prefix is not None and prefix.strip("/") != self._api_prefix():
            raise request.not_found()
        try:
            params = self._request_values()
        except LeadApiError as error:
            op, return_type = raw_operation()
            message = request.env._("The request is not valid UTF-8.")
            return self._refuse(op, return_type, 400, error.code, message)
        op = params.get("op") or ""
        return_type = params.get("return_type") if params.get("return_type") in RETURN_TYPES else "csv"
        if params.get("info") == "version":
            return request.make_response(self._version(), [("Content-Type", "text/plain; charset=utf-8")])
        user, refused = self._check_caller(params, request.httprequest.remote_addr, op, return_type)
        if refused:
            return refused
        source = request.env._("the Integria API endpoint from %(address)s", address=request.httprequest.remote_addr)
        context = {"integria_intake_source": source}
        if key := request.httprequest.headers.get("Idempotency-Key"):
            context[IDEMPOTENCY_CONTEXT_KEY] = key
        env = request.env(user=user, context=dict(request.env.context, **context))
        try:
            return getattr(self, f"_op_{op}")(env, params, return_type)
        except (IntegriaLeadError, LeadApiError) as error:
            if isinstance(error, LeadApiError):
                error = env["crm.lead"]._integria_parse_error(error)
            return self._refuse(op, return_type, 400, error.code, error.args[0], reason=getattr(error, "answer", ""))
        except AccessError as error:
            return self._refuse(op, return_type, 403, "access_denied", error.args[0], reason="access denied")

    # the operations: each returns Integria's answer
    def _op_create_lead(self, env, params, return_type):
        lead = env["crm.lead"]._integria_create_lead_from_params(
            params.get("raw_params", b""), params.get("token") or DEFAULT_SEPARATOR, encoded=True
        )
        return self._answer(answers.create_lead(1, return_type), return_type, headers=[("X-Lead-Id", str(lead.id))])

    def _op_validate_user(self, env, params, return_type):
        login, secret = [*self._values(params, 2), "", ""][:2]
        count = env["integria.api"]._integria_validate_user(login, secret)
        return self._answer(answers.validate_user(count, return_type), return_type)

    def _op_user_exists(self, env, params, return_type):
        login = unquote(params.get("raw_params", b"")).strip()
        return self._answer(
            answers.user_exists(env["integria.api"]._integria_user_exists(login), return_type), return_type
        )

    def _op_create_company(self, env, params, return_type):
        company = env["integria.api"]._integria_create_company(self._values(params, len(COMPANY_PARAMS)))
        return self._answer(answers.create_company(company.id, return_type), return_type)

    def _op_create_invoice(self, env, params, return_type):
        invoice = env["integria.api"]._integria_create_invoice(self._values(params, len(INVOICE_PARAMS)))
        body = answers.create_invoice(1, answers.INVOICE_CREATED, return_type)
        return self._answer(body, return_type, headers=[("X-Invoice-Id", str(invoice.id))])

    def _op_get_invoice(self, env, params, return_type):
        values = env["integria.api"]._integria_get_invoice(unquote(params.get("raw_params", b"")).strip())
        return self._answer(answers.get_invoice(values, return_type), return_type, 200 if values else 404)

    def _op_get_last_invoice_id(self, env, params, return_type):
        number = env["integria.api"]._integria_get_last_invoice_id()
        return self._answer(answers.get_last_invoice_id(number, return_type), return_type)

    def _values(self, params, count):
        separator = params.get("token") or DEFAULT_SEPARATOR
        return [value.strip() for value in split_encoded_params(params.get("raw_params", b""), separator, count)]

    # ------------------------------------------------------------------
    # The caller
    # ------------------------------------------------------------------
    def _check_caller(self, params, address, op, return_type):
        """Return the API user of the request, or the answer that refuses it:
        IP allow-list, API key, rate limit of the IP and of the key,
        operation; each refusal answers at once. A create_lead without a
        name (the page view of a PHP form that calls the API on every
        display) is answered without being counted."""
        Rate = request.env["integria.lead.intake.rate"].sudo()
        allowed = request.env["crm.lead"].sudo()._integria_ip_list(API_ALLOWED_IPS_PARAM)
        if allowed and not ip_in_list(address, allowed):
            message = request.env._("Requests from %(address)s are not allowed.", address=address)
            return None, self._refuse(op, return_type, 403, "ip_not_allowed", message)
        user, bucket = self._authenticate(params, address)
        if user and op == "create_lead" and self._is_page_view(params):
            message = request.env._("Parameter 0 (contact_name) is required.")
            return None, self._refuse(op, return_type, 400, "missing_parameter", message)
        # one counter transaction per request: the address always counts
        # (refused keys too), the key once it is known
        if Rate._hit(f"ip:{address}", *([bucket] if user else [])):
            return None, self._too_many(op, return_type)
        if not user:
            message = request.env._("Authentication failed: give the API key of an API user in user_pass or pass.")
            return None, self._refuse(op, return_type, 401, "authentication_failed", message)
        if op not in answers.OPERATIONS:
            message = request.env._(
                "Unknown operation %(op)s: this endpoint knows %(operations)s.",
                op=op,
                operations=", ".join(answers.OPERATIONS),
            )
            return None, self._refuse(op, return_type, 400, "unknown_operation", message)
        return user, None

    def _is_page_view(self, params):
        try:
            values = split_encoded_params(params.get("raw_params", b""), params.get("token") or DEFAULT_SEPARATOR)
        except LeadApiError:
            return False
        return not (values and values[0].strip())

    def _request_values(self):
        """The request's parameters from the query string and a form body:
        ``raw_params`` still percent-encoded (bytes), every other value
        decoded as strict UTF-8."""
        raw = raw_form_values(request.httprequest.query_string)
        content_type = request.httprequest.mimetype
        if request.httprequest.method == "POST" and content_type == "application/x-www-form-urlencoded":
            for name, values in raw_form_values(request.httprequest.get_data(cache=True)).items():
                raw.setdefault(name, []).extend(values)
        values = {name: unquote(raw_values[-1], name) for name, raw_values in raw.items() if name != "params"}
        if "params" in raw:
            values["raw_params"] = raw["params"][-1]
        elif content_type == "multipart/form-data" and "params" in request.httprequest.form:
            # a multipart form is decoded by then: its value is split as it is
            text = request.httprequest.form["params"]
            values["raw_params"] = text.replace("%", "%25").replace("+", "%2B").encode("utf-8")
        for name in set(request.httprequest.form) - set(values) - {"params"}:
            values[name] = request.httprequest.form[name]
        return values

    def _authenticate(self, params, address):
        """Return the API user of the request and its rate bucket, or
        ``(None, None)``. The key is an Odoo API key of an API user (group
        Integria CRM API / API); a login password is never accepted."""
        CrmLead = request.env["crm.lead"].sudo()
        Users = request.env["res.users"].sudo()
        key = self._api_key(params)
        login = params.get("user") or ""
        if key:
            uid = request.env["res.users.apikeys"].sudo()._check_credentials(scope=API_KEY_SCOPE, key=key)
            user = Users.browse(uid) if uid else Users
            if user and user._has_group(API_GROUP) and (not login or login == user.login):
                return user, "api-key:" + hashlib.sha256(key.encode()).hexdigest()[:24]
            _logger.warning("Integria API: refused API key for %r from %s", login, address)
            return None, None
        trusted = CrmLead._integria_ip_list(API_TRUSTED_IPS_PARAM)
        if login and trusted and ip_in_list(address, trusted):
            user = Users.search([("login", "=", login)], limit=1)
            if user and user._has_group(API_GROUP):
                return user, f"user:{user.id}"
        return None, None

    def _api_key(self, params):
        header = request.httprequest.headers.get("Authorization") or ""
        if match := re.match(r"^bearer\s+(\S+)$", header, re.IGNORECASE):
            return match.group(1)
        if match := re.match(r"^basic\s+(\S+)$", header, re.IGNORECASE):
            try:
                return b64decode(match.group(1)).decode().partition(":")[2]
            except (BinasciiError, UnicodeDecodeError):
                return ""
        return params.get("user_pass") or params.get("pass") or ""

    def _api_prefix(self):
        prefix = request.env["ir.config_parameter"].sudo().get_param(API_PREFIX_PARAM, DEFAULT_API_PREFIX)
        return (prefix or "").strip("/")

    def _version(self):
        version = request.env["ir.module.module"].sudo().search([("name", "=", "integria_crm")]).installed_version
        return f"Integria IMS compatible API (Odoo integria_crm {version})"

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    def _too_many(self, op, return_type):
        message = request.env._("Too many requests: try again in a minute.")
        response = self._refuse(op, return_type, 429, "rate_limited", message)
        response.headers["Retry-After"] = "60"
        return response

    def _refuse(self, op, return_type, status, code, message, *, reason=""):
        """Integria's answer of a failed ``op``; the reason for programs
        and people in the X-Integria-Error headers (Integria's clients read
        the body, which stays Integria's)."""
        return refusal(op, return_type, status, code, message, reason=reason)

    def _answer(self, body, return_type, status=200, headers=()):
        return answer(body, return_type, status, headers)

    # ------------------------------------------------------------------
    # The public web form
    # ------------------------------------------------------------------
    @http.route("/integria/lead-form", type="http", auth="public", methods=["GET"], sitemap=False)
    def lead_form(self, **_kwargs):
        """The public lead form (no credential in the page), in the
        visitor's language."""
        request.update_context(lang=visitor_lang())
        return request.render("integria_crm.lead_form", self._form_values())

    @http.route("/integria/lead-form", type="http", auth="public", methods=["POST"], csrf=True, sitemap=False)
    def lead_form_submit(self, **post):
        """Create a lead from the form as the configured web form user; bad
        input answers 400 with the form again, as the visitor filled it."""
        request.update_context(lang=visitor_lang())
        address = request.httprequest.remote_addr
        if post.get(HONEYPOT_FIELD):
            _logger.info("Integria lead form: honeypot filled from %s, nothing created", address)
            # a bot sees the same page as a person and learns nothing
            return request.render("integria_crm.lead_form_thanks", self._form_values())
        if request.env["integria.lead.intake.rate"].sudo()._hit(f"form-ip:{address}"):
            return self._form_again(post, request.env._("Too many requests: try again in a minute."), 429)
        user = request.env["crm.lead"].sudo()._integria_web_form_user()
        if not user:
            return self._form_again(post, request.env._("The form is not configured yet."), 503)
        if error := self._form_error(post):
            return self._form_again(post, error, 400)
        country = request.env["res.country"].sudo().browse(int(post.get("country_id") or 0))
        values = [
            post.get("name", ""),
            post.get("company", ""),
            post.get("email", ""),
            country.code or "",
            "",
            "0",
            "",
            "",
            post.get("position", ""),
            "",
            "",
            post.get("comments", ""),
        ]
        source = request.env._("the web form from %(address)s", address=address)
        leads = request.env["crm.lead"].with_user(user).with_context(integria_intake_source=source)
        try:
            leads._integria_create_lead_from_params(values)
        except UserError as error:
            return self._form_again(post, error.args[0], 400)
        return request.render("integria_crm.lead_form_thanks", self._form_values())

    def _form_error(self, post):
        """The first thing wrong with the form's values, or None."""
        if not (post.get("name") or "").strip() or not (post.get("email") or "").strip():
            return request.env._("Please give your name and your e-mail address.")
        if not email_normalize(post["email"]):
            return request.env._("Please give a valid e-mail address.")
        country_id = post.get("country_id") or ""
        if country_id and not (
            country_id.isdigit() and request.env["res.country"].sudo().browse(int(country_id)).exists()
        ):
            return request.env._("Please choose a country of the list.")
        return None

    def _form_again(self, post, error, status):
        response = request.render("integria_crm.lead_form", self._form_values(post, error))
        response.status_code = status
        return response

    def _form_values(self, post=None, error=None):
        company = request.env.company.sudo()
        return {
            "countries": request.env["res.country"].sudo().search([]),
            "post": post or {},
            "error": Markup.escape(error) if error else None,
            "honeypot_field": HONEYPOT_FIELD,
            "company": company,
            "company_logo": company.logo if not company.uses_default_logo else False,
            "html_data": {"lang": (request.env.lang or "en_US").replace("_", "-")},
        }
