from . import test_access_changes, test_company, test_company_permissions, test_odoo_flows, test_performance, test_ui
