from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _prepare_outgoing_list(self, mail_server=False, doc_to_followers=None):
        """Put the Cc of a lead e-mail (the reference mailbox) on the e-mail
        of its first recipient, as Integria does, instead of sending it a
        separate copy without a To: the customer sees the mailbox in Cc."""
        emails = super()._prepare_outgoing_list(mail_server=mail_server, doc_to_followers=doc_to_followers)
        if self.model == "crm.lead" and self.email_cc and not self.email_to and len(emails) > 1:
            cc_only, first = emails[0], emails[1]
            if not cc_only["email_to"] and first["partner_id"]:
                first["email_cc"] = cc_only["email_cc"]
                first["email_to_normalized"] = first["email_to_normalized"] + cc_only["email_to_normalized"]
                emails = emails[1:]
        return emails
