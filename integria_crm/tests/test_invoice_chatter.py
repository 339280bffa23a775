from odoo.tests import tagged

from .common import IntegriaInvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceChatter(IntegriaInvoiceCase):
    """The chatter of an invoice sends in the name of its res.company, while
    its customer is partner_id."""

    def test_followers_are_notified_by_email(self):
        invoice = self._create_invoice(self.customer_a, user=self.user1)
        self.manager1.write({"notification_type": "email", "email": "manager1@example.com"})
        invoice.message_subscribe(partner_ids=self.manager1.partner_id.ids)
        invoice.with_user(self.user1).message_post(
            body="Sent to the customer", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        message = invoice.message_ids[0]
        self.assertEqual(message.record_company_id, invoice.company_id)
        self.assertEqual(invoice.company_id, self.env.company)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.manager1.partner_id)
        self.assertIn("Sent to the customer", mail.body_html)
        rendering = invoice._notify_by_email_prepare_rendering_context(message)
        self.assertEqual(rendering["company"], invoice.company_id)
        self.assertEqual(invoice._get_redirect_suggested_company(), invoice.company_id)
