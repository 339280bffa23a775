import { registry } from "@web/core/registry";

/**
 * Manager 1, who reads Odoo in Spanish, imports a company typed by hand
 * whose role is written in English: Configuration > Import CSV, upload,
 * preview (the status reads "Para crear"), import (the status reads
 * "Creado"), close, and the list of companies shows the new company
 * without a reload.
 */
const CONTENT = "Empresa del tour,,,España,,,Customer,,crm_manager1,,\n";

registry.category("web_tour.tours").add("integria_csv_import_tour", {
    steps: () => [
        {
            trigger: ".o_menu_sections [data-menu-xmlid='integria_crm.menu_integria_crm_config']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='integria_crm.menu_integria_crm_config_csv_import']",
            run: "click",
        },
        {
            content: "Upload the file",
            trigger: ".modal .o_field_widget[name='file'] input[type='file']:not(:visible)",
            run() {
                const file = new File([CONTENT], "empresas.csv", { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".modal .o_field_widget[name='file']:contains('empresas.csv')",
        },
        {
            trigger: ".modal button[name='action_preview']",
            run: "click",
        },
        {
            content: "The preview lists the row, in Spanish",
            trigger: ".modal .o_integria_csv_rows td:contains('Para crear')",
        },
        {
            trigger: ".modal .alert-success:contains('1 fila comprobada')",
        },
        {
            trigger: ".modal .modal-footer button[name='action_import'].btn-primary",
            run: "click",
        },
        {
            content: "After the import, the status says what was done",
            trigger: ".modal .o_integria_csv_rows td:contains('Creado')",
        },
        {
            trigger: ".modal .modal-footer button[name='action_close']",
            run: "click",
        },
        {
            content: "The list shows the new company without a reload",
            trigger: ".o_list_view .o_data_row:contains('Empresa del tour')",
        },
    ],
});
