from . import integria_crm_role, ir_ui_menu, res_config_settings, res_partner, res_users

# isort: split
from . import integria_contract, integria_contract_template, integria_contract_type, ir_actions_report
