from . import integria_crm_role, ir_ui_menu, res_config_settings, res_partner, res_users
from . import integria_invoice, integria_invoice_line, integria_invoice_tax, res_company
