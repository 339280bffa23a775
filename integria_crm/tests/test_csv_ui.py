from odoo.tests import HttpCase, tagged

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestCsvUi(IntegriaCrmCase, HttpCase):
    def test_import_tour_as_a_spanish_manager(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.visible_to_all", "True")
        self.env["ir.ui.menu"]._integria_crm_apply_visibility()
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["integria_crm"], ["es_ES"], overwrite=True)
        self.manager1.lang = "es_ES"
        self.start_tour("/odoo/crm-companies", "integria_csv_import_tour", login="crm_manager1")
        company = self.env["res.partner"].search([("name", "=", "Empresa del tour")])
        self.assertEqual(company.crm_role_id, self.env.ref("integria_crm.crm_role_customer"))
        self.assertIn("empresas.csv", company.message_ids[0].body)

    def test_export_download_as_a_read_user(self):
        self.authenticate("crm_user1", "crm_user1")
        response = self.url_open(
            f"/integria_crm/csv_export/company/export?ids={self.customer_a.id},{self.customer_b.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbfid;name;address;fiscal_id"))
        self.assertIn(f"odoo-{self.customer_a.id};Customer A;".encode(), response.content)
        self.assertIn("companies-integria.csv", response.headers["Content-Disposition"])
