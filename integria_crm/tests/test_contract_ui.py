from odoo.tests import HttpCase, tagged

from .common import IntegriaContractCase


@tagged("post_install", "-at_install")
class TestContractUi(IntegriaContractCase, HttpCase):
    def test_contract_tour_manager1(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.start_tour("/odoo/crm-contract-types", "integria_contract_tour", login="crm_manager1")

        contract_type = self.env["integria.contract.type"].search([("name", "=", "Tour licence")])
        self.assertEqual(
            [
                (prop["string"], prop["type"], prop.get("view_in_cards", False))
                for prop in contract_type.properties_definition
            ],
            [("Seats", "integer", True), ("Product", "char", False)],
        )
        contract = self.env["integria.contract"].search([("name", "=", "Tour contract")])
        self.assertEqual(contract.partner_id, self.customer_b)
        self.assertEqual(contract.type_id, contract_type)
        values = {
            prop["string"]: prop["value"] for prop in contract.read(["contract_properties"])[0]["contract_properties"]
        }
        self.assertEqual(values, {"Seats": 25, "Product": "Integria IMS"})
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", contract._name), ("res_id", "=", contract.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        text = self._pdf_text(attachment.raw)
        self.assertIn("Tour contract", text)
        self.assertIn("Integria IMS", text)

    def test_contract_type_edits_its_fields(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        support = self.env["integria.contract.type"].create({"name": "Support hours"})
        self.start_tour("/odoo/crm-contract-types", "integria_contract_type_fields_tour", login="crm_manager1")
        self.assertEqual(
            [(prop["string"], prop["type"], prop.get("view_in_cards")) for prop in support.properties_definition],
            [("Hours per month", "float", True)],
        )
