import base64
from unittest.mock import patch

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import LeadCase
from .mail_servers import DnsServer, DovecotServer, SmtpSink, free_port

REFERENCE_MAILBOX = "leads@mycompany.example"
AUTHSERV_ID = "mx.mycompany.example"


class MailboxCase(LeadCase):
    """The reference mailbox on a real Dovecot, read by Odoo's incoming mail
    server, and an SMTP sink as the outgoing server. Never skipped: without
    Dovecot the setup fails."""

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

    def _composer(self, lead):
        """User 1's Reply by E-mail on ``lead``: Odoo's composer with a file."""
        attachment = self.env["ir.attachment"].with_user(self.user1).create({"name": "offer.txt", "raw": b"offer"})
        action = lead.with_user(self.user1).action_integria_reply()
        composer = self.env["mail.compose.message"].with_user(self.user1).with_context(**action["context"])
        return composer.create(
            {
                "template_id": False,
                "subject": "Our offer",
                "body": "<p>Our offer is attached.</p>",
                "attachment_ids": attachment.ids,
            }
        )

    def _send_for_real(self, send):
        # Odoo skips SMTP while testing; these tests are about the real thing
        with patch.object(type(self.env["ir.mail_server"]), "_disable_send", return_value=False):
            return send()

    def _fetch(self):
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.incoming.with_env(self.incoming.env(cr=cr)).fetch_mail()
        self.env.invalidate_all()
        self.assertEqual(self.imap.unread_count(), 0, "every mail of the mailbox was handled")

    def _emails(self, lead):
        return lead.message_ids.filtered(lambda message: message.message_type == "email")


@tagged("post_install", "-at_install", "integria_mailbox")
class TestLeadMailbox(MailboxCase):
    """Lead e-mail against real servers: Odoo sends the reply through SMTP
    (aiosmtpd), the customer's answer without threading headers is delivered
    to a real IMAP mailbox (Dovecot), and Odoo's incoming mail server imports
    it onto the lead."""

    def _send_reply(self, lead):
        """User 1 replies from the lead; return the e-mail the SMTP server got."""
        composer = self._composer(lead)
        received = len(self.smtp.messages)
        self._send_for_real(composer.action_send_mail)
        self.assertEqual(len(self.smtp.messages), received + 1, "the reply went through SMTP")
        return self.smtp.messages[-1]

    def test_refused_send_shows_odoo_failure_and_is_resent(self):
        lead = self.lead_user1
        servers = self.env["ir.mail_server"].search([])
        servers.active = False
        self.env["ir.mail_server"].create(
            {"name": "Refusing", "smtp_host": "127.0.0.1", "smtp_port": free_port(), "smtp_encryption": "none"}
        )
        composer = self._composer(lead)
        received = len(self.smtp.messages)
        self._send_for_real(composer.action_send_mail)
        message = lead.message_ids.filtered(lambda m: m.subject == f"[Lead#{lead.id}] Our offer")
        notification = message.notification_ids
        self.assertEqual(notification.res_partner_id.email_normalized, "jimmy@pfms.example")
        self.assertEqual(notification.notification_status, "exception", "Odoo's failure marker")
        self.assertEqual(notification.failure_type, "mail_smtp")
        self.assertTrue(message.has_error)
        self.assertTrue(lead.with_user(self.user1).message_has_error, "the lead shows the failure")
        self.assertEqual(len(self.smtp.messages), received)

        # the outgoing server works again: resent from the failure's popover
        self.env["ir.mail_server"].search([("name", "=", "Refusing")]).active = False
        servers.active = True
        with self.assertRaises(AccessError):
            reader = self._create_user("crm_reader", "read", self.my_company)
            message.with_user(reader).action_integria_resend()
        self.assertTrue(self._send_for_real(message.with_user(self.user1).action_integria_resend))
        self.assertEqual(notification.notification_status, "sent")
        self.assertFalse(message.has_error)
        self.assertEqual(len(self.smtp.messages), received + 1)
        self.assertEqual(self.smtp.messages[-1]["message"]["Subject"], f"[Lead#{lead.id}] Our offer")

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


@tagged("post_install", "-at_install", "integria_mailbox")
class TestLeadSenderTrust(MailboxCase):
    """Replies are appended as from their sender only when they come from
    whom they claim to be (tools/mail_trust.py): raw messages shaped like
    Gmail's and Outlook's, forged ones, delivered to the real mailbox and
    fetched by Odoo. The DKIM keys are published by a real DNS server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("integria_crm.lead_authserv_id", AUTHSERV_ID)
        params.set_param("integria_crm.lead_rejected_reply", "drop")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cls.dkim_key = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
        public = base64.b64encode(
            key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        ).decode()
        cls.dns = DnsServer({"s1._domainkey.pfms.example": f"v=DKIM1; k=rsa; p={public}"}).start()
        cls.addClassCleanup(cls.dns.stop)
        params.set_param("integria_crm.lead_dkim_nameserver", cls.dns.address)

    def _reply(self, email_from="Jimmy Rodriguez <jimmy@pfms.example>", body="Sounds good.", **headers):
        mail = self._reply_mail(f"RE: [Lead#{self.lead_user1.id}] Our offer", email_from, **headers)
        mail.set_content(body)
        return mail

    def _appended(self, *mails):
        """Deliver ``mails`` to the mailbox, fetch, and return the bodies appended to the lead."""
        before = self._emails(self.lead_user1)
        with self.assertNoLogs("odoo.addons.mail.models.mail_thread", "ERROR"):
            for mail in mails:
                self.imap.append(mail)
            self._fetch()
        return [message.body for message in self._emails(self.lead_user1) - before]

    def _signed(self, mail, domain="pfms.example"):
        raw = mail.as_bytes()
        return dkim.sign(raw, b"s1", domain.encode(), self.dkim_key) + raw

    def test_single_from_and_allowed_sender(self):
        appended = self._appended(
            self._reply(body="two authors"),
            self._reply("jimmy@pfms.example, Mallory <mallory@evil.example>", body="several From"),
            self._reply(body="sent by mallory", Sender="mallory@evil.example"),
            self._reply(body="sent by his colleague", Sender="User 1 <user1@mycompany.example>"),
        )
        self.assertEqual(len(appended), 2, appended)
        self.assertIn("two authors", appended[0] + appended[1])
        self.assertIn("sent by his colleague", appended[0] + appended[1])

    def test_authentication_results_of_the_receiving_server(self):
        ours = f"{AUTHSERV_ID}; "
        gmail_pass = (
            ours + "dkim=pass header.i=@pfms.example header.s=s1 header.b=AbCd; "
            "spf=pass (mycompany.example: domain of jimmy@pfms.example designates 192.0.2.1 as permitted sender) "
            "smtp.mailfrom=jimmy@pfms.example; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=pfms.example"
        )
        appended = self._appended(
            self._reply(body="gmail pass", Authentication_Results=gmail_pass),
            self._reply(
                body="dmarc fail", Authentication_Results=ours + "dmarc=fail (p=NONE) header.from=pfms.example"
            ),
            self._reply(body="spf fail", Authentication_Results=ours + "spf=fail smtp.mailfrom=jimmy@pfms.example"),
            self._reply(
                body="dkim fail", Authentication_Results=ours + "dkim=fail (bad signature) header.d=pfms.example"
            ),
            # written by the sender (another authserv-id), or Outlook's without one: ignored
            self._reply(
                body="forged header", Authentication_Results="mx.evil.example; dmarc=fail header.from=pfms.example"
            ),
            self._reply(
                body="outlook style",
                Authentication_Results="spf=fail (sender IP is 192.0.2.9) smtp.mailfrom=pfms.example; "
                "dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=pfms.example;",
            ),
            # a failure about another domain (a mailing list's signature) does not count
            self._reply(body="list signature", Authentication_Results=ours + "dkim=fail header.d=lists.example"),
        )
        self.assertEqual(
            sorted(html2plaintext(body).strip() for body in appended),
            ["forged header", "gmail pass", "list signature", "outlook style"],
        )

    def test_dkim_verified_when_the_settings_ask(self):
        self.env["ir.config_parameter"].sudo().set_param("integria_crm.lead_dkim_verify", "True")
        tampered = self._signed(self._reply(body="original text")).replace(b"original text", b"changed text!")
        appended = self._appended(
            self._signed(self._reply(body="signed by pfms")),
            self._reply(body="not signed"),
            tampered,
            self._signed(self._reply(body="signed by another domain"), domain="evil.example"),
            # the receiving server's report wins over the signature
            self._signed(
                self._reply(
                    body="signed but dmarc fail",
                    Authentication_Results=f"{AUTHSERV_ID}; dmarc=fail header.from=pfms.example",
                )
            ),
        )
        self.assertEqual(len(appended), 1, appended)
        self.assertIn("signed by pfms", appended[0])
