"""Macros of contract document templates.

A contract template is HTML typed by a user. The macros of Integria (such as
``_company_name_``) are replaced by the escaped values of a contract in one
pass of plain string replacement: the template is never compiled or
evaluated, a value is never scanned for macros again, and any ``_word_`` that
is not a known macro stays as typed.
"""

import html
import re
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lxml.html
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from .custom_fields import value_fields

# The macros of Integria's contract templates, without their surrounding
# underscores; ``custom_<id>`` macros come from the contract's type.
CONTRACT_MACROS = (
    "id_contract",
    "name_contract",
    "contract_number",
    "contract_description",
    "date_begin",
    "date_end",
    "id_company",
    "private",
    "id_status",
    "name_status",
    "company_name",
    "company_address",
    "company_fiscal_id",
    "company_country",
    "company_website",
    "company_comments",
    "company_manager",
    "company_last_update",
    "company_payment_conditions",
    "contract_type_id",
    "contract_type_name",
    "contract_type_description",
    "template_id",
    "template_name",
    "template_description",
    "format_long_time",
    "format_short_time",
    "format_annual_date",
)
CUSTOM_PREFIX = "custom_"
DEFAULT_LOCALE = "en_US"
SHORT_DATE_FORMAT = "%d/%m/%Y"
SHORT_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def macro(name):
    """Return the token typed in templates for the macro ``name``."""
    return f"_{name}_"


def custom_macro_name(property_name):
    """Return the macro name of the custom field (property) ``property_name``."""
    return f"{CUSTOM_PREFIX}{property_name}"


def escape_value(value):
    """Return ``value`` as HTML text: escaped, line breaks kept as ``<br/>``."""
    if value is None or value is False:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def substitute_macros(body, values, escape=escape_value):
    """Replace the macros of ``body`` by the escaped ``values``.

    :param str body: the HTML of a template
    :param dict values: macro name (without underscores) -> raw value
    :param escape: turns a raw value into the text put in place of its macro
        (HTML-escaped by default)
    :return: the HTML with every known macro replaced; unknown tokens such as
        ``_foo_`` or the ``_custom_XX_`` of another type stay as typed
    """
    if not body or not values:
        return body or ""
    # longest names first, so that "custom_a_b" wins over "custom_a"
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile("_(" + "|".join(re.escape(name) for name in names) + ")_")
    return pattern.sub(lambda match: escape(values[match.group(1)]), body)


def babel_locale(lang):
    """Return the babel locale of an Odoo language code, English if unknown."""
    try:
        return Locale.parse(lang or DEFAULT_LOCALE)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


def format_short_date(value):
    """Return a date (or an ISO date string) as ``11/04/2021``."""
    value = _to_date(value)
    return value.strftime(SHORT_DATE_FORMAT) if value else ""


def date_macros(today, lang):
    """Return the three date macros of ``today`` in the language ``lang``.

    long ``11 Sun April 2021``, short ``11/04/2021``, annual ``2021``.
    """
    return {
        "format_long_time": format_date(today, "dd EEE MMMM y", locale=babel_locale(lang)),
        "format_short_time": format_short_date(today),
        "format_annual_date": f"{today.year:04d}",
    }


def html_to_text(value):
    """Return the text of an HTML fragment, tags removed."""
    if not value or not str(value).strip():
        return ""
    return lxml.html.fragment_fromstring(str(value), create_parent="div").text_content().strip()


def format_property_value(prop, lang, yes="Yes", no="No", tz=None):
    """Return the value of one custom field (an Odoo property) as text.

    :param dict prop: the property in the read format of Odoo's Properties
        fields (``type``, ``value``, ``selection``, ``tags``; relational values
        as ``(id, display name)``)
    :param str lang: the language of the document (numbers)
    :param str yes: the word for a true boolean in that language
    :param str no: the word for a false boolean in that language
    :param tz: the time zone datetimes are shown in, a name or a tzinfo (UTC if empty)
    """
    kind = prop.get("type")
    value = prop.get("value")
    if kind == "boolean":
        return yes if value else no
    if value is None or value is False or kind == "separator":
        return ""
    formatter = _PROPERTY_FORMATTERS.get(kind, _format_text)
    return formatter(prop, value, lang, tz)


def custom_macro_values(properties, lang, yes="Yes", no="No", tz=None):
    """Return ``{custom_<id>: text}`` for the custom fields of a contract."""
    return {
        custom_macro_name(prop["name"]): format_property_value(prop, lang, yes=yes, no=no, tz=tz)
        for prop in value_fields(properties)
    }


def _format_text(_prop, value, _lang, _tz):
    return str(value)


def _format_integer(_prop, value, lang, _tz):
    return format_decimal(int(value), locale=babel_locale(lang))


def _format_float(_prop, value, lang, _tz):
    return format_decimal(float(value), locale=babel_locale(lang))


def _format_date(_prop, value, _lang, _tz):
    return format_short_date(value)


def _format_datetime(_prop, value, _lang, tz):
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    zone = _zone(tz)
    if zone:
        value = value.astimezone(zone)
    return value.strftime(SHORT_DATETIME_FORMAT)


def _format_selection(prop, value, _lang, _tz):
    return dict(prop.get("selection") or []).get(value, "")


def _format_tags(prop, value, _lang, _tz):
    labels = {tag[0]: tag[1] for tag in prop.get("tags") or []}
    return ", ".join(labels[key] for key in value if key in labels)


def _format_many2one(_prop, value, _lang, _tz):
    return _display_name(value)


def _format_many2many(_prop, value, _lang, _tz):
    return ", ".join(filter(None, (_display_name(item) for item in value)))


def _format_html(_prop, value, _lang, _tz):
    return html_to_text(value)


_PROPERTY_FORMATTERS = {
    "integer": _format_integer,
    "float": _format_float,
    "monetary": _format_float,
    "date": _format_date,
    "datetime": _format_datetime,
    "selection": _format_selection,
    "tags": _format_tags,
    "many2one": _format_many2one,
    "many2many": _format_many2many,
    "html": _format_html,
}


def _zone(tz):
    """Return a tzinfo for ``tz`` (a tzinfo or a name); None for UTC or an unknown name."""
    if not tz or isinstance(tz, tzinfo):
        return tz or None
    try:
        return ZoneInfo(tz)
    except (ValueError, ZoneInfoNotFoundError):
        return None


def _display_name(value):
    if isinstance(value, (list, tuple)):
        return (value[1] or "") if len(value) > 1 else ""
    if isinstance(value, dict):
        return value.get("display_name") or ""
    return ""


def _to_date(value):
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
