from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def action_integria_resend(self):
        """Send again the e-mails of this message that failed (the *Resend*
        button of the failure popover of the chatter): allowed to whoever may
        post on the document, as Odoo's former resend dialog was."""
        self.ensure_one()
        if self.model and self.res_id:
            self.env[self.model].browse(self.res_id).check_access("write")
        elif self.author_id != self.env.user.partner_id:
            self.check_access("write")
        failed = self.env["mail.mail"].sudo().search([("mail_message_id", "=", self.id), ("state", "=", "exception")])
        failed.action_retry()
        failed.send(raise_exception=False)
        return bool(failed)
