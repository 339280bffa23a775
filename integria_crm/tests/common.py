import contextlib
import subprocess
import tempfile
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase, new_test_user

from ..models.integria_invoice import INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM

ALL = frozenset({"read", "write", "create", "unlink"})
CHANGE = frozenset({"read", "write", "create"})
READ = frozenset({"read"})
NOTHING = frozenset()

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


class _Rollback(Exception):
    """Raised to roll back the savepoint of an operation that went through."""


class IntegriaCrmCase(TransactionCase):
    """The worked example of the Integria manual.

    My Company (the partner of the main res.company) is the parent of
    Customer A, owned by User 1, and of Customer B, owned by Manager 1.
    User 1 (Read + Write) and Manager 1 (Manage) belong to My Company;
    User 2 belongs to Customer A and has no CRM level. The permission model
    is described in docs/permissions.md.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.admin = cls.env.ref("base.user_admin")
        cls.my_company = cls.env.company.partner_id
        cls.user1 = cls._create_user("crm_user1", "write", cls.my_company, name="User 1")
        cls.manager1 = cls._create_user("crm_manager1", "manage", cls.my_company, name="Manager 1")
        cls.customer_a = cls._create_crm_company("Customer A", cls.user1, cls.my_company)
        cls.customer_b = cls._create_crm_company("Customer B", cls.manager1, cls.my_company)
        cls.user2 = cls._create_user("crm_user2", None, cls.customer_a, name="User 2")
        cls.contact_a = cls.env["res.partner"].create({"name": "Ana García", "parent_id": cls.customer_a.id})
        cls.contact_b = cls.env["res.partner"].create({"name": "Claire Martin", "parent_id": cls.customer_b.id})

    @classmethod
    def _create_user(cls, login, level, crm_company, **values):
        """Create an internal user of ``crm_company`` with the CRM ``level``
        (``read``, ``write``, ``manage`` or None)."""
        groups = "base.group_user" + (f",integria_crm.group_crm_{level}" if level else "")
        values.setdefault("name", login)
        return new_test_user(cls.env, login=login, groups=groups, crm_company_id=crm_company.id, **values)

    @classmethod
    def _create_crm_company(cls, name, owner, parent=None, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "is_crm_company": True,
                "owner_id": owner.id,
                "crm_parent_id": parent.id if parent else False,
                **values,
            }
        )

    @classmethod
    def _create_contract(cls, name, customer, **values):
        return cls.env["integria.contract"].create(
            {"name": name, "partner_id": customer.id, "date_start": "2025-01-01", **values}
        )

    @classmethod
    def _create_invoice(cls, customer, user=None, amounts=(100.0,), **values):
        invoices = cls.env["integria.invoice"]
        if user:
            invoices = invoices.with_user(user)
        return invoices.create(cls._invoice_values(customer, amounts, **values))

    @classmethod
    def _invoice_values(cls, customer, amounts=(100.0,), **values):
        return {
            "partner_id": customer.id,
            "currency_id": cls.env.ref("base.EUR").id,
            "line_ids": [
                Command.create({"description": f"Line {index}", "amount": amount})
                for index, amount in enumerate(amounts, start=1)
            ],
            **values,
        }

    # ------------------------------------------------------------------
    # What a user may do
    # ------------------------------------------------------------------
    def _allowed(self, operation):
        """Run ``operation`` in a savepoint that is always rolled back; tell
        whether the access rights and record rules let it through."""
        try:
            with self.env.cr.savepoint():
                operation()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            return True
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()

    def _visible(self, user, records):
        """Return the part of ``records`` that ``user`` finds by searching."""
        return records.with_user(user).search([("id", "in", records.ids)])

    def _rights(self, user, record, *, write_values, create_values, read=None):
        """Return the operations of ``read``, ``write``, ``create``, ``unlink``
        that ``user`` may perform on ``record``: it reads what it finds by
        searching and can read (``read(record_as_user)`` when given), writes
        ``write_values`` on it, creates a record of ``create_values``, deletes
        it."""
        as_user = record.with_user(user)
        rights = set()
        found = []
        if (
            self._allowed(lambda: found.extend(as_user.search([("id", "=", record.id)]).ids))
            and found
            and self._allowed(lambda: read(as_user) if read else as_user.read(["display_name"]))
        ):
            rights.add("read")
        if self._allowed(lambda: as_user.write(write_values)):
            rights.add("write")
        if self._allowed(lambda: as_user.create(create_values)):
            rights.add("create")
        if self._allowed(as_user.unlink):
            rights.add("unlink")
        return rights

    def assertRights(self, user, record, expected, *, write_values, create_values, read=None):
        """Assert that ``user`` may perform exactly the ``expected``
        operations on ``record`` (see :meth:`_rights`)."""
        self.assertEqual(
            self._rights(user, record, write_values=write_values, create_values=create_values, read=read),
            set(expected),
            f"{user.login} on {record._description} {record.display_name}",
        )

    @staticmethod
    def _pdf_text(pdf):
        """Return the text of a PDF, as pdftotext reads it."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", pdf_file.name, "-"], capture_output=True, check=True, text=True
            ).stdout

    @staticmethod
    def _pdf_image_count(pdf):
        """Return how many pictures a PDF shows, as pdfimages lists them."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            listing = subprocess.run(
                ["pdfimages", "-list", pdf_file.name], capture_output=True, check=True, text=True
            ).stdout
        # two header lines, then one line per picture or mask (type "smask")
        return sum(1 for line in listing.splitlines()[2:] if line.split()[2] == "image")


class IntegriaInvoiceCase(IntegriaCrmCase):
    """The manual's example, with no invoice yet, automatic numbers on the
    manual's pattern 15/[1000], and the Spanish taxes IVA and IRPF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["integria.invoice"].search([]).unlink()
        cls._set_invoice_numbering(True, "15/[1000]")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.customer_a.write({"vat": "ESA12345674", "street": "Calle Mayor 1", "zip": "28013", "city": "Madrid"})
        cls.customer_a.country_id = cls.env.ref("base.es")
        Tax = cls.env["integria.invoice.tax"]
        cls.iva_21 = Tax.create({"name": "IVA", "amount": 21, "kind": "tax"})
        cls.tax_5_2 = Tax.create({"name": "Recargo", "amount": 5.2, "kind": "tax"})
        cls.irpf_15 = Tax.create({"name": "IRPF", "amount": 15, "kind": "retention"})

    @classmethod
    def _set_invoice_numbering(cls, automatic, pattern):
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(INVOICE_AUTO_NUMBER_PARAM, str(automatic))
        params.set_param(INVOICE_PATTERN_PARAM, pattern)


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
    def _create_contract(cls, name, customer, **values):
        values.setdefault("type_id", cls.contract_type.id)
        return super()._create_contract(name, customer, **values)


class CommittedConnectionsCase(TransactionCase):
    """Separate database connections, each with its own cursor and
    environment, work at the same time and commit, as concurrent requests do.

    The data they use is committed by the test (the test's own transaction is
    invisible to the other connections) in :meth:`_commit_data`, and removed
    at the end by :meth:`_remove_data`. Automatic invoice numbers are on, with
    a pattern of the test's own.
    """

    _pattern_prefix = "T"

    def setUp(self):
        super().setUp()
        self.pattern = f"{self._pattern_prefix}{uuid.uuid4().hex[:8]}/[1]"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            params = env["ir.config_parameter"]
            self.saved_params = {
                key: params.get_param(key) for key in (INVOICE_AUTO_NUMBER_PARAM, INVOICE_PATTERN_PARAM)
            }
            params.set_param(INVOICE_AUTO_NUMBER_PARAM, "True")
            params.set_param(INVOICE_PATTERN_PARAM, self.pattern)
            self.user_id = env.ref("base.user_admin").id
            self._commit_data(env)
        self.addCleanup(self._remove_committed_data)

    def _commit_data(self, env):
        """Create what the connections use, in ``env`` (committed)."""

    def _remove_data(self, env):
        """Remove what :meth:`_commit_data` and the connections made."""

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._remove_data(env)
            for key, value in self.saved_params.items():
                env["ir.config_parameter"].set_param(key, value or False)

    @contextlib.contextmanager
    def _connection(self):
        """Yield the environment of a new connection as the test user; its
        transaction commits on leaving the block, unless rolled back."""
        with self.registry.cursor() as cr:
            # the test runner holds the registry lock that Environment()
            # takes to find the registry of a bare cursor
            cr.transaction = Transaction(self.registry)
            yield api.Environment(cr, self.user_id, {})


class LeadCase(IntegriaCrmCase):
    """The manual's example with a lead of User 1 managed by My Company, a
    lead of Manager 1, an unowned lead of My Company, and a lead managed by
    Customer B without owner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user1.email = "user1@mycompany.example"
        cls.manager1.email = "manager1@mycompany.example"
        cls.lead_user1 = cls._create_lead("Offer for PFMS", cls.user1, email_from="jimmy@pfms.example")
        cls.lead_manager1 = cls._create_lead("Support renewal", cls.manager1, email_from="claire@b.example")
        cls.lead_unowned = cls._create_lead("Lead from the web form", None, crm_partner_id=cls.my_company.id)
        cls.lead_customer_b = cls._create_lead("Lead of Customer B", None, crm_partner_id=cls.customer_b.id)

    @classmethod
    def _create_lead(cls, name, owner, **values):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": owner.id if owner else False,
                "contact_name": values.pop("contact_name", "Jimmy Rodriguez"),
                **values,
            }
        )

    @staticmethod
    def _reply_mail(subject, email_from, email_to="leads@mycompany.example", attachment=None, **headers):
        """Return a customer's e-mail as a mail client writes it, without
        threading headers unless given (``In_Reply_To="<...>"``)."""
        message = EmailMessage()
        message["From"] = email_from
        message["To"] = email_to
        message["Subject"] = subject
        message["Message-Id"] = make_msgid(domain="customer.example")
        for name, value in headers.items():
            message[name.replace("_", "-")] = value
        message.set_content("Thank you, here is what you asked for.")
        if attachment:
            name, content = attachment
            message.add_attachment(content.encode(), maintype="text", subtype="plain", filename=name)
        return message
