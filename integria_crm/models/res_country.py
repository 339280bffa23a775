from odoo import api, models, tools

from ..tools import country_names


class ResCountry(models.Model):
    _inherit = "res.country"

    @api.model
    def _integria_find_country(self, text):
        """The country ``text`` names (ISO code, a name in any installed
        language, in English or in a common locale, an everyday form such as
        UK or USA), or an empty recordset. The one lookup of the lead intake,
        the CSV import and the Integria migration (``tools/country_names.py``)."""
        code = country_names.find_country_code(text, self._integria_country_index())
        return self.sudo().browse(self._integria_country_ids().get(code, [])).with_env(self.env)

    @api.model
    @tools.ormcache()
    def _integria_country_index(self):
        countries = self._integria_all_countries()
        names = []
        for lang, _name in self.env["res.lang"].get_installed():
            names.extend((country.code, country.name) for country in countries.with_context(lang=lang))
        return country_names.country_index(countries.mapped("code"), names)

    @api.model
    @tools.ormcache()
    def _integria_country_ids(self):
        countries = self._integria_all_countries()
        return {country.code.upper(): country.id for country in countries if country.code}

    def _integria_all_countries(self):
        # a country table: about 250 rows, read whole to build the index once
        return self.sudo().with_context(active_test=False).search([])  # pylint: disable=no-search-all
