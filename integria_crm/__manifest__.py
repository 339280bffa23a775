{
    "name": "Integria CRM",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "The CRM of Integria IMS: companies with ownership-based "
    "permissions, contacts, contracts, invoices and leads",
    "author": "integria_crm developers",
    "website": "https://github.com/integria-crm/integria_crm",
    "license": "LGPL-3",
    "depends": ["crm", "contacts", "mail"],
    "data": [
        "security/integria_crm_security.xml",
        "security/ir.model.access.csv",
        "security/integria_invoice_security.xml",
        "data/integria_crm_data.xml",
        "views/integria_crm_role_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "report/integria_invoice_report.xml",
        "report/integria_invoice_templates.xml",
        "views/integria_invoice_tax_views.xml",
        "views/integria_invoice_views.xml",
        "wizards/integria_crm_custom_fields_views.xml",
        "views/integria_crm_menus.xml",
    ],
    "demo": [
        "demo/integria_crm_demo.xml",
        "demo/integria_invoice_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "integria_crm/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
