"""The order of lead e-mail templates (integria_crm/tools/lead_languages.py)."""

from conftest import load_tool

lead_languages = load_tool("lead_languages")
language_rank = lead_languages.language_rank
template_language = lead_languages.template_language


def _order(preferred, langs):
    return sorted(langs, key=lambda lang: language_rank(preferred, lang))


def test_the_leads_language_first_then_the_others_all_listed():
    langs = ["en_US", "", "fr_FR", "es_ES", "{{ object.partner_id.lang }}"]
    assert _order(["es_ES", "en_US"], langs) == ["es_ES", "en_US", "", "{{ object.partner_id.lang }}", "fr_FR"]


def test_a_language_of_the_same_family_comes_right_after_the_exact_one():
    assert _order(["es_ES", "en_US"], ["en_US", "es_MX", "es_ES"]) == ["es_ES", "es_MX", "en_US"]


def test_without_preferences_templates_without_language_first():
    assert _order([], ["es_ES", ""]) == ["", "es_ES"]


def test_expressions_and_junk_are_no_language():
    assert template_language(" es_ES ") == "es_ES"
    assert template_language("sr@latin") is None
    assert template_language("sr_RS@latin") == "sr_RS@latin"
    for lang in (None, "", "{{ object.lang }}", "es_ES; DROP", "Español"):
        assert template_language(lang) is None
