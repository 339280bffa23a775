import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_invoice_tour", {
    steps: () => [
        {
            content: "User 1 creates an invoice",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "The number is not taken when the form opens",
            trigger: ".o_form_view .o_field_widget[name='number'] input",
            run() {
                if (this.anchor.value) {
                    throw new Error(`A number was given before saving: ${this.anchor.value}`);
                }
            },
        },
        {
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit Customer A",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Customer A')",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_widget[name='line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='description'] textarea",
            run: "edit Consulting, May",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='amount'] input",
            run: "edit 500",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the invoice got the next number of the pattern",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name='number'] input:value('15/1000')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='amount_total']:contains('500.00')",
        },
        {
            content: "Watch the report download",
            trigger: ".o_form_view button[name='action_print']",
            run() {
                const { download } = odoo.loader.modules.get("@web/core/network/download");
                const original = download._download;
                download._download = async (options) => {
                    const result = await original(options);
                    const [url] = JSON.parse(options.data.data);
                    document.body.dataset.integriaReport = url;
                    return result;
                };
            },
        },
        {
            content: "Print the invoice",
            trigger: ".o_form_view button[name='action_print']",
            run: "click",
        },
        {
            content: "The PDF of the invoice was downloaded",
            trigger: "body[data-integria-report*='/report/pdf/integria_crm.report_integria_invoice/']",
        },
    ],
});
