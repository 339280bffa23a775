import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_portal_tour", {
    steps: () => [
        {
            content: "My Account shows the contracts of the customer",
            trigger: "a[href='/my/integria/contracts']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The contracts of Customer A and of its subsidiary, not the private one nor Customer B's",
            trigger: ".o_integria_portal_contract:contains('Support A1')",
            run() {
                const names = [...document.querySelectorAll(".o_integria_portal_contract td:first-child")].map(
                    (cell) => cell.textContent.trim()
                );
                if (names.sort().join("|") !== "Support A|Support A1") {
                    throw new Error(`Unexpected contracts: ${names.join(", ")}`);
                }
            },
        },
        {
            trigger: ".o_integria_portal_contract a:text('Support A')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The custom fields shown in the portal",
            trigger: ".o_integria_portal_custom_fields td:contains('Gold tier')",
        },
        {
            content: "Ask us for more seats",
            trigger: ".o_integria_portal_request select[name='kind']",
            run: "select seats",
        },
        {
            trigger: ".o_integria_portal_request textarea[name='message']",
            run: "edit We need five more seats.",
        },
        {
            trigger: ".o_integria_portal_request button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_integria_request_sent",
        },
        {
            content: "Back to the invoices",
            trigger: "a[href='/my/home']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "a[href='/my/integria/invoices']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_integria_portal_invoice a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoice's PDF to download",
            trigger: ".o_integria_invoice_download",
        },
    ],
});

/** Manager 1 adds a contract custom field shown in the customer portal. */
registry.category("web_tour.tours").add("integria_portal_field_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Support hours')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='custom_fields'] .o_field_property_add button",
            run: "click",
        },
        {
            trigger: ".o_property_field_popover .o_field_property_definition_header",
            run: "edit Seats",
        },
        {
            content: "The contract type's fields may be shown in the portal",
            trigger: ".o_property_field_popover .o_field_property_definition_integria_portal input[type='checkbox']",
            run: "check",
        },
        {
            trigger: ".o_form_view .oe_title label",
            run: "click",
        },
        {
            trigger: ".o_property_field .o_field_property_label:contains('Seats')",
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
