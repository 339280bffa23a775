from odoo.addons.mail.tests.common import MockEmail
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LeadCase


@tagged("post_install", "-at_install")
class TestLeadMailGateway(LeadCase):
    """Replies carrying [Lead#N] through Odoo's mail gateway (message_process,
    the entry point of fetchmail, /mail/receive and odoo-mailgate)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("integria_crm.lead_reference_mailbox", "leads@mycompany.example")
        cls.params.set_param("integria_crm.lead_rejected_reply", "new_lead")
        cls.gateway = cls.env["mail.thread"]

    def _process(self, message):
        return self.gateway.message_process("crm.lead", message.as_bytes())

    def _emails(self, lead):
        return lead.message_ids.filtered(lambda message: message.message_type == "email")

    def test_reply_without_threading_headers_lands_on_the_lead(self):
        lead = self.lead_user1
        mail = self._reply_mail(
            f"Re: [lead#{lead.id}] Our offer", "Jimmy <jimmy@pfms.example>", attachment=("specs.txt", "spec")
        )
        self.assertEqual(self._process(mail), lead.id)
        message = self._emails(lead)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.attachment_ids.mapped("name"), ["specs.txt"])
        self.assertEqual(message.attachment_ids.res_id, lead.id)

    def test_token_anywhere_any_case(self):
        lead = self.lead_user1
        for subject in (f"RE: Fwd: [LEAD#{lead.id}] x", f"Your offer [Lead#{lead.id}]", f"AW:[ lead # {lead.id} ]"):
            self._process(self._reply_mail(subject, "jimmy@pfms.example"))
        self.assertEqual(len(self._emails(lead)), 3)

    def test_token_wins_over_threading_headers_of_another_record(self):
        other = self.lead_manager1.message_post(body="note", message_type="comment")
        lead = self.lead_user1
        mail = self._reply_mail(f"[Lead#{lead.id}] x", "jimmy@pfms.example", In_Reply_To=other.message_id)
        self.assertEqual(self._process(mail), lead.id)

    def test_follower_and_internal_user_are_accepted(self):
        lead = self.lead_user1
        follower = self.env["res.partner"].create({"name": "Partner of PFMS", "email": "boss@pfms.example"})
        lead.message_subscribe(partner_ids=follower.ids)
        self.assertEqual(self._process(self._reply_mail(f"[Lead#{lead.id}] x", "boss@pfms.example")), lead.id)
        self.assertEqual(self._process(self._reply_mail(f"[Lead#{lead.id}] x", "manager1@mycompany.example")), lead.id)
        self.assertEqual(len(self._emails(lead)), 2)

    def test_forged_sender_is_not_appended_and_becomes_a_new_lead(self):
        lead = self.lead_user1
        with self.assertLogs("odoo.addons.integria_crm.models.crm_lead", "WARNING"):
            new_id = self._process(self._reply_mail(f"Re: [Lead#{lead.id}] x", "Mallory <mallory@evil.example>"))
        self.assertFalse(self._emails(lead))
        self.assertTrue(new_id)
        self.assertNotEqual(new_id, lead.id)
        new_lead = self.env["crm.lead"].browse(new_id)
        self.assertEqual(new_lead.email_normalized, "mallory@evil.example")
        # managed like the lead it named: User 1's colleagues see it and can take it
        self.assertEqual(new_lead.crm_partner_id, lead.crm_partner_id)
        self.assertFalse(new_lead.user_id)
        self.assertEqual(self.env["crm.lead"].with_user(self.manager1).search([("id", "=", new_id)]), new_lead)

    def test_forged_sender_is_dropped_by_setting(self):
        self.params.set_param("integria_crm.lead_rejected_reply", "drop")
        lead = self.lead_user1
        count = self.env["crm.lead"].search_count([])
        with self.assertLogs("odoo.addons.integria_crm.models.crm_lead", "WARNING"):
            self.assertFalse(self._process(self._reply_mail(f"[Lead#{lead.id}] x", "mallory@evil.example")))
        self.assertFalse(self._emails(lead))
        self.assertEqual(self.env["crm.lead"].search_count([]), count)

    def test_missing_lead_follows_the_setting(self):
        missing = self.env["crm.lead"].search([], order="id desc", limit=1).id + 1000
        with self.assertLogs("odoo.addons.integria_crm.models.crm_lead", "WARNING"):
            new_id = self._process(self._reply_mail(f"[Lead#{missing}] x", "jimmy@pfms.example"))
        self.assertTrue(self.env["crm.lead"].browse(new_id).exists())
        self.params.set_param("integria_crm.lead_rejected_reply", "drop")
        with self.assertLogs("odoo.addons.integria_crm.models.crm_lead", "WARNING"):
            self.assertFalse(self._process(self._reply_mail(f"[Lead#{missing}] y", "jimmy@pfms.example")))

    def test_mail_without_token_keeps_odoo_routing(self):
        count = self.env["crm.lead"].search_count([])
        self._process(self._reply_mail("A new request", "someone@new.example"))
        self.assertEqual(self.env["crm.lead"].search_count([]), count + 1)


@tagged("post_install", "-at_install")
class TestLeadReply(LeadCase, MockEmail):
    """Reply by e-mail and forward through Odoo's composer, with the sent
    e-mails captured at the SMTP layer (the real SMTP round trips, refused
    and accepted, are in test_lead_mailbox)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "integria_crm.lead_reference_mailbox", "leads@mycompany.example"
        )
        cls.template_en = cls.env.ref("integria_crm.mail_template_lead_first_contact")
        cls.template_es = cls.env.ref("integria_crm.mail_template_lead_first_contact_es")
        cls.spanish = cls.env["res.lang"]._activate_lang("es_ES")

    def _composer(self, action, user=None, **values):
        """The composer an action opens, as ``user`` (User 1 by default)."""
        composers = self.env["mail.compose.message"].with_user(user or self.user1)
        return composers.with_context(**action["context"]).create(values)

    def _send(self, composer):
        with self.mock_mail_gateway():
            composer.action_send_mail()
        return [mail["EmailMessage"] for mail in self._mails]

    def test_reply_subject_cc_attachments_log_and_stage(self):
        lead = self.lead_user1.with_user(self.user1)
        attachment = self.env["ir.attachment"].with_user(self.user1).create({"name": "offer.txt", "raw": b"offer"})
        composer = self._composer(lead.action_integria_reply(), template_id=False)
        composer.write({"subject": "Our offer", "body": "<p>Here it is</p>", "attachment_ids": attachment.ids})
        jimmy = composer.partner_ids
        self.assertEqual(jimmy.email_normalized, "jimmy@pfms.example", "the lead's address, as a partner")
        sent = self._send(composer)
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["Subject"], f"[Lead#{lead.id}] Our offer")
        self.assertIn("jimmy@pfms.example", sent[0]["To"])
        self.assertIn("leads@mycompany.example", sent[0]["Cc"])
        self.assertIn("leads@mycompany.example", sent[0]["Reply-To"])
        self.assertEqual([part.get_filename() for part in sent[0].iter_attachments()], ["offer.txt"])
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment" and m.subject)
        self.assertEqual(message.subject, f"[Lead#{lead.id}] Our offer")
        self.assertEqual(message.attachment_ids.mapped("name"), ["offer.txt"])
        self.assertEqual(sent[0]["Message-Id"], message.message_id)
        self.assertEqual(message.notification_ids.res_partner_id, jimmy, "a notification to follow the send")
        self.assertEqual(lead.progress_code, 20, "a reply moves a new lead to the next open step")

    def test_own_outgoing_copy_is_not_appended_twice(self):
        lead = self.lead_user1
        composer = self._composer(lead.with_user(self.user1).action_integria_reply())
        sent = self._send(composer)
        count = len(lead.message_ids)
        self.assertFalse(self.env["mail.thread"].message_process("crm.lead", sent[0].as_bytes()))
        lead.invalidate_recordset()
        self.assertEqual(len(lead.message_ids), count)

    def _offered(self, lead, user=None):
        action = lead.with_user(user or self.user1).action_integria_reply()
        return self.env["mail.template"].browse(action["context"]["integria_template_ids"]), action

    def test_templates_by_language_all_listed_best_first(self):
        lead = self.lead_user1
        every = self.env["mail.template"].search([("model", "=", "crm.lead")])
        lead.lang_id = self.spanish
        offered, action = self._offered(lead)
        self.assertEqual(offered[:1], self.template_es, "the lead's language first")
        self.assertEqual(set(offered.ids), set(every.ids), "every template listed")
        self.assertEqual(action["context"]["default_template_id"], self.template_es.id)
        # no language: the country's (Spain: Spanish), then the contact's, then the user's
        lead.lang_id = False
        lead.country_id = self.env.ref("base.es")
        self.assertEqual(self._offered(lead)[0][:1], self.template_es, "a lead from Spain gets Spanish")
        lead.country_id = False
        self.assertEqual(self._offered(lead)[0][:1], self.template_en, "else the user's language")
        self.user1.lang = "es_ES"
        self.assertEqual(self._offered(lead)[0][:1], self.template_es)
        self.user1.lang = "en_US"
        lead.partner_id = self.env["res.partner"].create(
            {"name": "Jimmy", "email": "jimmy@pfms.example", "lang": "es_ES"}
        )
        self.assertEqual(self._offered(lead)[0][:1], self.template_es, "the contact's language")

    def test_template_renders_macros_escaped_and_in_its_language(self):
        lead = self.lead_user1
        lead.write({"lang_id": self.spanish.id, "contact_name": "<b>Jimmy</b> & Co"})
        composer = self._composer(lead.with_user(self.user1).action_integria_reply())
        self.assertEqual(composer.template_id, self.template_es)
        self.assertEqual(composer.subject, "Su solicitud")
        self.assertIn("Estimado/a &lt;b&gt;Jimmy&lt;/b&gt; &amp; Co:", composer.body)
        self.assertIn("User 1<br>user1@mycompany.example", str(composer.body).replace("<br/>", "<br>"))
        self.assertNotIn("_DEST_NAME_", composer.body)
        sent = self._send(composer)
        self.assertEqual(sent[0]["Subject"], f"[Lead#{lead.id}] Su solicitud")

    def test_subject_macros_lose_line_breaks(self):
        template = self.template_en.copy({"subject": "Hello _DEST_NAME_"})
        lead = self.lead_user1
        lead.contact_name = "Jimmy\r\nBcc: mallory@evil.example"
        composer = self._composer(lead.with_user(self.user1).action_integria_reply(), template_id=template.id)
        self.assertEqual(composer.subject, "Hello Jimmy Bcc: mallory@evil.example")

    def test_forward_sends_a_summary_and_logs_it(self):
        lead = self.lead_user1
        lead.write({"partner_name": "PFMS", "function": "Developer", "phone": "+34 600 000 000"})
        self.user1.signature = "<p>User 1, sales</p>"
        colleague = self.env["res.partner"].create({"name": "Colleague", "email": "colleague@partner.example"})
        composer = self._composer(lead.with_user(self.user1).action_integria_forward(), partner_ids=colleague.ids)
        sent = self._send(composer)
        self.assertIn("colleague@partner.example", sent[0]["To"])
        body = sent[0].get_body(("html",)).get_content()
        for text in ("PFMS", "Developer", "jimmy@pfms.example", "+34 600 000 000", "User 1, sales"):
            self.assertIn(text, body)
        self.assertTrue(lead.message_ids.filtered(lambda m: m.subject and "Lead: Offer for PFMS" in m.subject))

    def test_reply_and_forward_need_the_right_to_change_the_lead(self):
        for action in ("action_integria_reply", "action_integria_forward"):
            with self.assertRaises(AccessError):
                getattr(self.lead_manager1.with_user(self.user1), action)()

    def test_a_note_keeps_its_subject(self):
        lead = self.lead_user1.with_user(self.user1)
        note = lead.message_post(body="call him", subject="Call", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(note.subject, "Call")
