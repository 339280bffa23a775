from odoo import api, models
from odoo.tools import SQL


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

    # ------------------------------------------------------------------
    # Notes written in bulk (CSV origin lines, migrated activity)
    # ------------------------------------------------------------------
    # ``create`` of a logged note without attachments, tracking or
    # notification does nothing that these two leave out, but it does it
    # message by message (about a millisecond each: the caches of the
    # ``message_ids`` of every model with a chatter, the defaults, the body
    # sanitized): as long as creating the record the note is about. An
    # import or a migration writes hundreds of thousands of them.

    @api.model
    def _integria_insert(self, values_list):
        """Write the messages ``values_list`` (each complete, with the same
        fields set: sender, reply-to, Message-Id) in one INSERT, each value
        converted as the ORM converts it (the defaults of the other fields
        added, the body sanitized)."""
        if not values_list:
            return
        defaults = {
            name: value
            for name, value in self._add_missing_default_values(values_list[0]).items()
            if name not in values_list[0] and self._fields[name].column_type
        }
        rows = [dict(defaults, **values) for values in values_list]
        columns = sorted(rows[0])
        self.env.flush_all()
        now, uid = self.env.cr.now(), self.env.uid
        self.env.cr.execute(
            SQL(
                "INSERT INTO mail_message (%s, create_uid, create_date, write_uid, write_date) VALUES %s",
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s)",
                        SQL(", ").join(
                            self._fields[name].convert_to_column_insert(row.get(name), self, row) for name in columns
                        ),
                        uid,
                        now,
                        uid,
                        now,
                    )
                    for row in rows
                ),
            )
        )
        self.env.invalidate_all()

    def _integria_copy(self, res_ids, bodies):
        """Copy this message onto the records ``res_ids`` of its model, each
        with its body of ``bodies`` (already safe HTML, built from escaped
        parts): every other column (author, subtype, date, Message-Id, what
        other modules add) has the value Odoo gave this one, as
        ``_message_log_batch`` gives the notes of one batch."""
        self.ensure_one()
        self.flush_recordset()
        columns = [
            SQL.identifier(name)
            for name, field in self._fields.items()
            if field.store and field.column_type and name not in ("id", "res_id", "body")
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO mail_message (%(columns)s, res_id, body) "
                "SELECT %(columns)s, copy.res_id, copy.body FROM mail_message, "
                "unnest(%(ids)s::int[], %(bodies)s::text[]) AS copy(res_id, body) WHERE mail_message.id = %(id)s",
                columns=SQL(", ").join(columns),
                ids=list(res_ids),
                bodies=[str(body) for body in bodies],
                id=self.id,
            )
        )
