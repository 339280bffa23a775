"""The one country resolver (integria_crm/tools/country_names.py)."""

import pytest
from conftest import load_tool

country_names = load_tool("country_names")
CODES = ["ES", "GB", "US", "DE", "FR", "NL", "PT", "MX", "SV", "CI", "KR"]
INDEX = country_names.country_index(CODES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ES", "ES"),
        ("es", "ES"),
        (" gb ", "GB"),
        ("Spain", "ES"),
        ("España", "ES"),
        ("ESPAÑA", "ES"),
        ("espana", "ES"),
        ("Espanya", "ES"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Reino Unido", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("Estados Unidos", "US"),
        ("EE.UU.", "US"),
        ("Deutschland", "DE"),
        ("Alemania", "DE"),
        ("Allemagne", "DE"),
        ("Holland", "NL"),
        ("The Netherlands", "NL"),
        ("Países Bajos", "NL"),
        ("México", "MX"),
        ("El Salvador", "SV"),
        ("Côte d\u2019Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("South Korea", "KR"),
        ("Spain (España)", "ES"),
    ],
)
def test_found(text, code):
    assert country_names.find_country_code(text, INDEX) == code


@pytest.mark.parametrize("text", ["", "   ", None, "Atlantis", "Narnia", "XX", "Spainland", "<b>Spain</b>"])
def test_not_found(text):
    assert country_names.find_country_code(text, INDEX) is None


def test_only_the_database_countries():
    # a country the database does not have is never returned
    assert country_names.find_country_code("Italia", INDEX) is None
    index = country_names.country_index(["IT"])
    assert country_names.find_country_code("Italia", index) == "IT"


def test_database_names_win():
    # a name the database gives one country is not taken by a CLDR name
    index = country_names.country_index(["GB", "US"], names=[("US", "America")])
    assert country_names.find_country_code("america", index) == "US"
    index = country_names.country_index(["GB", "US"], names=[("GB", "UK")])
    assert country_names.find_country_code("uk", index) == "GB"


def test_fold():
    assert country_names.fold("  U.S.A. ") == "u s a"
    assert country_names.fold("Côte-d\u2019Ivoire") == "cote d ivoire"
