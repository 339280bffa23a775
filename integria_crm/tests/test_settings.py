from odoo.tests import tagged

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestCrmVisibility(IntegriaCrmCase):
    """The manual's first step: the CRM is shown to all its users, or to
    administrators only."""

    def _sees_customers_menu(self, user):
        root = self.env.ref("integria_crm.menu_integria_crm_root")
        return root.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def _set_visible_to_all(self, visible):
        settings = self.env["res.config.settings"].create({"integria_crm_visible_to_all": visible})
        settings.execute()

    def test_visible_to_all(self):
        self._set_visible_to_all(True)
        self.assertTrue(self._sees_customers_menu(self.user1))
        self.assertTrue(self._sees_customers_menu(self.manager1))
        self.assertTrue(self._sees_customers_menu(self.admin))
        self.assertFalse(self._sees_customers_menu(self.user2))

    def test_administrators_only(self):
        self._set_visible_to_all(False)
        self.assertFalse(self._sees_customers_menu(self.user1))
        self.assertFalse(self._sees_customers_menu(self.manager1))
        self.assertTrue(self._sees_customers_menu(self.admin))
        self.assertFalse(self._sees_customers_menu(self.user2))
