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
            content: "Reply by e-mail: Odoo's composer",
            trigger: ".o_form_view button[name='action_integria_reply']",
            run: "click",
        },
        {
            content: "The template of the lead's language is chosen and rendered for the lead",
            trigger: ".modal .o_field_widget[name='body']:contains('Dear Jimmy Rodriguez')",
        },
        {
            content: "The lead's address is the recipient",
            trigger: ".modal .o_field_widget[name='partner_ids'] .o_tag:contains('Jimmy Rodriguez')",
        },
        {
            trigger: ".modal button[name='action_send_mail']",
            run: "click",
        },
        {
            content: "The form is reloaded: the new lead moved on",
            trigger: ".o_form_view .o_field_widget[name='progress_code']:contains('20'), .o_form_view .o_field_widget[name='progress_code'] input:value('20')",
        },
        {
            content: "The reply is in the chatter with its [Lead#N] subject",
            trigger: ".o-mail-Message:contains('[Lead#'):contains('Your request')",
        },
    ],
});

/**
 * User 1, in Spanish, on a lead he may only read (Manager 1's) and on his
 * own: nothing he can click on the first one changes it (no Won, Lost,
 * Reply, no clickable stage, no field to edit, no card to drag), and his own
 * lead moves through Integria's stages, named in Spanish.
 */
registry.category("web_tour.tours").add("integria_lead_rights_tour", {
    steps: () => [
        {
            content: "His own card can be dragged; Manager 1's cannot",
            trigger: ".o_kanban_record.o_draggable:contains('Offer for PFMS')",
        },
        {
            trigger: ".o_kanban_record:not(.o_draggable):contains('Support renewal')",
        },
        {
            content: "The stages carry Integria's names in Spanish",
            trigger: ".o_kanban_group:contains('Reunión concertada')",
        },
        {
            trigger: ".o_kanban_record:contains('Support renewal')",
            run: "click",
        },
        {
            content: "A lead he may only read: shown read-only",
            trigger: ".o_form_view .o_field_widget[name='name']:not(:has(input, textarea))",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button:disabled:contains('Reunión concertada')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_set_won_rainbowman']))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_integria_reply'], button[name='action_integria_forward'], button[name='action_integria_take_ownership']))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[data-hotkey='l']))",
        },
        {
            content: "Odoo's chatter does not let him post on it",
            trigger: ".o-mail-Chatter-sendMessage:disabled",
        },
        {
            content: "The gear menu offers nothing that changes the lead",
            trigger: ".o_form_view .o_cp_action_menus button",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu:not(:has(.o_menu_item:contains('Eliminar'), .o_menu_item:contains('Archivar'), .o_menu_item:contains('Duplicar')))",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Back to the pipeline, to his own lead",
            trigger: ".o_back_button, .breadcrumb-item:first a",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('Offer for PFMS')",
            run: "click",
        },
        {
            content: "His own lead: the stage bar is his to click",
            trigger: ".o_form_view .o_statusbar_status button:not(:disabled):contains('Necesidades descubiertas')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Necesidades descubiertas')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_set_won_rainbowman']",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_integria_reply']",
        },
        {
            content: "His own lead's gear menu offers to delete it",
            trigger: ".o_form_view .o_cp_action_menus button",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o_menu_item:contains('Eliminar')",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Lost asks for a closing reason, none chosen",
            trigger: ".o_form_view .o_statusbar_buttons button[data-hotkey='l']",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='lost_reason_id']:not(:has(.o_selection_badge.active))",
        },
        {
            content: "only Integria's closing reasons are offered",
            trigger: ".modal .o_field_widget[name='lost_reason_id']:not(:has(.o_selection_badge:contains('Too expensive'), .o_selection_badge:contains('Demasiado caro')))",
        },
        {
            trigger: ".modal .o_field_widget[name='lost_reason_id'] .o_selection_badge:contains('No válido')",
            run: "click",
        },
        {
            trigger: ".modal button[name='action_lost_reason_apply']",
            run: "click",
        },
        {
            content: "The lead is lost: Odoo offers to restore it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_restore']",
        },
        {
            content: "No error dialog was ever shown",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});

/**
 * User 1 on the other CRM records of a company he may only read (Customer B,
 * Manager 1's) and of his own (Customer A): the same pattern as leads.
 */
registry.category("web_tour.tours").add("integria_crm_records_rights_tour", {
    steps: () => [
        {
            content: "Contracts by status: his customer's card can be dragged, Customer B's cannot",
            trigger: ".o_kanban_record.o_draggable:contains('Support A')",
        },
        {
            trigger: ".o_kanban_record:not(.o_draggable):contains('Support B')",
            run: "click",
        },
        {
            content: "Customer B's contract is read-only, without header buttons",
            trigger: ".o_form_view .o_field_widget[name='name']:not(:has(input))",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button:disabled",
        },
        {
            trigger: ".o_form_view:not(:has(button[name='action_open_document_wizard'], button[name='action_create_invoice']))",
        },
        {
            trigger: ".o-mail-Chatter-sendMessage:disabled",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});

registry.category("web_tour.tours").add("integria_crm_company_rights_tour", {
    steps: () => [
        {
            content: "Customer B, Manager 1's company: read-only for User 1",
            trigger: ".o_form_view .o_field_widget[name='name']:not(:has(input))",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='owner_id']:not(:has(input)):contains('Manager 1')",
        },
        {
            trigger: ".o-mail-Chatter-sendMessage:disabled",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
