from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        """Route the replies whose subject carries ``[Lead#N]`` to lead N
        before Odoo's own heuristics (threading headers, aliases), so that
        fetchmail, the ``/mail/receive`` route and ``odoo-mailgate`` treat
        them alike (see ``crm.lead._integria_reply_routes``)."""
        if not message_dict.get("is_bounce"):
            routes = self.env["crm.lead"]._integria_reply_routes(message, message_dict, custom_values)
            if routes is not None:
                return routes
        return super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )

    @api.model
    def message_process(  # noqa: PLR0917 (Odoo's signature)
        self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None
    ):
        """Keep the raw bytes of the mail for the DKIM check of lead replies
        (the parsed message may not serialise back byte for byte)."""
        raw = message.encode() if isinstance(message, str) else message
        if isinstance(raw, bytes):
            self = self.with_context(integria_raw_message=raw)  # noqa: PLW0642
        return super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )
