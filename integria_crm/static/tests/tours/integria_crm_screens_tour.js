import { registry } from "@web/core/registry";

/** Steps that define the custom field being edited in the properties popover. */
function defineProperty(label, typeLabel, closeTrigger) {
    return [
        {
            trigger: ".o_property_field_popover .o_field_property_definition_header",
            run: `edit ${label}`,
        },
        {
            trigger: ".o_property_field_popover .o_field_property_definition_type input",
            run: "click",
        },
        {
            trigger: `.o_field_property_definition_type_menu .o-dropdown-item:contains('${typeLabel}')`,
            run: "click",
        },
        {
            trigger: `.o_property_field_popover .o_field_property_definition_type input:value('${typeLabel}')`,
        },
        {
            content: `Show ${label} in lists`,
            trigger: ".o_property_field_popover .o_field_property_definition_kanban input[type='checkbox']",
            run: "check",
        },
        {
            content: "Close the definition",
            trigger: closeTrigger,
            run: "click",
        },
        {
            trigger: `.o_property_field .o_field_property_label:contains('${label}')`,
        },
    ];
}

/** Manager 1 adds a company custom field on Company Custom Fields. */
registry.category("web_tour.tours").add("integria_crm_custom_fields_tour", {
    steps: () => [
        {
            content: "A settings screen: no New, no pager of wizard records",
            trigger: ".o_form_view .oe_title h1:contains('Company Custom Fields')",
        },
        {
            trigger: ".o_control_panel:not(:has(.o_form_button_create))",
        },
        {
            content: "The add button is there at once, no gear menu needed",
            trigger: ".o_field_property_add button",
            run: "click",
        },
        ...defineProperty("Account tier", "Text", ".o_form_view .oe_title h1"),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The summary lists the new field, shown in lists",
            trigger: ".o_integria_custom_fields_summary tr:has(td:contains('Account tier')) .fa-check",
        },
    ],
});

/** Manager 1 edits the custom fields of a contract type on the type itself. */
registry.category("web_tour.tours").add("integria_contract_type_fields_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Support hours')",
            run: "click",
        },
        {
            content: "The type's form edits its fields: Add Property is there",
            trigger: ".o_form_view .o_field_widget[name='custom_fields'] .o_field_property_add button",
            run: "click",
        },
        ...defineProperty("Hours per month", "Decimal", ".o_form_view .oe_title label"),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Its macro is listed for the templates",
            trigger: ".o_integria_custom_fields_summary tr:has(td:contains('Hours per month')) code:contains('_custom_')",
        },
    ],
});

/** User 1 creates a company: it hangs from My Company, and the form says who sees it. */
registry.category("web_tour.tours").add("integria_crm_company_create_tour", {
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The parent company is the user's CRM company",
            trigger: ".o_form_view .o_field_widget[name='crm_parent_id'] input:value('My Company')",
        },
        {
            content: "The form says who will see the company",
            trigger: ".o_integria_crm_visibility.alert-info:contains('My Company')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Talleres Pérez SL",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});

/** Manager 1 finds the company User 1 created. */
registry.category("web_tour.tours").add("integria_crm_company_seen_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Talleres Pérez SL')",
            run: "click",
        },
        {
            content: "Manager 1 sees it and may change it: its owner is User 1",
            trigger: ".o_form_view .o_field_widget[name='owner_id'] input:value('User 1')",
        },
    ],
});

/** User 1 creates an invoice from a contract: actions appear once it is saved. */
registry.category("web_tour.tours").add("integria_invoice_from_contract_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Support A')",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_create_invoice']",
            run: "click",
        },
        {
            content: "A new invoice for the contract's company, in the company's currency",
            trigger: ".o_form_view .o_field_widget[name='contract_id'] input:value('Support A')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='currency_id'] input:value('EUR')",
        },
        {
            content: "Not saved yet: nothing to mark as paid, cancel, print or lock",
            trigger:
                ".o_form_view .o_form_statusbar:not(:has(button[name='action_mark_paid'], button[name='action_cancel'], button[name='action_print'], button[name='action_lock']))",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='description'] textarea",
            run: "edit Support, June",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='amount'] input",
            run: "edit 300",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Saved and pending: its actions appear",
            trigger: ".o_form_view .o_form_statusbar button[name='action_mark_paid']",
        },
        {
            trigger: ".o_form_view .o_form_statusbar button[name='action_print']",
        },
        {
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_mark_pending']))",
        },
    ],
});
