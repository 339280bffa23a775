"""Facts of an Integria IMS installation that the migration reads, as pure
functions: where its database is, which CRM level a user's profiles give,
an invoice's taxes and the total Integria showed for it, where an attached
file lies. Nothing here imports Odoo; the database is read by the migration
with PyMySQL.
"""

import json
import os
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote, urlsplit

CRM_LEVELS = ("read", "write", "manage")
# tprofile's CRM flags, lowest level first
CRM_FLAGS = ("cr", "cw", "cm")


class SourceError(ValueError):
    """The source named on the command line cannot be read."""


def parse_source_url(url):
    """``mysql://user:password@host:port/database`` (``mariadb://`` too) as
    PyMySQL's connection arguments."""
    parts = urlsplit(url or "")
    database = unquote(parts.path.lstrip("/"))
    if parts.scheme not in ("mysql", "mariadb") or not parts.hostname or not database or "/" in database:
        raise SourceError(f"not a MySQL source: {url!r} (expected mysql://user:password@host[:port]/database)")
    try:
        port = parts.port or 3306
    except ValueError as error:
        raise SourceError(f"not a port in {url!r}") from error
    return {
        "host": parts.hostname,
        "port": port,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "database": database,
    }


def crm_level(profiles):
    """The CRM level of a user with ``profiles`` (tprofile rows as dicts with
    ``cr``, ``cw``, ``cm``): the highest flag over all of them, or ``None``."""
    level = None
    for profile in profiles:
        for rank, flag in enumerate(CRM_FLAGS):
            if int(profile.get(flag) or 0) and (level is None or rank > CRM_LEVELS.index(level)):
                level = CRM_LEVELS[rank]
    return level


def _number(text):
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        return 0.0


def parse_taxes(tax, tax_name=""):
    """An invoice's taxes as ``[(name, rate), ...]``: Integria writes the
    form's fields with ``json_encode`` (``{"tax1":"21","tax2":"5.2"}``, the
    names likewise, ``0`` where none was typed); older rows hold one plain
    number. Zero rates are left out; a missing name is ``""``."""
    tax = (tax or "").strip()
    if not tax:
        return []
    if tax.startswith("{"):
        try:
            rates = json.loads(tax)
        except ValueError:
            return []
        try:
            names = json.loads(tax_name) if (tax_name or "").strip().startswith("{") else {}
        except ValueError:
            names = {}
        taxes = []
        for key, rate in rates.items():
            name = names.get(key) if isinstance(names, dict) else None
            name = "" if name in (None, 0, "0") else str(name)
            taxes.append((name, _number(rate)))
        return [(name, rate) for name, rate in taxes if rate]
    rate = _number(tax)
    name = "" if (tax_name or "").strip() in ("", "0") else tax_name.strip()
    return [(name, rate)] if rate else []


def php_round(value, places=2):
    """PHP's ``round()``: half away from zero, on the shortest decimal that
    reads back as ``value`` (so ``round(1.005, 2)`` is 1.01, as in PHP)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def invoice_total(amount, discount_before, tax_rates, irpf):
    """The total Integria shows for an invoice (``invoice_view.php``):
    ``amount`` is the sum of the five amounts as MySQL adds them, the
    discount a percentage taken before taxes, then the sum of the tax rates
    and the retention applied to that rounded base."""
    amount = float(amount or 0.0)
    base = php_round(amount - amount * (float(discount_before or 0.0) / 100), 2)
    taxes = base * (sum(tax_rates) / 100)
    retention = base * (float(irpf or 0.0) / 100)
    return php_round(base + taxes - retention, 2)


def attachment_path(folder, attachment_id, filename):
    """Where Integria keeps an attached file: ``attachment/<id>_<filename>``
    in its folder (``folder`` may be Integria's root or that attachment
    folder itself)."""
    name = f"{attachment_id}_{filename}"
    inside = os.path.join(folder, "attachment", name)
    return inside if os.path.isdir(os.path.join(folder, "attachment")) else os.path.join(folder, name)
