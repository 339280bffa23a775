from . import integria_crm_custom_fields
from . import integria_contract_document_wizard
from . import integria_crm_csv_import_wizard
from . import crm_lead_lost
from . import integria_lead_assign
