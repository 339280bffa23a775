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
            routes = self.env["crm.lead"]._integria_reply_routes(message_dict, custom_values)
            if routes is not None:
                return routes
        return super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
