"""Lead intake over HTTP: Integria's ``include/api.php`` and a public web form.

Existing Integria web sites call ``<base>/include/api.php?user=...&op=
create_lead&params=...``; after the move only the base URL changes: the
endpoint answers on ``/include/api.php`` and under the configured prefix
(``/integria/include/api.php`` by default). See the addon's readme/USAGE.md.
"""

import hashlib
import logging
import re
from base64 import b64decode
from binascii import Error as BinasciiError

from markupsafe import Markup

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize

from ..models.crm_lead_intake import (
    API_ALLOWED_IPS_PARAM,
    API_KEY_SCOPE,
    API_PREFIX_PARAM,
    API_TRUSTED_IPS_PARAM,
    DEFAULT_API_PREFIX,
    IntegriaLeadError,
)
from ..tools.ip_list import ip_in_list
from ..tools.lead_api import DEFAULT_SEPARATOR, LeadApiError, raw_form_values, unquote

_logger = logging.getLogger(__name__)

SECRET_PARAMETER = re.compile(r"((?:^|[?&])(?:user_pass|pass)=)[^&\s\"]*")


class _MaskApiKeys(logging.Filter):
    """Hide the API keys of GET requests to include/api.php from the access
    log (Integria's forms send user_pass in the query string)."""

    def filter(self, record):
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                SECRET_PARAMETER.sub(r"\1***", arg) if isinstance(arg, str) and "api.php" in arg else arg
                for arg in record.args
            )
        return True


logging.getLogger("werkzeug").addFilter(_MaskApiKeys())

OPERATIONS = ("create_lead",)
RETURN_TYPES = ("csv", "xml")
HONEYPOT_FIELD = "website_url"


def _cdata(value):
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


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
        """Integria's API: ``op=create_lead`` and ``info=version``."""
        if prefix is not None and prefix.strip("/") != self._api_prefix():
            raise request.not_found()
        try:
            params = self._request_values()
        except LeadApiError as error:
            return self._answer("csv", 400, error.code, request.env._("The request is not valid UTF-8."))
        return_type = params.get("return_type") or "csv"
        if return_type not in RETURN_TYPES:
            return_type = "csv"
        if params.get("info") == "version":
            return request.make_response(self._version(), [("Content-Type", "text/plain; charset=utf-8")])
        return self._create_lead(params, return_type)

    def _create_lead(self, params, return_type):
        address = request.httprequest.remote_addr
        user, refusal = self._check_caller(params, address, return_type)
        if refusal:
            return refusal
        source = request.env._("the Integria API endpoint from %(address)s", address=address)
        leads = request.env["crm.lead"].with_user(user).with_context(integria_intake_source=source)
        try:
            lead = leads._integria_create_lead_from_params(
                params.get("raw_params", ""), params.get("token") or DEFAULT_SEPARATOR, encoded=True
            )
        except IntegriaLeadError as error:
            return self._answer(return_type, 400, error.code, error.args[0])
        except AccessError as error:
            return self._answer(return_type, 403, "access_denied", error.args[0])
        return self._answer(return_type, 200, lead_id=lead.id)

    def _check_caller(self, params, address, return_type):
        """Return the API user of the request, or the answer that refuses it:
        IP allow-list, API key, rate limit of the IP and of the key,
        operation; each refusal answers at once."""
        Rate = request.env["integria.lead.intake.rate"].sudo()
        allowed = request.env["crm.lead"].sudo()._integria_ip_list(API_ALLOWED_IPS_PARAM)
        if allowed and not ip_in_list(address, allowed):
            message = request.env._("Requests from %(address)s are not allowed.", address=address)
            return None, self._answer(return_type, 403, "ip_not_allowed", message)
        user, bucket = self._authenticate(params, address)
        # one counter transaction per request: the address always counts
        # (refused keys too), the key once it is known
        if Rate._hit(f"ip:{address}", *([bucket] if user else [])):
            return None, self._too_many(return_type)
        if not user:
            message = request.env._("Authentication failed: give the API key of an API user in user_pass or pass.")
            return None, self._answer(return_type, 401, "authentication_failed", message)
        if params.get("op") not in OPERATIONS:
            message = request.env._(
                "Unknown operation %(op)s: this endpoint knows create_lead.", op=params.get("op") or ""
            )
            return None, self._answer(return_type, 400, "unknown_operation", message)
        return user, None

    def _request_values(self):
        """The request's parameters from the query string and a form body:
        ``raw_params`` still percent-encoded, every other value decoded."""
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
            values["raw_params"] = request.httprequest.form["params"].replace("%", "%25").replace("+", "%2B")
        for name in set(request.httprequest.form) - set(values) - {"params"}:
            values[name] = request.httprequest.form[name]
        return values

    def _authenticate(self, params, address):
        """Return the API user of the request and its rate bucket, or
        ``(None, None)``. The key is an Odoo API key of one of the configured
        API users; a login password is never accepted (it is not a key)."""
        CrmLead = request.env["crm.lead"].sudo()
        api_users = CrmLead._integria_api_users()
        key = self._api_key(params)
        login = params.get("user") or ""
        if key:
            uid = request.env["res.users.apikeys"].sudo()._check_credentials(scope=API_KEY_SCOPE, key=key)
            user = api_users.filtered(lambda api_user: api_user.id == uid)
            if user and (not login or login == user.login):
                return user, "api-key:" + hashlib.sha256(key.encode()).hexdigest()[:24]
            _logger.warning("Integria API: refused API key for %r from %s", login, address)
            return None, None
        trusted = CrmLead._integria_ip_list(API_TRUSTED_IPS_PARAM)
        user = api_users.filtered(lambda api_user: api_user.login == login)
        if login and user and trusted and ip_in_list(address, trusted):
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

    def _too_many(self, return_type):
        response = self._answer(
            return_type, 429, "rate_limited", request.env._("Too many requests: try again in a minute.")
        )
        response.headers["Retry-After"] = "60"
        return response

    def _answer(self, return_type, status, code=None, message=None, lead_id=None):
        """Integria's answer: csv ``1`` or ``0`` (and the error on a second
        line), or xml with the result in CDATA, as Integria's api.php."""
        result = 1 if lead_id else 0
        if return_type == "xml":
            body = f'<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n<lead>\n<result>{_cdata(result)}</result>\n'
            body += f"<id>{_cdata(lead_id)}</id>\n" if lead_id else ""
            body += f"<code>{_cdata(code)}</code>\n<error>{_cdata(message)}</error>\n" if code else ""
            body += "</lead>\n</xml>\n"
            content_type = "text/xml; charset=utf-8"
        else:
            body = f"{result}\n" if not code else f"{result}\n{code}: {message}\n"
            content_type = "text/plain; charset=utf-8"
        headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
        if lead_id:
            headers.append(("X-Lead-Id", str(lead_id)))
        return request.make_response(body, headers, status=status)

    # ------------------------------------------------------------------
    # The public web form
    # ------------------------------------------------------------------
    @http.route("/integria/lead-form", type="http", auth="public", methods=["GET"], sitemap=False)
    def lead_form(self, **_kwargs):
        """The public lead form (no credential in the page)."""
        return request.render("integria_crm.lead_form", self._form_values())

    @http.route("/integria/lead-form", type="http", auth="public", methods=["POST"], csrf=True, sitemap=False)
    def lead_form_submit(self, **post):
        """Create a lead from the form as the configured web form user."""
        address = request.httprequest.remote_addr
        if post.get(HONEYPOT_FIELD):
            _logger.info("Integria lead form: honeypot filled from %s, nothing created", address)
            # a bot sees the same page as a person and learns nothing
            return request.render("integria_crm.lead_form_thanks", {})
        if request.env["integria.lead.intake.rate"].sudo()._hit(f"form-ip:{address}"):
            response = request.render(
                "integria_crm.lead_form",
                self._form_values(post, request.env._("Too many requests: try again in a minute.")),
            )
            response.status_code = 429
            return response
        user = request.env["crm.lead"].sudo()._integria_web_form_user()
        if not user:
            return request.render(
                "integria_crm.lead_form",
                self._form_values(post, request.env._("The form is not configured yet.")),
                status=503,
            )
        country = request.env["res.country"].sudo().browse(int(post.get("country_id") or 0)).exists()
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
        if post.get("email") and not email_normalize(post["email"]):
            return request.render(
                "integria_crm.lead_form",
                self._form_values(post, request.env._("Please give a valid e-mail address.")),
                status=400,
            )
        source = request.env._("the web form from %(address)s", address=address)
        leads = request.env["crm.lead"].with_user(user).with_context(integria_intake_source=source)
        try:
            leads._integria_create_lead_from_params(values)
        except UserError as error:
            return request.render("integria_crm.lead_form", self._form_values(post, error.args[0]), status=400)
        return request.render("integria_crm.lead_form_thanks", {})

    def _form_values(self, post=None, error=None):
        return {
            "countries": request.env["res.country"].sudo().search([]),
            "post": post or {},
            "error": Markup.escape(error) if error else None,
            "honeypot_field": HONEYPOT_FIELD,
        }
