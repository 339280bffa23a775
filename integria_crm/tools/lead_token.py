"""The ``[Lead#N]`` token of lead e-mail subjects.

Integria prefixes the subject of every e-mail sent from a lead with
``[Lead#<id>] ``; a reply keeps the token whatever the customer's mail client
does to the threading headers, so the token alone finds the lead. It is
recognised in any case, anywhere in the subject (after ``Re:``, ``Fwd:``,
``RE: AW:``...), with blanks inside the brackets. ``[Lead#35a]`` is not a
token. When a subject carries several tokens, the first one wins: it is the
one of the most recent exchange (forwarding prefixes come before it).
"""

import re

LEAD_TOKEN_RE = re.compile(r"\[\s*lead\s*#\s*(\d{1,18})\s*\]", re.IGNORECASE)
# ids are PostgreSQL integers
MAX_LEAD_ID = 2**31 - 1


def lead_token(lead_id):
    """Return the token of the lead ``lead_id``: ``[Lead#35]``."""
    return f"[Lead#{int(lead_id)}]"


def parse_lead_tokens(subject):
    """Return the lead ids named by the tokens of ``subject``, in order,
    without repetitions; ids that cannot be a record id are left out."""
    ids = []
    for match in LEAD_TOKEN_RE.finditer(subject or ""):
        lead_id = int(match.group(1))
        if 0 < lead_id <= MAX_LEAD_ID and lead_id not in ids:
            ids.append(lead_id)
    return ids


def parse_lead_token(subject):
    """Return the id of the lead named in ``subject``, or ``None``.

    >>> parse_lead_token("Re: [lead#35] Our offer")
    35
    >>> parse_lead_token("[Lead#35a] not a token") is None
    True
    """
    ids = parse_lead_tokens(subject)
    return ids[0] if ids else None


def lead_subject(lead_id, subject):
    """Return ``subject`` with the token of ``lead_id`` in front, once.

    A subject that already carries the token of this lead is kept as is
    (a reply to a reply does not pile tokens up).
    """
    subject = (subject or "").strip()
    if lead_id in parse_lead_tokens(subject):
        return subject
    return f"{lead_token(lead_id)} {subject}"
