import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";
import { MessageNotificationPopover } from "@mail/core/common/message_notification_popover";

/**
 * The popover of a message whose e-mail failed (Odoo's red envelope) offers
 * to send it again once the outgoing server works (mail.message.action_integria_resend).
 */
patch(MessageNotificationPopover.prototype, {
    setup() {
        super.setup(...arguments);
        this.orm = useService("orm");
    },

    get canResend() {
        const message = this.props.message;
        return message.failureNotifications?.length > 0 && message.thread?.hasWriteAccess;
    },

    async onClickResend() {
        const message = this.props.message;
        await this.orm.call("mail.message", "action_integria_resend", [[message.id]]);
        // the new status of the notifications comes back by the bus
        this.props.close?.();
    },
});
