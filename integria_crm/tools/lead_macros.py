"""Macros of lead e-mail templates.

The four macros of Integria's lead templates are replaced at send time by the
values of the lead and of the sending user, with the same one-pass
substitution as contract templates: nothing in the template or in a value is
evaluated, and a value is never scanned for macros again. In the HTML body the
values are escaped; in the subject (plain text) they lose their line breaks.
"""

from .contract_macros import substitute_macros

LEAD_MACROS = ("DEST_NAME", "DEST_EMAIL", "SRC_NAME", "SRC_EMAIL")


def lead_macro_values(dest_name, dest_email, src_name, src_email):
    """Return the values of the lead macros: the lead's full name and e-mail,
    the sending user's name and e-mail."""
    return dict(zip(LEAD_MACROS, (dest_name, dest_email, src_name, src_email), strict=True))


def render_lead_body(body, values):
    """Return the HTML ``body`` with the lead macros replaced by the escaped ``values``."""
    return substitute_macros(body, {name: values.get(name) for name in LEAD_MACROS})


def _subject_text(value):
    return " ".join(str(value).split()) if value else ""


def render_lead_subject(subject, values):
    """Return a template subject with the lead macros replaced by ``values`` on one line."""
    return substitute_macros(subject, {name: values.get(name) for name in LEAD_MACROS}, escape=_subject_text)
