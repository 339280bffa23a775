"""Labels of custom fields (Odoo properties) in several languages.

A properties definition holds one label (``string``) per field. The CRM
keeps the label typed in each language beside it, under ``integria_labels``
(``{"es_ES": "Horas al mes"}``), the way a translatable field keeps one value
per language: a label written in English is the source (``string``), a label
written in another language is that language's translation, and readers see
the label of their language, or the source when it has none.
"""

import json

LABELS_KEY = "integria_labels"
SOURCE_LANG = "en_US"


def localize(definitions, lang):
    """Return ``definitions`` (or properties values) with each label in ``lang``.

    :param list definitions: property dicts with ``string`` and maybe ``integria_labels``
    :param str lang: the reader's language code
    :return: new dicts; the labels of every language are kept
    """
    localized = []
    for definition in definitions or []:
        label = (definition.get(LABELS_KEY) or {}).get(lang)
        localized.append({**definition, "string": label} if label else definition)
    return localized


def merge_labels(old_definitions, new_definitions, lang):
    """Return ``new_definitions`` written in ``lang``, with the labels of ``old_definitions`` kept.

    A label written in the source language replaces the source; a label
    written in another language becomes that language's label and the source
    stays (a new field takes it as its source too).

    :param old_definitions: the stored definition (a list, or None)
    :param new_definitions: the definition being written (a list or its JSON)
    :param str lang: the writer's language
    """
    if isinstance(new_definitions, str):
        new_definitions = json.loads(new_definitions)
    if not new_definitions:
        return new_definitions
    previous = {definition["name"]: definition for definition in old_definitions or [] if definition.get("name")}
    merged = []
    for written in new_definitions:
        definition = dict(written)
        old = previous.get(definition.get("name")) or {}
        labels = {**(old.get(LABELS_KEY) or {}), **(definition.get(LABELS_KEY) or {})}
        if lang and lang != SOURCE_LANG and definition.get("string"):
            labels[lang] = definition["string"]
            definition["string"] = old.get("string") or definition["string"]
        if labels:
            definition[LABELS_KEY] = labels
        else:
            definition.pop(LABELS_KEY, None)
        merged.append(definition)
    return merged


def labels_of(definition):
    """Return ``{lang: label}`` of one property, the source under ``en_US``."""
    return {SOURCE_LANG: definition.get("string") or "", **(definition.get(LABELS_KEY) or {})}
