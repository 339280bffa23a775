from . import integria_crm_role, ir_ui_menu, res_config_settings, res_partner, res_users
