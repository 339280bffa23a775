import subprocess
import tempfile

from odoo.tests import new_test_user

from .common import IntegriaCrmCase

# one custom field of each property type a contract type may define
ALL_PROPERTY_TYPES = [
    {"name": "tier", "string": "Tier", "type": "char", "view_in_cards": True},
    {"name": "notes", "string": "Notes", "type": "text"},
    {"name": "terms_html", "string": "Terms", "type": "html"},
    {"name": "renewal", "string": "Automatic renewal", "type": "boolean"},
    {"name": "seats", "string": "Seats", "type": "integer", "view_in_cards": True},
    {"name": "hours", "string": "Hours", "type": "float"},
    {"name": "signed_on", "string": "Signed on", "type": "date"},
    {"name": "kickoff", "string": "Kick-off", "type": "datetime"},
    {"name": "edition", "string": "Edition", "type": "selection", "selection": [["std", "Standard"], ["pro", "Pro"]]},
    {"name": "channels", "string": "Channels", "type": "tags", "tags": [["mail", "E-mail", 1], ["phone", "Phone", 2]]},
    {"name": "contact", "string": "Contact", "type": "many2one", "comodel": "res.partner"},
    {"name": "signers", "string": "Signers", "type": "many2many", "comodel": "res.partner"},
    {"name": "section", "string": "More", "type": "separator"},
]


class IntegriaContractCase(IntegriaCrmCase):
    """The manual's example with contracts.

    Customer A (owner User 1) has a contract and a private contract;
    Customer B (owner Manager 1) has a contract. The private contract is for
    the users of My Company, the CRM company of User 1.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_type = cls.env["integria.contract.type"].create(
            {
                "name": "Service level",
                "description": "Support with a service level",
                "properties_definition": ALL_PROPERTY_TYPES,
            }
        )
        cls.contract_a = cls._create_contract("Support A", cls.customer_a, contract_number="A-001")
        cls.contract_a_private = cls._create_contract(
            "Prices A", cls.customer_a, contract_number="A-002", is_private=True
        )
        cls.contract_b = cls._create_contract("Support B", cls.customer_b, contract_number="B-001")
        cls.template = cls.env["integria.contract.template"].create(
            {
                "name": "Certificate",
                "sequence": 50,  # after the templates of the module
                "description": "Formal",
                "lang_id": cls.env.ref("base.lang_en").id,
                "body": "<p>_name_contract_ for _company_name_</p>",
            }
        )

    @classmethod
    def _create_contract(cls, name, company, **values):
        return cls.env["integria.contract"].create(
            {
                "name": name,
                "company_id": company.id,
                "type_id": cls.contract_type.id,
                "date_start": "2025-01-01",
                **values,
            }
        )

    @classmethod
    def _create_user(cls, login, level, crm_company):
        groups = "base.group_user" + (f",integria_crm.group_crm_{level}" if level else "")
        return new_test_user(cls.env, login=login, name=login, groups=groups, crm_company_id=crm_company.id)

    @staticmethod
    def _pdf_text(pdf):
        """Return the text of a PDF, as pdftotext reads it."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf_file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
