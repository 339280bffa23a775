import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_crm_company_tour", {
    steps: () => [
        {
            content: "The companies of User 1 are listed",
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Customer B')",
            run: "click",
        },
        {
            content: "Customer B is owned by Manager 1: User 1 sees it read-only",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Customer B'):not(:has(input))",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='website']:not(:has(input))",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Customer A')",
            run: "click",
        },
        {
            content: "User 1 owns Customer A and edits it",
            trigger: ".o_form_view .o_field_widget[name='website'] input",
            run: "edit https://customer-a.example.com",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='city'] input",
            run: "edit Barcelona",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
