from odoo.tests import tagged, users

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestOdooFlows(IntegriaCrmCase):
    """Plain Odoo keeps working for users of every CRM level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls.env["res.users"].create(
            {
                "name": "Reader",
                "login": "crm_reader",
                "email": "reader@example.com",
                "group_ids": [(6, 0, [cls.env.ref("integria_crm.group_crm_read").id])],
            }
        )
        cls.plain_partner = cls.env["res.partner"].create({"name": "Plain Supplier", "is_company": True})

    @users("crm_reader", "crm_user1", "crm_manager1", "crm_user2")
    def test_preferences(self):
        self.env.user.write({"signature": "<p>Regards</p>", "tz": "Europe/Madrid"})
        self.assertEqual(self.env.user.tz, "Europe/Madrid")
        self.env.user.partner_id.read(["name", "email", "display_name"])

    @users("crm_reader", "crm_user1", "crm_manager1", "crm_user2")
    def test_open_non_crm_partner(self):
        partner = self.plain_partner.with_env(self.env)
        partner.web_read({"display_name": {}, "name": {}, "child_ids": {"fields": {"name": {}}}})
        self.assertEqual(partner.name, "Plain Supplier")
        self.env.company.partner_id.read(["name"])

    @users("crm_user1", "crm_manager1")
    def test_post_on_visible_company(self):
        company = self.customer_a.with_env(self.env)
        message = company.message_post(body="Met the customer", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertIn(message, company.message_ids)

    @users("crm_user1", "crm_manager1")
    def test_mail_composer(self):
        company = self.customer_a.with_env(self.env)
        composer = (
            self.env["mail.compose.message"]
            .with_context(default_model="res.partner", default_res_ids=company.ids)
            .create({"body": "<p>Hello</p>", "subject": "Offer", "partner_ids": [(4, self.contact_a.id)]})
        )
        composer.action_send_mail()
        self.assertIn("Offer", company.message_ids.mapped("subject"))

    @users("crm_reader", "crm_user1", "crm_manager1", "crm_user2")
    def test_discuss(self):
        channel = self.env["discuss.channel"]._create_channel(name="Sales", group_id=None)
        channel._add_members(users=self.user1 | self.manager1)
        channel.message_post(body="Hello team", message_type="comment")
        self.assertEqual(channel.message_ids[0].author_id, self.env.user.partner_id)
        # the colleagues' partners stay readable
        (self.user1 | self.manager1 | self.user2).with_env(self.env).partner_id.read(["name"])

    def test_reader_sees_but_cannot_post(self):
        self.assertTrue(self.customer_b.with_user(self.reader).read(["name"]))
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.reader).message_post(body="x", message_type="comment")
