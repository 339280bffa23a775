import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_crm_dashboard_tour", {
    steps: () => [
        {
            content: "Manager 1 finds the Integria CRM dashboard among his dashboards",
            trigger: ".o_search_panel_category_value .o_dashboard_name:contains('Integria CRM')",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active:contains('Integria CRM')",
        },
        {
            content: "The spreadsheet is drawn, its data loaded without error",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-grid",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
    ],
});
