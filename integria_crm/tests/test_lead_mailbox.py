from unittest.mock import patch

from odoo.tests import tagged

from .common import LeadCase
from .mail_servers import DovecotServer, SmtpSink

REFERENCE_MAILBOX = "leads@mycompany.example"


@tagged("post_install", "-at_install", "integria_mailbox")
class TestLeadMailbox(LeadCase):
    """Lead e-mail against real servers: Odoo sends the reply through SMTP
    (aiosmtpd), the customer's answer without threading headers is delivered
    to a real IMAP mailbox (Dovecot), and Odoo's incoming mail server imports
    it onto the lead. Never skipped: without Dovecot the setup fails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.imap = DovecotServer().start()
        cls.addClassCleanup(cls.imap.stop)
        cls.smtp = SmtpSink().start()
        cls.addClassCleanup(cls.smtp.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("integria_crm.lead_reference_mailbox", REFERENCE_MAILBOX)
        cls.env["ir.mail_server"].search([]).active = False
        cls.env["ir.mail_server"].create(
            {"name": "SMTP sink", "smtp_host": "127.0.0.1", "smtp_port": cls.smtp.port, "smtp_encryption": "none"}
        )
        cls.env["fetchmail.server"].search([]).active = False
        cls.incoming = cls.env["fetchmail.server"].create(
            {
                "name": "Reference mailbox",
                "server_type": "imap",
                "server": "127.0.0.1",
                "port": cls.imap.port,
                "is_ssl": False,
                "user": cls.imap.login,
                "password": cls.imap.password,
                "object_id": cls.env.ref("crm.model_crm_lead").id,
                "attach": True,
            }
        )
        cls.incoming.button_confirm_login()

    def _send_reply(self, lead):
        """User 1 replies from the lead; return the e-mail the SMTP server got."""
        attachment = self.env["ir.attachment"].with_user(self.user1).create({"name": "offer.txt", "raw": b"offer"})
        wizard = (
            self.env["integria.lead.reply"]
            .with_user(self.user1)
            .create({"lead_id": lead.id, "subject": "Our offer", "body": "<p>Our offer is attached.</p>"})
        )
        wizard.attachment_ids = attachment
        received = len(self.smtp.messages)
        # Odoo skips SMTP while testing; this test is about the real thing
        with patch.object(type(self.env["ir.mail_server"]), "_disable_send", return_value=False):
            wizard.action_send()
        self.assertEqual(len(self.smtp.messages), received + 1, "the reply went through SMTP")
        return self.smtp.messages[-1]

    def _fetch(self):
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.incoming.with_env(self.incoming.env(cr=cr)).fetch_mail()
        self.env.invalidate_all()
        self.assertEqual(self.imap.unread_count(), 0, "every mail of the mailbox was handled")

    def _emails(self, lead):
        return lead.message_ids.filtered(lambda message: message.message_type == "email")

    def test_reply_round_trip_through_smtp_and_imap(self):
        lead = self.lead_user1
        sent = self._send_reply(lead)
        message = sent["message"]
        self.assertEqual(message["Subject"], f"[Lead#{lead.id}] Our offer")
        self.assertEqual(set(sent["rcpt_tos"]), {"jimmy@pfms.example", REFERENCE_MAILBOX})
        self.assertEqual([part.get_filename() for part in message.iter_attachments()], ["offer.txt"])
        self.assertEqual(lead.progress_code, 20)

        # the reference mailbox got Odoo's own copy (Cc), then the customer's
        # answer, written by a client that dropped In-Reply-To and References
        self.imap.append(message)
        answer = self._reply_mail(
            f"RE: [lead#{lead.id}] Our offer", "Jimmy Rodriguez <jimmy@pfms.example>", attachment=("specs.txt", "v2")
        )
        self.assertIsNone(answer["In-Reply-To"])
        self.imap.append(answer)
        logged = len(lead.message_ids)
        self._fetch()

        emails = self._emails(lead)
        self.assertEqual(len(emails), 1, "the answer is appended once, Odoo's own copy is not")
        self.assertEqual(len(lead.message_ids), logged + 1)
        self.assertEqual(emails.message_id, answer["Message-Id"])
        self.assertEqual(emails.attachment_ids.mapped("name"), ["specs.txt"])
        self.assertEqual(emails.attachment_ids.raw, b"v2")

    def test_forged_sender_and_missing_lead_follow_the_setting(self):
        params = self.env["ir.config_parameter"].sudo()
        lead = self.lead_user1
        leads_before = self.env["crm.lead"].search_count([])

        params.set_param("integria_crm.lead_rejected_reply", "drop")
        self.imap.append(self._reply_mail(f"Re: [Lead#{lead.id}] Our offer", "Mallory <mallory@evil.example>"))
        self._fetch()
        self.assertFalse(self._emails(lead), "a forged sender is not appended")
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before, "and dropped by the setting")

        params.set_param("integria_crm.lead_rejected_reply", "new_lead")
        missing = self.env["crm.lead"].search([], order="id desc", limit=1).id + 1000
        self.imap.append(self._reply_mail(f"Re: [Lead#{missing}] Hello", "someone@prospect.example"))
        self.imap.append(self._reply_mail(f"Re: [Lead#{lead.id}] Offer", "mallory@evil.example"))
        self._fetch()
        self.assertFalse(self._emails(lead))
        new_leads = self.env["crm.lead"].search([], order="id desc", limit=2)
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before + 2)
        self.assertEqual(
            set(new_leads.mapped("email_normalized")), {"someone@prospect.example", "mallory@evil.example"}
        )
