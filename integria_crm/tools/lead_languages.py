"""The order in which lead e-mail templates are offered.

A template written in one language (its ``lang`` is a language code such as
``es_ES``) suits a lead best when that is the lead's language; then come the
templates of the lead's other likely languages (its country's, its contact's,
the user's), a language of the same family counting just after the exact one
(``es_MX`` for a lead in ``es_ES``). Templates without a language (or whose
language is an expression rendered per recipient, ``{{ object.lang }}``) come
next, then the templates of unrelated languages: every template stays listed.
"""

import re

LANG_CODE_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9@]+)?$")


def template_language(lang):
    """Return the language code a template is written in, or ``None`` when
    its ``lang`` is empty or an expression."""
    lang = (lang or "").strip()
    return lang if LANG_CODE_RE.match(lang) else None


def language_rank(preferred, lang):
    """Return the sort key of a template in ``lang`` for a lead whose likely
    languages are ``preferred`` (most likely first): lower is better.

    >>> language_rank(["es_ES", "en_US"], "es_ES") < language_rank(["es_ES", "en_US"], "en_US")
    True
    """
    code = template_language(lang)
    if code is None:
        return 2 * len(preferred)
    for index, wanted in enumerate(preferred):
        if code == wanted:
            return 2 * index
        if code.split("_")[0] == wanted.split("_")[0]:
            return 2 * index + 1
    return 2 * len(preferred) + 1
