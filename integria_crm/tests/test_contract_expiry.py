from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import IntegriaContractCase


@tagged("post_install", "-at_install")
class TestContractExpiry(IntegriaContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["integria.contract"])
        cls.contract_a.date_end = cls.today + timedelta(days=10)
        cls.contract_b.date_end = cls.today + timedelta(days=45)
        cls.contract_a_private.date_end = cls.today - timedelta(days=1)
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _reminders(self, contract):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "integria.contract"),
                ("res_id", "=", contract.id),
                ("activity_type_id", "=", self.todo.id),
            ]
        )

    def _run_cron(self):
        # the job's server action, in the test transaction (method_direct_trigger
        # would run it in a transaction of its own)
        cron = self.env.ref("integria_crm.ir_cron_integria_contract_expiry_reminder")
        cron.ir_actions_server_id.with_user(cron.user_id).run()

    def test_one_reminder_per_end_date(self):
        self._run_cron()
        reminder = self._reminders(self.contract_a)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user1)  # the owner of Customer A
        self.assertEqual(reminder.date_deadline, self.contract_a.date_end)
        self.assertEqual(self.contract_a.reminder_date_end, self.contract_a.date_end)
        self.assertFalse(self._reminders(self.contract_b))  # 45 days away, default is 30
        self.assertFalse(self._reminders(self.contract_a_private))  # already ended

        # the job runs again every day: no second reminder, even once done
        self._run_cron()
        self.assertEqual(len(self._reminders(self.contract_a)), 1)
        reminder.action_done()
        self._run_cron()
        self.assertFalse(self._reminders(self.contract_a))

        # a new end date allows a new reminder
        self.contract_a.date_end = self.today + timedelta(days=20)
        self._run_cron()
        self.assertEqual(len(self._reminders(self.contract_a)), 1)
        self._run_cron()
        self.assertEqual(len(self._reminders(self.contract_a)), 1)

    def test_owner_is_notified(self):
        """The owner gets Odoo's "activity assigned" e-mail, in the layout of our company."""
        self.user1.notification_type = "email"
        self._run_cron()
        mail = self.env["mail.mail"].search(
            [("model", "=", "integria.contract"), ("res_id", "=", self.contract_a.id)], order="id desc", limit=1
        )
        self.assertIn(self.user1.partner_id, mail.recipient_ids)
        self.assertIn("Contract ends on", str(mail.body_html))
        render_context = self.contract_a._notify_by_email_prepare_rendering_context(self.env["mail.message"], {})
        self.assertEqual(render_context["company"], self.env.company)

    def test_reminder_days_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.integria_crm_contract_reminder_days, 30)
        settings.integria_crm_contract_reminder_days = 60
        settings.execute()
        self._run_cron()
        self.assertEqual(len(self._reminders(self.contract_b)), 1)
        self.assertEqual(self._reminders(self.contract_b).user_id, self.manager1)

    def test_inactive_contracts_are_not_reminded(self):
        self.contract_a.state = "inactive"
        self._run_cron()
        self.assertFalse(self._reminders(self.contract_a))

    def test_reminded_owner_sees_the_contract(self):
        self._run_cron()
        reminder = self._reminders(self.contract_a).with_user(self.user1)
        self.assertEqual(reminder.res_name, self.contract_a.name)
        self.assertIn(
            reminder, self.env["mail.activity"].with_user(self.user1).search([("user_id", "=", self.user1.id)])
        )

    def test_search_filters(self):
        """The filters of the search view find what they say."""
        arch = etree.fromstring(self.env.ref("integria_crm.view_integria_contract_search").arch)
        contract_c = self._create_contract("Far", self.customer_b, date_end=self.today + timedelta(days=80))
        contract_d = self._create_contract("Soon", self.customer_b, date_end=self.today + timedelta(days=7))
        every = self.contract_a | self.contract_b | self.contract_a_private | contract_c | contract_d
        expected = {
            "expiring_7": contract_d,
            "expiring_15": contract_d | self.contract_a,
            "expiring_30": contract_d | self.contract_a,
            "expiring_90": contract_d | self.contract_a | self.contract_b | contract_c,
            "expired": self.contract_a_private,
        }
        for name, contracts in expected.items():
            with self.subTest(filter=name):
                domain = safe_eval(arch.xpath(f"//filter[@name='{name}']")[0].get("domain"), {"uid": self.env.uid})
                found = self.env["integria.contract"].search([("id", "in", every.ids), *domain])
                self.assertEqual(found, contracts)
