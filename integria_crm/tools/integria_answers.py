"""The bodies Integria's ``include/api.php`` answers, byte for byte.

Integria's clients (the manual's PHP form, the WordPress connector, SaaS
portals) compare these bodies as they are: ``1`` without a newline for a
created lead, ``<xml>1</xml>`` for a valid user, a PHP ``fputcsv`` line for
an invoice. Each function returns the text of one operation's answer in
``csv`` or ``xml``, as Integria 5.0's ``include/functions_api.php`` writes
it; a failure answers what Integria answers for a failure of that operation.
Values inside CDATA are written as they are, except that a ``]]>`` inside
a value is split so that the XML stays well-formed. Nothing here imports
Odoo.
"""

# the characters that make PHP's fputcsv() enclose a field in quotes
_CSV_SPECIAL = frozenset(',"\\\n\r\t ')

# get_invoice's columns, in Integria's order
INVOICE_KEYS = (
    "id",
    "id_user",
    "id_task",
    "id_company",
    "bill_id",
    "concept1",
    "concept2",
    "concept3",
    "concept4",
    "concept5",
    "amount1",
    "amount2",
    "amount3",
    "amount4",
    "amount5",
    "tax",
    "currency",
    "description",
    "id_attachment",
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

# create_invoice's answers (Integria's "error" texts, English in Integria too)
INVOICE_CREATED = "invoice created"


def php_string(value):
    """``value`` as PHP's string conversion writes it (``None`` and
    ``False`` are empty, ``True`` is ``1``)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def php_csv_line(values):
    """One line as PHP's ``fputcsv($handle, $values)`` writes it (comma,
    double quote, backslash escape, ``\\n``): a field holding a comma, a
    quote, a backslash, a space, a tab or a line break is quoted and its
    quotes doubled, except a quote that follows a backslash."""
    fields = []
    for value in values:
        text = php_string(value)
        if not _CSV_SPECIAL.intersection(text):
            fields.append(text)
            continue
        quoted, escaped = ['"'], False
        for char in text:
            if char == "\\":
                escaped = True
            elif not escaped and char == '"':
                quoted.append('"')
            else:
                escaped = False
            quoted.append(char)
        quoted.append('"')
        fields.append("".join(quoted))
    return ",".join(fields) + "\n"


def cdata(value):
    return "<![CDATA[" + php_string(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_record(record, items):
    body = "".join(f"<{key}>{cdata(value)}</{key}>\n" for key, value in items)
    return f"<xml>\n<{record}>\n{body}</{record}>\n</xml>\n"


def create_lead(result, return_type):
    """``1`` or ``0``; in xml ``xml_node($result)``."""
    if return_type == "xml":
        return f"<xml version='1.0' encoding='UTF-8'>\n<data>{php_string(result)}</data>\n</xml>\n"
    return php_string(result)


def validate_user(count, return_type):
    """The number of enabled users with that login and password."""
    return f"<xml>{count}</xml>" if return_type == "xml" else php_string(count)


def user_exists(exists, return_type):
    result = 1 if exists else 0
    return _xml_record("user", [("exists", result)]) if return_type == "xml" else php_string(result)


def create_company(company_id, return_type):
    """The new company's id, or ``0``."""
    result = company_id or 0
    return _xml_record("company", [("id", result)]) if return_type == "xml" else php_string(result)


def create_invoice(status, message, return_type):
    """``1,"invoice created"`` or ``0,"<reason>"`` as a CSV line."""
    items = [("status", status), ("error", message)]
    return _xml_record("invoice", items) if return_type == "xml" else php_csv_line(value for _key, value in items)


def get_invoice(values, return_type):
    """The invoice's values in :data:`INVOICE_KEYS` order (empty when no
    invoice has the number: an empty line, or an empty ``<invoice>``)."""
    items = list(zip(INVOICE_KEYS, values, strict=True)) if values else []
    return _xml_record("invoice", items) if return_type == "xml" else php_csv_line(value for _key, value in items)


def get_last_invoice_id(bill_id, return_type):
    """The number of the last issued invoice, or an empty answer."""
    if return_type == "xml":
        return _xml_record("last_invoice_id", [("id", bill_id or "")])
    return php_string(bill_id or "")


# what each operation answers when it fails or is refused before it runs
FAILURES = {
    "create_lead": lambda return_type, reason: create_lead(0, return_type),
    "validate_user": lambda return_type, reason: validate_user(0, return_type),
    "user_exists": lambda return_type, reason: user_exists(False, return_type),
    "create_company": lambda return_type, reason: create_company(0, return_type),
    "create_invoice": lambda return_type, reason: create_invoice(0, reason, return_type),
    "get_invoice": lambda return_type, reason: get_invoice([], return_type),
    "get_last_invoice_id": lambda return_type, reason: get_last_invoice_id("", return_type),
}
OPERATIONS = tuple(FAILURES)


def failure(operation, return_type, reason=""):
    """The answer of a failed ``operation`` (Integria's ``0`` of
    ``create_lead`` for an unknown one); ``reason`` goes where Integria
    writes one (create_invoice's ``error``)."""
    return FAILURES.get(operation, FAILURES["create_lead"])(return_type, reason)
