"""The CSV files of Integria IMS: decoding, rows, values, writing.

Two layouts exist for companies and for contracts (see SPEC §8):

* *positional*: the files users type by hand, ``,``-separated, no header,
  the columns in the manual's order, then the custom fields in order;
* *Integria export*: the files Integria writes, ``;``-separated with a header
  row and an ``id`` column, a UTF-8 BOM, sometimes a UTF-16LE body after the
  UTF-8 header line, and text stored HTML-entity-encoded (``&#x0a;``,
  ``&amp;``...).

Nothing here imports Odoo: the importer and the exporter of the addon call
these functions, and ``tests/test_csv_files.py`` hits them directly. Errors
carry a ``code`` and parameters; the addon turns them into translated
messages (``MESSAGES`` holds the English wording).
"""

import codecs
import csv
import html
import io
import re
import unicodedata
from datetime import date, datetime

POSITIONAL = "positional"
INTEGRIA_EXPORT = "export"

# The manual's positional columns (SPEC §8), custom fields follow.
COMPANY_COLUMNS = (
    "name",
    "address",
    "vat",
    "country",
    "website",
    "comment",
    "role",
    "parent",
    "manager",
    "last_update",
    "payment_conditions",
)
CONTRACT_COLUMNS = (
    "name",
    "contract_number",
    "description",
    "date_start",
    "date_end",
    "company",
    "sla",
    "support_group",
    "is_private",
    "state",
    "type",
)

# Header of an Integria export: Integria's column names, id first.
COMPANY_EXPORT_HEADER = (
    "id",
    "name",
    "address",
    "fiscal_id",
    "country",
    "website",
    "comments",
    "id_company_role",
    "id_parent",
    "manager",
    "last_update",
    "payment_conditions",
)
CONTRACT_EXPORT_HEADER = (
    "id",
    "name",
    "contract_number",
    "description",
    "date_begin",
    "date_end",
    "id_company",
    "id_sla",
    "id_group",
    "private",
    "status",
    "id_contract_type",
)
# Every header name met in Integria files (old exports name some columns
# differently), mapped to the column of the layout.
COMPANY_HEADER_ALIASES = {
    **dict(zip(COMPANY_EXPORT_HEADER, ("id", *COMPANY_COLUMNS), strict=True)),
    "company_name": "name",
    "vat": "vat",
    "comment": "comment",
    "role": "role",
    "parent": "parent",
    "id_user": "manager",
}
CONTRACT_HEADER_ALIASES = {
    **dict(zip(CONTRACT_EXPORT_HEADER, ("id", *CONTRACT_COLUMNS), strict=True)),
    "company": "company",
    "sla": "sla",
    "group": "support_group",
    "status_name": "state",
    "type": "type",
    "contract_type": "type",
}

NO_DATE = "0000-00-00"
# Integria's contract status codes
STATUS_CODES = {"0": "inactive", "1": "active", "2": "pending"}
STATUS_OF_STATE = {state: code for code, state in STATUS_CODES.items()}
PAYMENT_CONDITIONS = ("30", "60", "90", "180")

BINARY_SIGNATURES = (
    b"PK\x03\x04",  # zip, xlsx, ods
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # jpeg
    b"\xd0\xcf\x11\xe0",  # xls, doc
    b"\x1f\x8b",  # gzip
    b"\x7fELF",
)
ALLOWED_CONTROLS = set("\t\n\r\f\v")

MESSAGES = {
    "empty": "The file is empty.",
    "too_big": "The file is {size} MB: the import takes files up to {limit} MB here.",
    "binary": "This is not a CSV file: it holds binary data (a spreadsheet, an archive or an image?). "
    "Save it as CSV first.",
    "encoding": "The file is not UTF-8 text: line {line} holds the byte {byte}. Save it as CSV UTF-8 (or UTF-16).",
    "syntax": "Line {line} cannot be read as CSV: {detail}.",
    "no_header": "An Integria export starts with a header row naming its columns; the first line names none.",
    "date": "{value!r} is not a date: write it as 2017-07-25 or 25/07/2017.",
    "datetime": "{value!r} is not a date and time: write it as 2017-07-25 10:30:00 or 25/07/2017 10:30.",
    "boolean": "{value!r} is not a yes/no value: write 1 or 0.",
    "integer": "{value!r} is not a whole number.",
    "number": "{value!r} is not a number.",
    "choice": "{value!r} is not one of: {choices}.",
}


class CsvError(ValueError):
    """An error in a file, a line or a value: ``code`` names it, ``params``
    fill its message (``MESSAGES[code]`` in English)."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(MESSAGES.get(code, code).format(**params))


# ----------------------------------------------------------------------
# Decoding
# ----------------------------------------------------------------------
def decode_bytes(data):
    """Return the text of a CSV file given as bytes.

    UTF-8 with or without BOM, UTF-16 with a BOM, and Integria's mix of a
    UTF-8 header line followed by a UTF-16LE body are read; binary data and
    text in another encoding raise a :class:`CsvError` naming the problem.
    """
    if not data.strip():
        raise CsvError("empty")
    if data.startswith(BINARY_SIGNATURES):
        raise CsvError("binary")
    header, newline, body = data.partition(b"\n")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    elif newline and b"\x00" not in header and _looks_utf16le(body):
        # Integria: a UTF-8 header line, then the body in UTF-16LE
        text = _decode(header + newline, "utf-8-sig") + _decode(body, "utf-16-le")
    elif _looks_utf16le(data):
        text = _decode(data, "utf-16-le")
    else:
        if b"\x00" in data:
            raise CsvError("binary")
        text = _decode(data, "utf-8-sig")
    text = text.replace("\ufeff", "")
    if "\x00" in text or _has_controls(text):
        raise CsvError("binary")
    if not text.strip():
        raise CsvError("empty")
    return text


def _looks_utf16le(data):
    # ASCII-heavy text in UTF-16LE has a NUL at every odd byte
    sample = data[:4096]
    if sample.startswith(codecs.BOM_UTF16_LE):
        return True
    if len(sample) < 4:
        return False
    odd, even = sample[1::2], sample[0::2]
    return odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even)


def _decode(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding.startswith("utf-16"):
            raise CsvError("binary") from error
        line = data[: error.start].count(b"\n") + 1
        raise CsvError("encoding", line=line, byte=f"0x{data[error.start]:02X}") from error


def _has_controls(text):
    sample = text[:65536]
    return any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS for char in sample)


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------
def guess_delimiter(text):
    """``;`` when the first line has more semicolons than commas, else ``,``."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def iter_rows(text, delimiter=","):
    """Yield ``(line, cells)`` for each non-blank record of ``text``.

    ``line`` is the line where the record starts (a quoted value may span
    several lines). A record that cannot be read raises :class:`CsvError`.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvError("syntax", line=reader.line_num or start, detail=str(error)) from error
        if any(cell.strip() for cell in cells):
            yield start, cells


def count_records(text):
    """Return how many lines ``text`` has: a cheap estimate of its rows, for progress."""
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def normalize_header(value):
    return re.sub(r"\s+", "_", value.strip().casefold())


def map_header(cells, aliases):
    """Return ``{index: column}`` for the header ``cells``, unknown names as
    ``None`` (the caller may match them to custom fields)."""
    return {index: aliases.get(normalize_header(cell)) for index, cell in enumerate(cells)}


# An entity's ";" is not a delimiter, even in a value Integria left unquoted.
_ENTITY_END = re.compile(r"(&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31}));")
_PROTECTED_SEMICOLON = "\ue000"


def protect_entities(text):
    """Hide the semicolons that end HTML entities from the CSV reader (see
    :func:`decode_entities`, which restores them)."""
    return _ENTITY_END.sub(r"\1" + _PROTECTED_SEMICOLON, text) if "&" in text else text


def decode_entities(value):
    """Return Integria's HTML-entity-encoded text as the real text."""
    if "&" not in value:
        return value
    return html.unescape(value.replace(_PROTECTED_SEMICOLON, ";"))


def encode_entities(value):
    """Encode text the way Integria stores it (the inverse of :func:`decode_entities`)."""
    return html.escape(value, quote=True).replace("\r", "&#x0d;").replace("\n", "&#x0a;")


# ----------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")


def is_no_date(value):
    value = value.strip()
    return not value or value.startswith(NO_DATE)


def parse_date(value):
    """Return the date of ``value`` (ISO or dd/mm/yyyy, a time part is
    ignored), ``None`` for an empty value or ``0000-00-00``."""
    if is_no_date(value):
        return None
    day_part = value.strip().replace("T", " ").split(" ", 1)[0]
    try:
        return _parse_day(day_part)
    except ValueError as error:
        raise CsvError("date", value=value) from error


def parse_datetime(value):
    """Return the naive datetime of ``value`` (ISO or dd/mm/yyyy, with or
    without a time), ``None`` for an empty value or ``0000-00-00 00:00:00``."""
    if is_no_date(value):
        return None
    parts = value.strip().replace("T", " ").split()
    try:
        if len(parts) > 2:
            raise ValueError(value)
        day = _parse_day(parts[0])
        hour = minute = second = 0
        if len(parts) == 2:
            match = _TIME.match(parts[1])
            if not match:
                raise ValueError(value)
            hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        return datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError as error:
        raise CsvError("datetime", value=value) from error


def _parse_day(text):
    if match := _ISO_DATE.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY_DATE.match(text):
        return date(int(match[3]), int(match[2]), int(match[1]))
    raise ValueError(text)


_TRUE = {"1", "true", "yes", "y", "si", "sí", "x"}
_FALSE = {"0", "false", "no", "n", ""}


def parse_bool(value):
    """``1``/``0`` (and true/false, yes/no, sí/no); empty is false."""
    folded = value.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CsvError("boolean", value=value)


def parse_int(value):
    try:
        return int(value.strip())
    except ValueError as error:
        raise CsvError("integer", value=value) from error


def parse_float(value):
    """A number with ``.`` as decimal point, or ``,`` when it is the only separator."""
    text = value.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as error:
        raise CsvError("number", value=value) from error


def parse_choice(value, choices):
    """Return the key of ``choices`` (``[(key, label)]``) that ``value``
    names by key or label, whatever the case."""
    folded = normalize_name(value)
    for key, label in choices:
        if folded in (normalize_name(str(key)), normalize_name(str(label))):
            return key
    raise CsvError("choice", value=value, choices=", ".join(str(key) for key, _label in choices))


def split_list(value):
    """The items of a comma-separated list value (tags, many2many)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def normalize_name(value):
    """Fold ``value`` for matching names: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def _parse_date_text(value):
    parsed = parse_date(value)
    return parsed and parsed.isoformat()


def _parse_datetime_text(value):
    parsed = parse_datetime(value)
    return parsed and parsed.strftime("%Y-%m-%d %H:%M:%S")


_PROPERTY_PARSERS = {
    "integer": lambda prop, value: parse_int(value),
    "float": lambda prop, value: parse_float(value),
    "monetary": lambda prop, value: parse_float(value),
    "date": lambda prop, value: _parse_date_text(value),
    "datetime": lambda prop, value: _parse_datetime_text(value),
    "selection": lambda prop, value: parse_choice(value, prop.get("selection") or []),
    "tags": lambda prop, value: [
        parse_choice(item, [(tag[0], tag[1]) for tag in prop.get("tags") or []]) for item in split_list(value)
    ],
    "many2one": lambda prop, value: [value.strip()],
    "many2many": lambda prop, value: split_list(value),
}


def parse_property(prop, value):
    """Return the value of custom field ``prop`` (a properties definition)
    written as ``value`` in a file, in the format Odoo stores.

    Relational values come back as the list of their tokens (ids or names),
    for the caller to look up; empty values as ``None``.
    """
    kind = prop.get("type")
    if kind == "boolean":
        return parse_bool(value)
    if not value.strip():
        return None
    parser = _PROPERTY_PARSERS.get(kind)
    return parser(prop, value) if parser else value


def _relational_id(item):
    return str(item[0] if isinstance(item, (list, tuple)) else item)


_PROPERTY_FORMATTERS = {
    "many2one": _relational_id,
    "many2many": lambda value: ",".join(_relational_id(item) for item in value),
    "tags": ",".join,
    "float": lambda value: repr(float(value)),
    "monetary": lambda value: repr(float(value)),
}


def format_property(prop, value):
    """Write custom field ``prop``'s ``value`` (Odoo's read format: relational
    values as ``(id, name)``) as :func:`parse_property` reads it back."""
    kind = prop.get("type")
    if kind == "boolean":
        return "1" if value else "0"
    if value is None or value is False or value == []:
        return ""
    return _PROPERTY_FORMATTERS.get(kind, str)(value)


def format_date(value):
    return value.isoformat() if value else ""


def format_datetime(value):
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


# ----------------------------------------------------------------------
# Parent links
# ----------------------------------------------------------------------
def find_cycles(parent_of):
    """Return the keys of ``parent_of`` (``{key: parent key}``) that take part
    in a cycle, in the order of the mapping."""
    in_cycle, safe = set(), set()
    for start in parent_of:
        chain, seen, key = [], set(), start
        while key in parent_of and key not in safe and key not in in_cycle and key not in seen:
            seen.add(key)
            chain.append(key)
            key = parent_of[key]
        if key in seen:
            in_cycle.update(chain[chain.index(key) :])
        safe.update(item for item in chain if item not in in_cycle)
    return [key for key in parent_of if key in in_cycle]


def creation_waves(keys, parent_of):
    """Split ``keys`` into waves: each key comes after its parent when its
    parent is one of ``keys`` (no cycles allowed)."""
    keys = list(keys)
    members = set(keys)
    depth = {}

    def depth_of(key):
        trail = []
        while key not in depth:
            parent = parent_of.get(key)
            if parent is None or parent not in members:
                depth[key] = 0
                break
            trail.append(key)
            key = parent
        level = depth[key]
        for item in reversed(trail):
            level += 1
            depth[item] = level
        return depth[trail[0]] if trail else depth[key]

    waves = {}
    for key in keys:
        waves.setdefault(depth_of(key), []).append(key)
    return [waves[level] for level in sorted(waves)]


# ----------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------
def write_csv(rows, delimiter=",", header=None):
    """Return ``rows`` as CSV text, quoted where needed, nothing replaced."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def encode_text(text, bom=False):
    """The bytes of an exported file: UTF-8, with a BOM for Integria's layout."""
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
