import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.tools import email_normalize, plaintext2html

from ..tools.ip_list import parse_ip_list
from ..tools.lead_api import DEFAULT_SEPARATOR, FIELDS, LeadApiError, parse_create_lead
from ..tools.lead_progress import PROGRESS_CODES

_logger = logging.getLogger(__name__)

# Settings of the lead intake (ir.config_parameter keys and defaults), read
# by the methods below and by controllers/lead_intake.py. The API users are
# the members of API_GROUP.
API_GROUP = "integria_crm.group_crm_api"
API_ALLOWED_IPS_PARAM = "integria_crm.lead_api_allowed_ips"
API_TRUSTED_IPS_PARAM = "integria_crm.lead_api_trusted_ips"
API_PREFIX_PARAM = "integria_crm.lead_api_prefix"
DEFAULT_API_PREFIX = "integria"
WEB_FORM_USER_PARAM = "integria_crm.lead_web_form_user_id"

# where the demo keeps the API key it generated for its api_user, readable
# by administrators (demo data only: see README.md, "Lead intake")
DEMO_API_KEY_PARAM = "integria_crm.demo_api_key"

# the context key (and the endpoint's Idempotency-Key header) that makes a
# repeated create return the lead of the first call
IDEMPOTENCY_CONTEXT_KEY = "idempotency_key"
MAX_IDEMPOTENCY_KEY_LENGTH = 200

# the scope of API keys made for the endpoint only; global keys (no scope)
# are accepted too, as Odoo's RPC accepts them
API_KEY_SCOPE = "integria_crm.lead_intake"


class IntegriaLeadError(UserError):
    """A create_lead call refused before anything was created; ``code`` is
    stable (the parser's codes of tools/lead_api.py, or the lookups' here)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class CrmLead(models.Model):
    _inherit = "crm.lead"

    is_duplicate = fields.Boolean(
        string="Duplicate",
        readonly=True,
        copy=False,
        help="Came in through the API with the e-mail of a lead that already existed.",
    )
    integria_country_text = fields.Char(
        string="Country as Sent",
        readonly=True,
        copy=False,
        help="The country a web form sent that matched no country: kept as it came.",
    )
    integria_idempotency_key = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The caller's Idempotency-Key of the call that created the lead (user id, then the key).",
    )

    _integria_idempotency_key_unique = models.UniqueIndex(
        "(integria_idempotency_key) WHERE integria_idempotency_key IS NOT NULL",
        "Another lead was created with this idempotency key.",
    )

    # ------------------------------------------------------------------
    # The public API method
    # ------------------------------------------------------------------
    @api.model
    def create_integria_lead(self, params, separator=DEFAULT_SEPARATOR):
        """Create one lead from Integria's ``create_lead`` positional parameters.

        :param params: the values separated by ``separator`` (as Integria's
            ``params``, already URL-decoded), or a list of up to 17 values, in
            this order: 0 full name (required), 1 prospect company, 2 e-mail
            (required), 3 country (name or ISO code), 4 estimated sale,
            5 progress code (0, 20, 40, 60, 80, 100, 101, 102, 200), 6 phone,
            7 mobile, 8 position, 9 owner login, 10 language (``es``,
            ``es_ES``...), 11 comments, 12 product/category, 13 managed-by
            company id (0: the caller's CRM company), 14 campaign (id or name),
            15 tag separator (default ``,``), 16 tag names.
        :param separator: Integria's ``token``, default ``,``.
        :return: the id of the new lead.

        Empty values take the defaults; tags are looked up by name and
        unknown ones ignored; an e-mail that some lead already has still
        creates the lead, marked as a duplicate; a country or a language
        that matches none is kept on the lead as a note (the country's text
        in *Country as Sent*) instead of refusing it. With an
        ``idempotency_key`` in the context (JSON-2: ``"context":
        {"idempotency_key": "..."}``), a second call with the same key by
        the same user returns the first call's lead. Every value is validated
        before anything is written: a bad call raises a clear error and
        creates nothing. The caller needs the right to create leads; the
        lead is then written as superuser, as Integria's API does, so that an
        API user may create unowned leads or leads of another owner. The
        lead's chatter records that it came through the API.

        Callable through XML-RPC and JSON-RPC (``execute_kw(db, uid, key,
        'crm.lead', 'create_integria_lead', [params])``) and JSON-2
        (``POST /json/2/crm.lead/create_integria_lead`` with
        ``{"params": ..., "separator": ...}``).
        """
        return self._integria_create_lead_from_params(params, separator).id

    @api.model
    def _integria_create_lead_from_params(self, params, separator=DEFAULT_SEPARATOR, *, encoded=False):
        """Check the caller's right, parse ``params`` (raw and still
        percent-encoded with ``encoded``, see tools/lead_api.py) and create
        the lead."""
        self.check_access("create")
        idempotency_key = self._integria_idempotency_key()
        if idempotency_key and (lead := self._integria_lead_of_key(idempotency_key)):
            return lead
        try:
            values = parse_create_lead(params, separator, encoded=encoded)
        except LeadApiError as error:
            raise self._integria_parse_error(error) from None
        return self._integria_create_lead(values, idempotency_key)

    @api.model
    def _integria_idempotency_key(self):
        """The caller's idempotency key, prefixed by its user id (keys of
        different users never meet), or ``None``."""
        key = self.env.context.get(IDEMPOTENCY_CONTEXT_KEY)
        if not key:
            return None
        key = str(key).strip()
        if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH or not key.isprintable():
            raise IntegriaLeadError(
                "invalid_idempotency_key",
                self.env._(
                    "The idempotency key must be printable and at most %(length)s characters long.",
                    length=MAX_IDEMPOTENCY_KEY_LENGTH,
                ),
            )
        return f"{self.env.uid}:{key}"

    @api.model
    def _integria_lead_of_key(self, idempotency_key):
        lead = (
            self.sudo()
            .with_context(active_test=False)
            .search([("integria_idempotency_key", "=", idempotency_key)], limit=1)
        )
        return lead.with_env(self.env)

    @api.model
    def _integria_parse_error(self, error):
        detail = {"position": error.position, "field": error.field}
        messages = {
            "invalid_utf8": self.env._("The parameters are not valid UTF-8."),
            "invalid_character": self.env._(
                "Parameter %(position)s (%(field)s) contains a control character.", **detail
            ),
            "invalid_separator": self.env._("The separator (token) is longer than 8 characters."),
            "too_many_parameters": self.env._(
                "Too many parameters: create_lead takes at most %(count)s; "
                "encode a separator inside a value (%%2C for a comma).",
                count=len(FIELDS),
            ),
            "missing_parameter": self.env._("Parameter %(position)s (%(field)s) is required.", **detail),
            "not_a_number": self.env._("Parameter %(position)s (%(field)s) must be a number.", **detail),
            "too_long": self.env._("The parameters are too long.")
            if error.position is None
            else self.env._("Parameter %(position)s (%(field)s) is too long.", **detail),
        }
        return IntegriaLeadError(error.code, messages.get(error.code, error.message))

    @api.model
    def _integria_create_lead(self, values, idempotency_key=None):
        """Create the lead of parsed ``create_lead`` values (see
        tools/lead_api.py), all looked up before anything is written."""
        lead_values = self._prepare_integria_lead_values(values)
        notes = self._integria_intake_notes(values, lead_values)
        duplicates = self._integria_duplicates(values["email"])
        lead_values["is_duplicate"] = bool(duplicates)
        lead_values["integria_idempotency_key"] = idempotency_key
        # set after the create, and only when the default stage is not it
        # already (0 New, the manual's example): the code's inverse writes again
        progress_code = lead_values.pop("progress_code", None)
        try:
            with self.env.cr.savepoint():
                # the lead's own note says how it came (_integria_log_intake):
                # no creation message, no tracking of its first values
                lead = self.sudo().with_context(mail_create_nolog=True, mail_notrack=True).create(lead_values)
                if progress_code is not None and lead.progress_code != progress_code:
                    lead.progress_code = progress_code
                lead.flush_recordset()
        except ValidationError as error:
            raise IntegriaLeadError("invalid_lead", error.args[0]) from None
        except errors.UniqueViolation as error:
            # a concurrent call with the same idempotency key committed
            # first: the request is retried and then finds its lead
            raise ConcurrencyError("A concurrent call created the lead of this idempotency key") from error
        lead._integria_log_intake(duplicates, notes)
        return lead.with_env(self.env)

    @api.model
    def _prepare_integria_lead_values(self, values):
        """Return the crm.lead values of parsed ``create_lead`` values, or
        raise :class:`IntegriaLeadError` on the first that cannot be used."""
        name = values["contact_name"] + (f" ({values['partner_name']})" if values["partner_name"] else "")
        lead_values = {
            "name": name,
            "contact_name": values["contact_name"],
            "partner_name": values["partner_name"],
            "email_from": values["email"],
            "phone": values["phone"],
            "mobile": values["mobile"],
            "function": values["function"],
            "integria_product": values["product"],
            "description": plaintext2html(values["comments"]) if values["comments"] else False,
            "expected_revenue": values["expected_revenue"] or 0.0,
        }
        if values["progress_code"] is not None:
            if values["progress_code"] not in PROGRESS_CODES:
                raise IntegriaLeadError(
                    "unknown_progress_code",
                    self.env._(
                        "%(code)s is not an Integria progress code (%(codes)s).",
                        code=values["progress_code"],
                        codes=", ".join(str(code) for code in PROGRESS_CODES),
                    ),
                )
            lead_values["progress_code"] = values["progress_code"]
        owner = self._integria_find_owner(values["owner_login"])
        lead_values["user_id"] = owner.id
        if values["managed_by_id"]:
            lead_values["crm_partner_id"] = self._integria_find_managed_by(values["managed_by_id"]).id
        elif not owner:
            # unowned leads belong to the caller's CRM company, whose users may take them
            lead_values["crm_partner_id"] = self.env.user.crm_company_id.id
        country = self.env["res.country"]._integria_find_country(values["country"])
        lead_values["country_id"] = country.id
        lead_values["integria_country_text"] = values["country"] if values["country"] and not country else False
        lead_values["lang_id"] = self._integria_find_language(values["language"]).id
        lead_values["campaign_id"] = self._integria_find_campaign(values["campaign"]).id
        if values["tag_names"]:
            tags = self.env["crm.tag"].sudo().search([("name", "in", values["tag_names"])])
            lead_values["tag_ids"] = [fields.Command.set(tags.ids)]
        return {key: value for key, value in lead_values.items() if value is not None}

    # ------------------------------------------------------------------
    # Lookups of the create_lead values
    # ------------------------------------------------------------------
    @api.model
    def _integria_find_owner(self, login):
        if not login:
            return self.env["res.users"]
        owner = self.env["res.users"].sudo()._integria_find_login(login)
        if not owner:
            raise IntegriaLeadError(
                "unknown_owner", self.env._("No internal user has the login %(login)s (owner).", login=login)
            )
        return owner

    @api.model
    def _integria_find_managed_by(self, company_id):
        company = self.env["res.partner"].sudo().browse(company_id).exists()
        if not company or not company.is_company:
            raise IntegriaLeadError(
                "unknown_company",
                self.env._("No company has the id %(company_id)s (managed by).", company_id=company_id),
            )
        return company

    @api.model
    def _integria_find_language(self, language):
        Lang = self.env["res.lang"].sudo()
        if not language:
            return Lang
        code = language.replace("-", "_")
        return (
            Lang.search([("code", "=ilike", code)], limit=1)
            or Lang.search([("iso_code", "=ilike", code)], limit=1)
            or Lang.search([("code", "=like", f"{code.lower()}\\_%")], order="id", limit=1)
        )

    @api.model
    def _integria_find_campaign(self, campaign):
        Campaign = self.env["utm.campaign"].sudo()
        if not campaign or campaign == "0":
            return Campaign
        found = Campaign.browse(int(campaign)).exists() if campaign.isdigit() else Campaign
        found = found or Campaign.search([("name", "=", campaign)], limit=1)
        if not found:
            raise IntegriaLeadError(
                "unknown_campaign", self.env._("No campaign has the id or name %(campaign)s.", campaign=campaign)
            )
        return found

    @api.model
    def _integria_intake_notes(self, values, lead_values):
        """What the call sent that the lead could not use as such: a
        country or a language that matches none. The lead is created all
        the same (a visitor's lead is never lost) and these go to its
        chatter."""
        notes = []
        if lead_values.get("integria_country_text"):
            notes.append(
                self.env._(
                    'The country "%(country)s" matches no country: kept as sent in Country as Sent.',
                    country=values["country"],
                )
            )
        if values["language"] and not lead_values.get("lang_id"):
            notes.append(
                self.env._(
                    'The language "%(language)s" is not installed: the lead has no language.',
                    language=values["language"],
                )
            )
        return notes

    @api.model
    def _integria_duplicates(self, email):
        normalized = email_normalize(email)
        domain = [("email_normalized", "=", normalized)] if normalized else [("email_from", "=ilike", email)]
        return self.sudo().with_context(active_test=False).search(domain, limit=5, order="id")

    def _integria_log_intake(self, duplicates, notes=()):
        self.ensure_one()
        source = self.env.context.get("integria_intake_source") or self.env._("the external API")
        body = self.env._("Created through %(channel)s by %(user)s.", channel=source, user=self.env.user.name)
        if duplicates:
            body += " " + self.env._(
                "Duplicate: the e-mail is already on %(leads)s.",
                leads=", ".join(f"#{lead.id} {lead.name}" for lead in duplicates),
            )
        for note in notes:
            body += " " + note
        # a note in the chatter, as the creation message it stands for: logged,
        # nobody notified
        self.sudo()._message_log(body=body, message_type="notification")

    # ------------------------------------------------------------------
    # Settings of the intake
    # ------------------------------------------------------------------
    @api.model
    def _integria_api_users(self):
        """The users allowed on the Integria endpoint: the active members of
        the group Integria CRM API / API."""
        group = self.env.ref(API_GROUP, raise_if_not_found=False)
        return group.sudo().user_ids.filtered("active") if group else self.env["res.users"]

    @api.model
    def _integria_ip_list(self, param):
        try:
            return parse_ip_list(self.env["ir.config_parameter"].sudo().get_param(param, ""))
        except ValueError:
            _logger.warning("The setting %s is not a list of IP addresses and ranges: nothing matches", param)
            return []

    @api.model
    def _integria_web_form_user(self):
        user_id = self.env["ir.config_parameter"].sudo().get_param(WEB_FORM_USER_PARAM, "")
        user = self.env["res.users"].sudo().browse(int(user_id)).exists() if user_id.isdigit() else None
        return user or self._integria_api_users()[:1]

    @api.model
    def _integria_demo_api_key(self, user_id):
        """Generate an API key for the demo's API user, as the user's Account
        Security tab does, and keep it in :data:`DEMO_API_KEY_PARAM` for the
        administrator (scripts/run.sh prints it). Demo data only: a real key
        is shown once to the user who generates it, and stored hashed."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEMO_API_KEY_PARAM):
            return
        user = self.env["res.users"].browse(user_id)
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "Demo lead intake", None)
        params.set_param(DEMO_API_KEY_PARAM, key)
