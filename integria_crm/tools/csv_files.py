"""The CSV files of Integria IMS: decoding, rows, values, writing.

Two layouts exist (SPEC §8); which columns each kind of record has is the
importer's specification of that kind (``models/integria_crm_csv_*.py``):

* *positional*: the files users type by hand, ``,``-separated, no header,
  the columns in the manual's order, then the custom fields in order;
* *Integria export*: the files Integria's ``include/export_csv.php`` writes:
  a UTF-8 BOM, the header (column names joined by ``;``) in UTF-8 and
  ``\n``; each data line's cells already decoded from Integria's entity
  storage (``\r \n " ' ;`` replaced by spaces, ``,`` by ``.``), joined by
  ``;``, nothing quoted; with Integria's default *CSV encoding* (Excel) each
  data line is UTF-16LE followed by a single 0x0A byte, otherwise UTF-8.
  The text is taken as it is: no entity is decoded.

Nothing here imports Odoo: the importer and the exporter of the addon call
these functions, and ``tests/test_csv_files.py`` hits them directly. Errors
carry a ``code`` and parameters; the addon turns them into translated
messages.
"""

import codecs
import csv
import io
import re
import unicodedata
from datetime import date, datetime

POSITIONAL = "positional"
INTEGRIA_EXPORT = "export"
LAYOUTS = (POSITIONAL, INTEGRIA_EXPORT)

NO_DATE = "0000-00-00"
# Records imported from an Integria export keep Integria's id as an external
# id of this namespace (``integria_import.company_12``): importing the same
# file again updates them. The addon's own export names its records apart,
# ``odoo-<id>``, so that its ids never meet Integria's.
XMLID_MODULE = "integria_import"
OWN_KEY_PREFIX = "odoo-"
# What Integria's export puts in place of these characters (export_csv.php)
INTEGRIA_CELL_REPLACED = {"\r": " ", "\n": " ", '"': " ", "'": " ", ";": " ", ",": "."}

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


class CsvError(ValueError):
    """An error in a file, a line or a value: ``code`` names it, ``params``
    fill its message. The words live in one place, the importer's
    translated catalog (``integria.crm.csv.import._csv_message``)."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(code, params)


# ----------------------------------------------------------------------
# Decoding
# ----------------------------------------------------------------------
def decode_bytes(data):
    """Return the text of a CSV file given as bytes.

    UTF-8 with or without BOM, UTF-16 with a BOM, and Integria's Excel
    encoding (a UTF-8 header line, then each line in UTF-16LE ended by a
    single 0x0A byte) are read; binary data and text in another encoding
    raise a :class:`CsvError` naming the problem.
    """
    if not data.strip():
        raise CsvError("empty")
    if data.startswith(BINARY_SIGNATURES):
        raise CsvError("binary")
    header, newline, body = data.partition(b"\n")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
    elif newline and b"\x00" not in header and _looks_utf16le(body):
        text = _decode(header + newline, "utf-8-sig") + decode_utf16_lines(body)
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


def decode_utf16_lines(body):
    """Return the text of UTF-16LE lines each ended by a single 0x0A byte
    (what Integria writes: ``mb_convert_encoding($line, 'UTF-16LE') . "\\n"``).

    A 0x0A byte ends a line when it falls on a character boundary and what
    follows starts a line (Integria's id and ``;``) or ends the file;
    otherwise it is half of a character such as U+010A or U+4E0A.
    """
    if body.startswith(codecs.BOM_UTF16_LE):
        body = body[2:]
    lines, start, search = [], 0, 0
    while start < len(body):
        end = body.find(b"\n", search)
        if end == -1:
            lines.append(body[start:])
            break
        if (end - start) % 2 == 0 and _starts_utf16_line(body, end + 1):
            lines.append(body[start:end])
            start = search = end + 1
        else:
            search = end + 1
    return "".join(_decode(line, "utf-16-le") + "\n" for line in lines if line not in (b"", b"\r\x00"))


# Every line of an Integria export starts with the record's id: digits, then ";"
_UTF16_LINE_START = re.compile(rb"(?:[0-9]\x00)+;\x00")


def _starts_utf16_line(body, position):
    return position >= len(body) or bool(_UTF16_LINE_START.match(body, position))


def _looks_utf16le(data):
    # ASCII-heavy text in UTF-16LE has a NUL at every odd byte (or every
    # even one once a single 0x0A has shifted the lines)
    sample = data[:4096]
    if sample.startswith(codecs.BOM_UTF16_LE):
        return True
    if len(sample) < 4:
        return False
    odd, even = sample[1::2], sample[0::2]
    return max(odd.count(0), even.count(0)) > 0.3 * len(odd)


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
# Ids and cells of Integria's exports
# ----------------------------------------------------------------------
def integria_xmlid(prefix, key, module=XMLID_MODULE):
    """The external id kept for Integria's record ``key`` of a kind (the
    Integria migration keeps its own ``module``)."""
    return f"{module}.{prefix}_{re.sub(r'[^0-9A-Za-z_-]', '_', str(key))}"


def own_key(record_id):
    """The id of an Odoo record in the addon's own export."""
    return f"{OWN_KEY_PREFIX}{record_id}"


def is_own_key(key):
    return bool(key) and key.startswith(OWN_KEY_PREFIX)


def own_id(key):
    """The Odoo id an ``odoo-<id>`` key names, ``None`` for another key."""
    number = key[len(OWN_KEY_PREFIX) :] if is_own_key(key) else ""
    return int(number) if number.isdigit() else None


def integria_cell(value):
    """``value`` as Integria's export writes a cell (export_csv.php)."""
    for char, replacement in INTEGRIA_CELL_REPLACED.items():
        value = value.replace(char, replacement)
    return value


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
