from . import (
    integria_crm_role,
    integria_invoice,
    integria_invoice_line,
    integria_invoice_tax,
    ir_ui_menu,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
