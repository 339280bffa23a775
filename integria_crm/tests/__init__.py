from . import test_access_changes
from . import test_company
from . import test_company_permissions
from . import test_odoo_flows
from . import test_performance
from . import test_settings
from . import test_ui
