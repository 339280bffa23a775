from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSettingsPage(TransactionCase):
    def test_sections_in_the_order_an_administrator_works(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        app = etree.fromstring(arch).xpath("//app[@name='integria_crm']")[0]
        blocks = [block.get("name") for block in app.iter("block")]
        self.assertEqual(
            blocks,
            [
                "integria_crm_general",
                "integria_crm_contracts",
                "integria_crm_invoices",
                "integria_crm_leads",
                "integria_crm_lead_intake",
            ],
        )

    def test_every_field_is_labelled_or_explained(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        app = etree.fromstring(arch).xpath("//app[@name='integria_crm']")[0]
        for setting in app.iter("setting"):
            fields = setting.findall(".//field")
            if len(fields) > 1:
                labelled = {label.get("for") for label in setting.iter("label")}
                unlabelled = [
                    field.get("name")
                    for field in fields[1:]
                    if field.get("name") not in labelled and not field.get("placeholder")
                ]
                self.assertFalse(unlabelled, f"setting {setting.get('id')}: fields without a label")
