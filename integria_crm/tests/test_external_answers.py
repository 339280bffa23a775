from odoo.addons.rpc.controllers.xmlrpc import dumps
from odoo.tests import tagged

from .common import IntegriaContractCase

BUTTON_MODELS = ("integria.contract", "integria.invoice")


@tagged("post_install", "-at_install")
class TestButtonsAnswerExternalClients(IntegriaContractCase):
    """Buttons called through the external API return what XML-RPC carries
    (Odoo's convention: True or an action), never None."""

    def _own_methods(self, model):
        """The names defined by integria_crm on ``model``."""
        return {
            name
            for cls in type(self.env[model]).__mro__
            if cls.__module__.startswith("odoo.addons.integria_crm.")
            for name in vars(cls)
        }

    def _call(self, record, name):
        result = getattr(record, name)()
        dumps((result,))  # raises on what XML-RPC cannot carry
        return result

    def test_every_button_returns_a_value(self):
        invoice = self._create_invoice(self.customer_a, contract_id=self.contract_a.id)
        records = {"integria.contract": self.contract_a, "integria.invoice": invoice}
        for model in BUTTON_MODELS:
            names = sorted(name for name in self._own_methods(model) if name.startswith("action_"))
            self.assertTrue(names)
            for name in names:
                with self.subTest(model=model, button=name):
                    result = self._call(records[model], name)
                    self.assertTrue(result is True or isinstance(result, dict), f"{model}.{name} returned {result!r}")
