from odoo.tests import tagged

from .common import IntegriaContractCase


@tagged("post_install", "-at_install")
class TestCustomFieldLabels(IntegriaContractCase):
    """A custom field's label typed while working in Spanish is its Spanish
    label; English readers keep the English one (tools/property_labels.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")

    def _labels(self, properties):
        return {prop["name"]: prop["string"] for prop in properties}

    def test_company_custom_fields_screen(self):
        screen = self.env["integria.crm.custom.fields"].with_user(self.manager1).create({})
        self.assertEqual(screen.display_name, "Company Custom Fields")
        screen.preview = [{"name": "sector", "string": "Sector", "type": "char", "definition_changed": True}]
        screen_es = (
            self.env["integria.crm.custom.fields"].with_user(self.manager1).with_context(lang="es_ES").create({})
        )
        preview = screen_es.read(["preview"])[0]["preview"]
        preview[0].update(string="Sector de actividad", definition_changed=True)
        screen_es.preview = preview

        definition = self.env["res.partner"]._crm_properties_definition().properties_definition
        self.assertEqual(definition[0]["string"], "Sector")
        customer = self.customer_a.with_user(self.user1)
        self.assertEqual(self._labels(customer.read(["crm_properties"])[0]["crm_properties"]), {"sector": "Sector"})
        spanish = customer.with_context(lang="es_ES").read(["crm_properties"])[0]["crm_properties"]
        self.assertEqual(self._labels(spanish), {"sector": "Sector de actividad"})
        self.assertIn("Sector de actividad", screen_es.summary)

    def test_contract_type_labels_in_lists_and_forms(self):
        contract_type = self.contract_type.with_user(self.manager1).with_context(lang="es_ES")
        definition = contract_type.read(["properties_definition"])[0]["properties_definition"]
        contract_type.properties_definition = [
            {**prop, "string": "Puestos"} if prop["name"] == "seats" else prop for prop in definition
        ]
        # the English label stays the source; each reader gets their language
        self.assertEqual(self._labels(self.contract_type.properties_definition)["seats"], "Seats")
        contract = self.contract_a.with_user(self.user1)
        self.assertEqual(
            self._labels(contract.read(["contract_properties"])[0]["contract_properties"])["seats"], "Seats"
        )
        spanish = contract.with_context(lang="es_ES").read(["contract_properties"])[0]["contract_properties"]
        self.assertEqual(self._labels(spanish)["seats"], "Puestos")
        self.assertEqual(self._labels(spanish)["tier"], "Tier")  # not translated: the source
        # the type's form shows and edits them in Spanish, with their macros
        self.assertIn("Puestos", contract_type.custom_field_macros)
        self.assertEqual(self._labels(contract_type.read(["custom_fields"])[0]["custom_fields"])["seats"], "Puestos")
        # renaming in English keeps the Spanish label
        english = self.contract_type.with_user(self.manager1).read(["properties_definition"])[0][
            "properties_definition"
        ]
        self.contract_type.with_user(self.manager1).properties_definition = [
            {**prop, "string": "Licensed seats"} if prop["name"] == "seats" else prop for prop in english
        ]
        self.assertEqual(
            self._labels(contract.read(["contract_properties"])[0]["contract_properties"])["seats"], "Licensed seats"
        )
        spanish = contract.with_context(lang="es_ES").read(["contract_properties"])[0]["contract_properties"]
        self.assertEqual(self._labels(spanish)["seats"], "Puestos")

    def test_other_definitions_keep_odoo_keys(self):
        """Only the CRM's definitions carry labels per language."""
        other = self.env["properties.base.definition"].create(
            {"properties_field_id": self.env["ir.model.fields"]._get("integria.contract", "contract_properties").id}
        )
        other.with_context(lang="es_ES").properties_definition = [{"name": "color", "string": "Color", "type": "char"}]
        self.assertEqual(other.properties_definition, [{"name": "color", "string": "Color", "type": "char"}])
