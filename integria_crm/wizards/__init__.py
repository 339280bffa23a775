from . import integria_crm_custom_fields
