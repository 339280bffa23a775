import { patch } from "@web/core/utils/patch";
import { MailComposerTemplateSelector } from "@mail/core/web/mail_composer_template_selector";

/**
 * Reply by E-mail on a lead lists every template of leads, those of the
 * lead's language first: the server gives the order in the context of the
 * composer (`integria_template_ids`, see crm.lead._integria_templates).
 */
patch(MailComposerTemplateSelector.prototype, {
    async fetchTemplates() {
        await super.fetchTemplates(...arguments);
        const order = this.props.record.evalContext.context?.integria_template_ids;
        if (order && this.state.templates) {
            const rank = (template) => {
                const index = order.indexOf(template.id);
                return index === -1 ? order.length : index;
            };
            this.state.templates = [...this.state.templates].sort((a, b) => rank(a) - rank(b));
        }
    },
});
