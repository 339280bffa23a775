import { registry } from "@web/core/registry";

/**
 * Manager 1 creates a contract type, then a contract of that type, defines
 * two custom fields from the contract form ("Add Property" writes them on the
 * type, as Odoo does for every Properties field), fills them, generates the
 * PDF and finds it attached to the contract.
 */
function defineProperty(label, typeLabel, inCards = false) {
    const showInCards = {
        content: `Show ${label} in lists and cards`,
        trigger: ".o_property_field_popover .o_field_property_definition_kanban input[type='checkbox']",
        run: "check",
    };
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
        ...(inCards ? [showInCards] : []),
        {
            content: "Close the definition",
            trigger: ".o_form_view .oe_title label",
            run: "click",
        },
        {
            trigger: `.o_property_field .o_field_property_label:contains('${label}')`,
        },
    ];
}

registry.category("web_tour.tours").add("integria_contract_tour", {
    steps: () => [
        {
            content: "Create a contract type",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour licence",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='description'] textarea",
            run: "edit Licences sold in the tour",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Open the contracts of the type",
            trigger: "button[name='action_open_contracts']",
            run: "click",
        },
        {
            content: "Create a contract of that type",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='type_id'] input:value('Tour licence')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour contract",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='contract_number'] input",
            run: "edit TOUR-001",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit Customer B",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Customer B')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Edit the custom fields of the type (Odoo's cog menu)",
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            trigger: ".o_menu_item:contains('Edit Properties')",
            run: "click",
        },
        ...defineProperty("Seats", "Integer", true),
        {
            content: "Add a second custom field",
            trigger: ".o_field_property_add button",
            run: "click",
        },
        ...defineProperty("Product", "Text"),
        {
            content: "Fill the custom fields",
            trigger: ".o_property_field:has(.o_field_property_label:contains('Seats')) input",
            run: "edit 25 && press Tab",
        },
        {
            trigger: ".o_property_field:has(.o_field_property_label:contains('Seats')) input:value('25')",
        },
        {
            trigger: ".o_property_field:has(.o_field_property_label:contains('Product')) input",
            run: "edit Integria IMS && press Tab",
        },
        {
            trigger: ".o_property_field:has(.o_field_property_label:contains('Product')) input:value('Integria IMS')",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Generate the PDF",
            trigger: "button[name='action_open_document_wizard']",
            run: "click",
        },
        {
            content: "The certificate in the user's language is proposed",
            trigger: ".modal .o_field_widget[name='template_id'] input:value('Contract certificate')",
        },
        {
            trigger: ".modal button[name='action_generate']",
            run: "click",
        },
        {
            content: "A notification offers to open the PDF",
            trigger: ".o_notification:contains('Document generated') a[href^='/web/content/']:contains('Tour contract - Contract certificate')",
        },
        {
            content: "The PDF is attached to the contract",
            trigger: "button[name='action_open_documents'] .o_stat_value:contains('1')",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-AttachmentContainer:contains('Tour contract - Contract certificate')",
        },
        {
            content: "Back to the list of the type's contracts",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Contracts')",
            run: "click",
        },
        {
            content: "Seats is shown in lists (Display in Cards), Product is an optional column",
            trigger: ".o_list_view thead th:contains('Seats')",
        },
        {
            trigger: ".o_list_view thead:not(:has(th:contains('Product')))",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('25')",
        },
        {
            content: "The kanban groups contracts by status",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_group:contains('Active') .o_kanban_record:contains('Tour contract')",
        },
        {
            trigger: ".o_kanban_group:contains('Pending')",
        },
    ],
});
