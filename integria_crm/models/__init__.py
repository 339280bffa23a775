from . import integria_crm_role
from . import ir_ui_menu
from . import res_config_settings
from . import res_partner
from . import res_users
