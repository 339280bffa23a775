from datetime import datetime, timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import IntegriaContractCase


@tagged("post_install", "-at_install")
class TestContract(IntegriaContractCase):
    def test_fields(self):
        contract = self.env["integria.contract"].create(
            {
                "name": "Licences 2025",
                "contract_number": "LIC-2025",
                "external_code": "15/1000, 15/1001",
                "description": "Twenty seats",
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "partner_id": self.customer_b.id,
                "state": "pending",
                "is_private": True,
                "type_id": self.contract_type.id,
                "sla": "Gold",
                "support_group": "Level 2",
                "contract_properties": {"tier": "Gold", "seats": 20},
            }
        )
        self.assertEqual(contract.crm_owner_id, self.manager1)
        self.assertEqual(contract.crm_owner_company_id, self.my_company)
        self.assertEqual(contract.crm_path, self.customer_b.crm_path)
        self.assertEqual(contract.contract_properties["seats"], 20)
        self.assertEqual(contract.contract_properties["tier"], "Gold")
        self.assertIn(contract, self.customer_b.crm_contract_ids)
        self.assertEqual(self.customer_b.crm_contract_count, 2)

    def test_contract_number_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as error:
            with self.env.cr.savepoint():
                self._create_contract("Copy", self.customer_b, contract_number="A-001")
                self.env.flush_all()
        message = self.env["integria.contract"]._sql_error_to_message(error.exception)
        self.assertIn("Another contract already has this contract number", message)
        # contracts without a number are fine
        self._create_contract("No number 1", self.customer_b)
        self._create_contract("No number 2", self.customer_b)
        self.env.flush_all()

    def test_end_date_after_start_date(self):
        with self.assertRaisesRegex(ValidationError, "before its start date"):
            self.contract_a.date_end = "2024-12-31"
        self.contract_a.date_end = "2025-01-01"
        self.contract_a.date_end = False

    def test_company_must_be_crm(self):
        plain = self.env["res.partner"].create({"name": "Plain Supplier", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "company managed by the CRM"):
            self._create_contract("Elsewhere", plain)

    def test_saving_moves_last_activity(self):
        old = datetime(2020, 1, 1)
        self.customer_a.last_activity_date = old
        self.customer_b.last_activity_date = old
        contract = self._create_contract("New", self.customer_a)
        self.assertGreater(self.customer_a.last_activity_date, old)
        self.customer_a.last_activity_date = old
        contract.with_user(self.user1).write({"description": "Changed"})
        self.assertGreater(self.customer_a.last_activity_date, old)
        # moving the contract touches both companies
        self.customer_a.last_activity_date = old
        contract.partner_id = self.customer_b
        self.assertGreater(self.customer_a.last_activity_date, old)
        self.assertGreater(self.customer_b.last_activity_date, old)
        # the reminder bookkeeping is not activity
        self.customer_b.last_activity_date = old
        contract.reminder_date_end = "2025-03-01"
        self.assertEqual(self.customer_b.last_activity_date, old)

    def test_deleting_company_deletes_contracts(self):
        company = self._create_crm_company("Gone", self.manager1, self.my_company)
        contract = self._create_contract("Gone contract", company)
        contract.message_post(body="A note")
        attachment = self.env["ir.attachment"].create(
            {"name": "scan.txt", "raw": b"scan", "res_model": contract._name, "res_id": contract.id}
        )
        company.with_user(self.manager1).unlink()
        self.assertFalse(contract.exists())
        self.assertFalse(attachment.exists())
        self.assertFalse(
            self.env["mail.message"].search([("model", "=", contract._name), ("res_id", "=", contract.id)])
        )

    def test_type_lists_custom_field_macros(self):
        html = str(self.contract_type.custom_field_macros)
        self.assertIn("_custom_tier_", html)
        self.assertIn("_custom_signers_", html)
        self.assertIn("Automatic renewal", html)
        self.assertNotIn("_custom_section_", html)  # separators hold no value
        empty = self.env["integria.contract.type"].create({"name": "Empty"})
        self.assertIn("No custom fields yet", str(empty.custom_field_macros))
        hostile = self.env["integria.contract.type"].create(
            {"name": "Hostile", "properties_definition": [{"name": "x", "string": "<b>x</b>", "type": "char"}]}
        )
        self.assertIn("&lt;b&gt;x&lt;/b&gt;", str(hostile.custom_field_macros))

    def test_custom_fields_follow_the_type(self):
        other_type = self.env["integria.contract.type"].create(
            {"name": "Other", "properties_definition": [{"name": "color", "string": "Color", "type": "char"}]}
        )
        contract = self._create_contract("Typed", self.customer_b, contract_properties={"tier": "Gold"})
        self.assertEqual(contract.contract_properties["tier"], "Gold")
        contract.type_id = other_type
        contract.contract_properties = {"color": "Blue"}
        self.assertEqual(contract.contract_properties["color"], "Blue")
        with self.assertRaises(KeyError):
            contract.contract_properties["tier"]

    def test_form(self):
        form = Form(self.env["integria.contract"].with_user(self.user1))
        form.name = "From the form"
        form.partner_id = self.customer_a
        form.type_id = self.contract_type
        form.date_end = datetime.now().date() + timedelta(days=10)
        contract = form.save()
        self.assertTrue(contract.crm_can_write)
        self.assertEqual(contract.state, "active")
        self.assertFalse(self.contract_b.with_user(self.user1).crm_can_write)
