import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_lead_reply_tour", {
    steps: () => [
        {
            content: "User 1 opens his lead from the pipeline",
            trigger: ".o_kanban_record:contains('Offer for PFMS')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='progress_code']",
        },
        {
            content: "Reply by e-mail",
            trigger: ".o_form_view button[name='action_integria_reply']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='template_id'] input",
            run: "edit First contact",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('First contact')",
            run: "click",
        },
        {
            content: "The template is rendered for the lead",
            trigger: ".modal .o_field_widget[name='body']:contains('Dear Jimmy Rodriguez')",
        },
        {
            trigger: ".modal .o_field_widget[name='email_to'] input:value('jimmy@pfms.example')",
        },
        {
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            content: "The form is reloaded: the new lead moved on",
            trigger: ".o_form_view .o_field_widget[name='progress_code'] input:value('20')",
        },
        {
            content: "The reply is logged on the lead with its [Lead#N] subject",
            trigger: ".o-mail-Message:contains('Subject: [Lead#'):contains('Your request')",
        },
        {
            content: "The body (an e-mail, shown in its own shadow root) is the template's",
            trigger: ".o-mail-Message:contains('Subject: [Lead#')",
            run() {
                const body = this.anchor.querySelector(".o-mail-Message-body");
                const text = [body?.innerText, body?.shadowRoot?.textContent]
                    .concat([...this.anchor.querySelectorAll("*")].map((el) => el.shadowRoot?.textContent))
                    .join(" ");
                if (!text.includes("Dear Jimmy Rodriguez")) {
                    throw new Error(`The logged reply does not show the template: ${text}`);
                }
            },
        },
    ],
});
