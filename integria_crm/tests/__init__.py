from . import test_access_changes, test_company, test_company_permissions, test_odoo_flows, test_performance, test_ui

# isort: split
from . import (
    test_contract,
    test_contract_document,
    test_contract_expiry,
    test_contract_performance,
    test_contract_permissions,
    test_contract_ui,
)
