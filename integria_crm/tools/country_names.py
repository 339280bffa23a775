"""Which country a person meant: the one resolver of the lead intake, the CSV
import and the Integria migration.

Web forms and Integria's own data name countries the way people write them:
an ISO code (``ES``, ``es``), a name in any language (``España``,
``Deutschland``, ``Spain``), an everyday form (``UK``, ``USA``, ``Holland``),
with or without accents, case, dots or extra spaces. ``country_index`` builds
one dictionary from folded name to ISO alpha-2 code out of the names it is
given (the database's own country names in every installed language) and the
names Babel's CLDR data holds in a fixed set of common locales, so that
``España`` is found in a database without Spanish. ``find_country_code`` reads
it. Nothing here imports Odoo.
"""

import unicodedata

# Locales whose CLDR country names are always known, whatever languages the
# database has installed: the languages web forms in Europe and the Americas
# are most often written in.
NAME_LOCALES = ("en", "es", "ca", "gl", "eu", "pt", "fr", "it", "de", "nl")

# Everyday forms that are neither ISO codes nor CLDR names.
ALIASES = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "inglaterra": "GB",
    "gran bretana": "GB",
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "estados unidos de america": "US",
    "eeuu": "US",
    "ee uu": "US",
    "holland": "NL",
    "holanda": "NL",
    "the netherlands": "NL",
    "russia": "RU",
    "rusia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "corea": "KR",
    "corea del sur": "KR",
    "north korea": "KP",
    "uae": "AE",
    "emiratos arabes": "AE",
    "czech republic": "CZ",
    "republica checa": "CZ",
    "vatican": "VA",
    "ivory coast": "CI",
    "costa de marfil": "CI",
    "macedonia": "MK",
    "burma": "MM",
    "swaziland": "SZ",
    "turkey": "TR",
    "turquia": "TR",
    "bolivia": "BO",
    "venezuela": "VE",
    "iran": "IR",
    "syria": "SY",
    "siria": "SY",
    "laos": "LA",
    "vietnam": "VN",
    "taiwan": "TW",
    "moldova": "MD",
    "tanzania": "TZ",
    "palestine": "PS",
    "palestina": "PS",
    "kosovo": "XK",
}


def fold(text):
    """Fold a country name for matching: no accents, case, dots, dashes or
    extra spaces (``"  U.S.A. "`` -> ``"u s a"``, ``"España"`` -> ``"espana"``)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    spaced = "".join(char if char.isalnum() else " " for char in letters.casefold())
    return " ".join(spaced.split())


def cldr_names(locales=NAME_LOCALES):
    """``(alpha-2 code, name)`` pairs of Babel's CLDR territory names in
    ``locales`` (locales Babel does not know are skipped)."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # Babel is one of Odoo's own requirements
        return []
    pairs = []
    for locale in locales:
        try:
            territories = Locale.parse(locale).territories
        except (UnknownLocaleError, ValueError):
            continue
        pairs.extend((code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha())
    return pairs


def country_index(codes, names=(), locales=NAME_LOCALES):
    """Folded name -> alpha-2 code, for the ``codes`` a database knows.

    ``names`` are ``(code, name)`` pairs from the database (each installed
    language); they win over CLDR names and aliases, which fill the rest.
    """
    known = {code.upper() for code in codes if code}
    index = {}

    def add(code, name):
        code = (code or "").upper()
        key = fold(name)
        if code in known and key:
            index.setdefault(key, code)

    for code, name in names:
        add(code, name)
    for code, name in cldr_names(locales):
        add(code, name)
    for key, code in ALIASES.items():
        add(code, key)
    for code in known:
        index[fold(code)] = code
    return index


def find_country_code(text, index):
    """The alpha-2 code ``text`` names in ``index``, or ``None``.

    An exact folded match first; then the name without a leading article
    ("The Netherlands", "El Salvador" stays exact) or a trailing
    parenthesis ("Spain (España)").
    """
    key = fold(text)
    if not key:
        return None
    if key in index:
        return index[key]
    for article in ("the ", "la ", "el ", "le ", "les ", "los ", "las ", "die ", "der "):
        if key.startswith(article) and key[len(article) :] in index:
            return index[key[len(article) :]]
    if "(" in (text or ""):
        return find_country_code(text.split("(", 1)[0], index)
    return None
