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
