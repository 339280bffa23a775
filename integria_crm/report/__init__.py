from . import integria_contract_document
