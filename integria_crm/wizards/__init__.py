from . import integria_crm_custom_fields
from . import integria_contract_document_wizard
from . import integria_crm_csv_import_wizard
from . import integria_lead_reply
from . import integria_lead_forward
from . import integria_lead_close
from . import integria_lead_assign
