"""Text as Integria IMS stored it, read back once and right.

Integria's forms store text through ``safe_input``: HTML entities for every
character that has one (``&eacute;``, ``&amp;``), numeric entities for
parentheses, backslashes, SQL comment marks and the control characters and
space (``&#40;``, ``&#92;``, ``&#x20;``, ``&#x0d;&#x0a;``). Its pages read it
through ``safe_output`` (PHP's ``html_entity_decode``), which decodes each
entity once and only where it ends with ``;``: ``&amp;lt;`` is ``&lt;``, and a
bare ``&section`` of a URL stays as it is.

Integria never set its connection's character set, so UTF-8 sent over a
latin1 connection into a UTF-8 table is stored twice encoded (``José`` reads
back as ``Jos\u00c3\u00a9``); ``repair_mojibake`` undoes that,
as many times as it was done, and leaves text that decodes no further alone.

Dates: ``0000-00-00`` and ``0000-00-00 00:00:00`` mean "none"; datetimes are
naive local time of the Integria server. Nothing here imports Odoo.
"""

import datetime
import html
import re
from zoneinfo import ZoneInfo

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# an entity cut by a column's length (executive_overview is 255 bytes)
_CUT_ENTITY = re.compile(r"&(?:#[0-9]{0,7}|#[xX][0-9a-fA-F]{0,6}|[A-Za-z][A-Za-z0-9]{0,31})?$")

# MySQL's "latin1" is Windows-1252 in which the five bytes that 1252 leaves
# undefined stand for themselves: the reverse map from character to byte.
_CP1252_BYTES = {}
for _byte in range(256):
    try:
        _char = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        _char = chr(_byte)
    _CP1252_BYTES[_char] = _byte
# the lead bytes of a UTF-8 sequence as they read in latin1: a text with none
# of these cannot be double-encoded
_MOJIBAKE_LEAD = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122]"
)

ZERO_DATES = {"0000-00-00", "0000-00-00 00:00:00", "00:00:00"}


def decode_entities(text):
    """Decode Integria's HTML entities once, as ``safe_output`` does: only
    complete entities (with their ``;``); an unknown name stays as written."""
    if not text or "&" not in text:
        return text
    return _ENTITY.sub(_decode_entity, text)


def _decode_entity(match):
    entity = match.group(0)
    if entity.startswith("&#"):
        number = entity[2:-1]
        code = int(number[1:], 16) if number[:1] in "xX" else int(number)
        # control characters come back as PHP gives them (HTML5 would make
        # them U+FFFD); clean_text drops the ones that are not line ends
        if code < 0x20:
            return chr(code)
    return html.unescape(entity)


def _latin1_bytes(text):
    try:
        return bytes(_CP1252_BYTES[char] for char in text)
    except KeyError:
        return None


def repair_mojibake(text, rounds=3):
    """Undo UTF-8 read as latin1 and stored again as UTF-8, up to ``rounds``
    times; text that is not such a misreading comes back unchanged."""
    for _round in range(rounds):
        if not text or not _MOJIBAKE_LEAD.search(text):
            return text
        raw = _latin1_bytes(text)
        if raw is None:
            return text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return text
    return text


def clean_text(value, truncated=False):
    """A text column of Integria as a person wrote it: bytes decoded (UTF-8,
    else latin1), double encoding repaired, entities decoded once, control
    characters other than tab and line ends dropped. ``truncated`` marks a
    column cut at its length, whose last entity may be incomplete."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            value = bytes(value).decode("cp1252", errors="replace")
    text = repair_mojibake(str(value))
    if truncated:
        text = _CUT_ENTITY.sub("", text)
    text = decode_entities(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char >= " " or char in "\t\n")


def parse_date(value):
    """An Integria DATE (a ``date``, or text as non-strict MySQL returns a
    zero date): ``None`` for the zero date and for what is no date."""
    if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    text = str(value).strip()
    if not text or text in ZERO_DATES or text.startswith("0000-"):
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_datetime(value, tz_name="Europe/Madrid"):
    """An Integria DATETIME (naive local time of its server in ``tz_name``)
    as a naive UTC datetime, as Odoo stores it; ``None`` for the zero date."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        local = value
    else:
        text = str(value).strip()
        if not text or text in ZERO_DATES or text.startswith("0000-"):
            return None
        try:
            local = datetime.datetime.fromisoformat(text)
        except ValueError:
            day = parse_date(text)
            if day is None:
                return None
            local = datetime.datetime.combine(day, datetime.time())
    if local.year < 1900:
        return None
    aware = local.replace(tzinfo=ZoneInfo(tz_name))
    return aware.astimezone(datetime.UTC).replace(tzinfo=None)
