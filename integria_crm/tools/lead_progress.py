"""Integria's progress codes of leads.

0 to 80 are the open steps of the pipeline, 100 to 102 the ways a lead closes
without a sale, 200 the sale. In Odoo the open codes are stages, 200 the won
stage, and 100 to 102 lost reasons of a lost (archived) lead.
"""

PROGRESS_CODES = {
    0: "New",
    20: "Meeting arranged",
    40: "Needs discovered",
    60: "Proposal delivered",
    80: "Offer accepted",
    100: "Closed, no response or dead",
    101: "Closed, lost",
    102: "Closed, invalid",
    200: "Closed, won",
}
OPEN_CODES = (0, 20, 40, 60, 80)
LOST_CODES = (100, 101, 102)
WON_CODE = 200
DEFAULT_LOST_CODE = 101
CLOSED_THRESHOLD = 100


def is_closed(code):
    """Whether the progress code ``code`` closes the lead (codes from 100)."""
    return code >= CLOSED_THRESHOLD


def next_open_code(code):
    """Return the open code after ``code``, or ``code`` itself at the end of
    the open steps or once closed."""
    later = [open_code for open_code in OPEN_CODES if open_code > code]
    return later[0] if later and not is_closed(code) else code


def open_code_at(codes_by_sequence, sequence):
    """Return the progress code of a stage at ``sequence`` that has no code of
    its own: the code of the last coded open stage before it, else New.

    :param codes_by_sequence: (sequence, code) pairs of the coded open stages
    """
    before = [code for stage_sequence, code in sorted(codes_by_sequence) if stage_sequence <= sequence]
    return before[-1] if before else OPEN_CODES[0]


def conversion_ratio(won, total):
    """Return the share of won leads among ``total`` leads, 0.0 when there is none."""
    return won / total if total else 0.0


def reached_code(previous, code, stage_code=None):
    """Return the furthest progress a lead has reached: the furthest of
    ``previous`` (what it had reached so far, ``None`` for a new lead) and of
    where it is now. A won lead (200) reached every step; a lead closed
    without a sale reached the open step of its stage (``stage_code``), not
    its closing code.

    >>> reached_code(60, 20), reached_code(20, 200), reached_code(40, 101, 60)
    (60, 200, 60)
    """
    if code == WON_CODE:
        now = WON_CODE
    elif is_closed(code):
        now = stage_code if stage_code is not None else OPEN_CODES[0]
    else:
        now = code
    return max(previous or OPEN_CODES[0], now)
