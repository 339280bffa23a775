from odoo.tests import HttpCase, tagged

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestUi(IntegriaCrmCase, HttpCase):
    def test_company_tour_user1(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.start_tour("/odoo/crm-companies", "integria_crm_company_tour", login="crm_user1")
        self.assertEqual(self.customer_a.website, "https://customer-a.example.com")
        self.assertEqual(self.customer_a.city, "Barcelona")
        self.assertFalse(self.customer_b.website)

    def test_company_created_by_user1_is_seen_by_manager1(self):
        """The manual's advice by default: User 1's new company hangs from My Company."""
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.start_tour("/odoo/crm-companies", "integria_crm_company_create_tour", login="crm_user1")
        company = self.env["res.partner"].search([("name", "=", "Talleres Pérez SL")])
        self.assertRecordValues(
            company, [{"is_crm_company": True, "crm_parent_id": self.my_company.id, "owner_id": self.user1.id}]
        )
        self.assertTrue(company.with_user(self.manager1).has_access("write"))
        self.start_tour("/odoo/crm-companies", "integria_crm_company_seen_tour", login="crm_manager1")

    def test_company_custom_fields_screen(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.start_tour(
            "/odoo/action-integria_crm.action_integria_crm_custom_fields",
            "integria_crm_custom_fields_tour",
            login="crm_manager1",
        )
        definition = self.env["res.partner"]._crm_properties_definition().properties_definition
        # added after the fields that were there, shown in lists
        self.assertEqual(
            [(prop["string"], prop["type"], prop.get("view_in_cards")) for prop in definition[-1:]],
            [("Account tier", "char", True)],
        )
