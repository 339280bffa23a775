from . import integria_contract_document
from . import integria_lead_funnel
