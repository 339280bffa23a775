"""The positional parameters of Integria's ``create_lead`` API call.

Integria's ``include/api.php?op=create_lead&params=...`` takes up to 17
values separated by ``token`` (a comma by default), in this order (0-based):

0 full name (required), 1 prospect company, 2 e-mail (required), 3 country,
4 estimated sale, 5 progress code, 6 phone, 7 mobile, 8 position, 9 owner
login, 10 language, 11 comments, 12 product/category, 13 managed-by company
id, 14 campaign, 15 tag separator, 16 tag names.

Missing trailing values and empty values take their defaults. Integria's PHP
forms build ``params`` as ``urlencode($name) . "," . urlencode($company)...``:
a comma inside a value travels as ``%2C`` and the separators as plain commas,
so the HTTP endpoint splits the still-encoded value first and decodes each
part afterwards (:func:`split_encoded_params`); the model method receives
decoded values. Bytes are decoded as strict UTF-8. Every problem raises
:class:`LeadApiError` with a stable ``code`` and the position of the value.
"""

import math
import re
from urllib.parse import unquote_to_bytes

FIELDS = (
    "contact_name",
    "partner_name",
    "email",
    "country",
    "expected_revenue",
    "progress_code",
    "phone",
    "mobile",
    "function",
    "owner_login",
    "language",
    "comments",
    "product",
    "managed_by_id",
    "campaign",
    "tag_separator",
    "tag_names",
)
FIELD_COUNT = len(FIELDS)
REQUIRED = {"contact_name": 0, "email": 2}
INTEGERS = ("progress_code", "managed_by_id")
FLOATS = ("expected_revenue",)
DEFAULT_SEPARATOR = ","

# generous for what a web form sends, small enough to refuse abuse early
MAX_VALUE_LENGTH = 1024
MAX_TEXT_LENGTH = 65536
LONG_TEXT_FIELDS = ("comments", "tag_names")
MAX_PARAMS_LENGTH = MAX_TEXT_LENGTH + len(FIELDS) * MAX_VALUE_LENGTH

# what no text field of a lead may hold: control characters (but tab and
# newlines), DEL and lone surrogates
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# error codes (stable: clients and tests match them)
INVALID_UTF8 = "invalid_utf8"
INVALID_CHARACTER = "invalid_character"
INVALID_SEPARATOR = "invalid_separator"
TOO_LONG = "too_long"
TOO_MANY = "too_many_parameters"
MISSING = "missing_parameter"
NOT_A_NUMBER = "not_a_number"


class LeadApiError(ValueError):
    """A ``create_lead`` call that cannot create a lead.

    ``code`` is one of this module's error codes, ``position`` the 0-based
    index of the offending value (None for the call as a whole), ``field``
    its name in :data:`FIELDS`.
    """

    def __init__(self, code, message, position=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position
        self.field = FIELDS[position] if position is not None and position < len(FIELDS) else None


def decode(value, what="params"):
    """Return ``value`` as text: bytes must be valid UTF-8."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as error:
            raise LeadApiError(INVALID_UTF8, f"{what} is not valid UTF-8 (byte {error.start})") from None
    if value is None:
        return ""
    return str(value)


def _check_characters(text, position):
    found = CONTROL_CHARACTERS.search(text)
    if found:
        char = found.group()
        raise LeadApiError(
            INVALID_CHARACTER,
            f"parameter {position} ({FIELDS[position]}) contains the control character U+{ord(char):04X}",
            position,
        )


def _as_bytes(raw):
    # a request's raw bytes stay bytes; text (a value typed in a test or a
    # script) is what its UTF-8 bytes would be on the wire
    if isinstance(raw, bytes):
        return raw
    return (raw or "").encode("utf-8")


def raw_form_values(raw):
    """Return the still percent-encoded values of an
    ``application/x-www-form-urlencoded`` string (a query string or a POST
    body) as a dict of name to the list of its raw values, as bytes: raw
    UTF-8 and stray bytes reach :func:`unquote` untouched."""
    values = {}
    for pair in _as_bytes(raw).split(b"&"):
        if not pair:
            continue
        name, _sep, value = pair.partition(b"=")
        name = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
        values.setdefault(name, []).append(value)
    return values


def unquote(raw, what="params"):
    """Percent-decode one raw form value (bytes or text) into text: the
    bytes, sent raw or percent-encoded, must be valid UTF-8."""
    return decode(unquote_to_bytes(_as_bytes(raw).replace(b"+", b" ")), what)


def split_encoded_params(raw, separator=DEFAULT_SEPARATOR, count=FIELD_COUNT):
    """Split a raw, percent-encoded ``params`` value and decode each value.

    When the raw value holds the separator unencoded, it is split first, so
    that an encoded separator (``%2C``) stays inside its value, as
    Integria's forms send it. When it holds no plain separator (a client
    that encoded the whole value, as ``urllib.parse.urlencode`` does), the
    decoded value is split instead.
    """
    separator = decode(separator, "token") or DEFAULT_SEPARATOR
    raw = _as_bytes(raw)
    if len(raw) > 3 * MAX_PARAMS_LENGTH:
        raise LeadApiError(TOO_LONG, f"params is longer than {MAX_PARAMS_LENGTH} characters")
    raw_separator = separator.encode("utf-8")
    if raw_separator in raw:
        return split_params([unquote(value) for value in raw.split(raw_separator)], separator, count)
    return split_params(unquote(raw), separator, count)


def split_params(params, separator=DEFAULT_SEPARATOR, count=FIELD_COUNT):
    """Split Integria's ``params`` on ``separator``; return the list of at
    most ``count`` values (create_lead's 17 by default).

    ``params`` may be text or bytes (strict UTF-8), or already a list of
    values (the model method's callers may send one).
    """
    separator = decode(separator, "token") or DEFAULT_SEPARATOR
    if len(separator) > 8:
        raise LeadApiError(INVALID_SEPARATOR, "token (the separator) is longer than 8 characters")
    if isinstance(params, (list, tuple)):
        values = [decode(value, f"parameter {index}") for index, value in enumerate(params)]
        total = sum(len(value) for value in values)
    else:
        text = decode(params)
        total = len(text)
        values = text.split(separator) if text else []
    if total > MAX_PARAMS_LENGTH:
        raise LeadApiError(TOO_LONG, f"params is {total} characters long, at most {MAX_PARAMS_LENGTH} are accepted")
    if len(values) > count:
        raise LeadApiError(
            TOO_MANY,
            f"{len(values)} parameters given, at most {count} are taken (is a separator "
            f"'{separator}' inside a value? encode it as %{ord(separator[0]):02X})",
        )
    return values


def _number(text, position, kind):
    try:
        number = kind(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    except ValueError:
        raise LeadApiError(
            NOT_A_NUMBER, f"parameter {position} ({FIELDS[position]}) must be a number, got '{text[:40]}'", position
        ) from None


def parse_create_lead(params, separator=DEFAULT_SEPARATOR, *, encoded=False):
    """Return a dict of the 17 ``create_lead`` values, named as in :data:`FIELDS`.

    Text values are stripped (as Integria does); empty ones are ``""``, empty
    numbers ``None`` (the caller's default) except a 0 managed-by id, which
    means "none" as in the manual's example. ``tag_names`` is returned as a
    list, split on the tag separator (``tag_separator``, default ``,``).
    With ``encoded``, ``params`` is the raw percent-encoded value of a
    request (see :func:`split_encoded_params`).
    """
    values = split_encoded_params(params, separator) if encoded else split_params(params, separator)
    values += [""] * (len(FIELDS) - len(values))
    parsed = {}
    for position, (field, raw) in enumerate(zip(FIELDS, values, strict=True)):
        text = raw.strip()
        limit = MAX_TEXT_LENGTH if field in LONG_TEXT_FIELDS else MAX_VALUE_LENGTH
        if len(text) > limit:
            raise LeadApiError(
                TOO_LONG,
                f"parameter {position} ({field}) is {len(text)} characters long, at most {limit} are accepted",
                position,
            )
        _check_characters(text, position)
        if field in INTEGERS:
            parsed[field] = _number(text, position, int) if text else None
        elif field in FLOATS:
            parsed[field] = _number(text if "." in text else text.replace(",", "."), position, float) if text else None
        else:
            parsed[field] = text
    for field, position in REQUIRED.items():
        if not parsed[field]:
            raise LeadApiError(MISSING, f"parameter {position} ({field}) is required", position)
    if parsed["managed_by_id"] == 0:
        parsed["managed_by_id"] = None
    tag_separator = parsed["tag_separator"] or DEFAULT_SEPARATOR
    tags = parsed["tag_names"].split(tag_separator) if parsed["tag_names"] else []
    parsed["tag_names"] = [tag.strip() for tag in tags if tag.strip()]
    return parsed
