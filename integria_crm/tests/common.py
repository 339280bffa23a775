from email.message import EmailMessage
from email.utils import make_msgid

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


class _Rollback(Exception):
    """Raised to roll back the savepoint of an operation that went through."""


class IntegriaCrmCase(TransactionCase):
    """The worked example of the Integria manual.

    My Company (the partner of the main res.company) is the parent of
    Customer A, owned by User 1, and of Customer B, owned by Manager 1.
    User 1 (Read + Write) and Manager 1 (Manage) belong to My Company;
    User 2 belongs to Customer A and has no CRM level.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.admin = cls.env.ref("base.user_admin")
        cls.my_company = cls.env.company.partner_id
        cls.user1 = new_test_user(
            cls.env,
            login="crm_user1",
            name="User 1",
            groups="base.group_user,integria_crm.group_crm_write",
            crm_company_id=cls.my_company.id,
        )
        cls.manager1 = new_test_user(
            cls.env,
            login="crm_manager1",
            name="Manager 1",
            groups="base.group_user,integria_crm.group_crm_manage",
            crm_company_id=cls.my_company.id,
        )
        cls.customer_a = cls._create_crm_company("Customer A", cls.user1, cls.my_company)
        cls.customer_b = cls._create_crm_company("Customer B", cls.manager1, cls.my_company)
        cls.user2 = new_test_user(
            cls.env,
            login="crm_user2",
            name="User 2",
            groups="base.group_user",
            crm_company_id=cls.customer_a.id,
        )
        cls.contact_a = cls.env["res.partner"].create({"name": "Ana García", "parent_id": cls.customer_a.id})
        cls.contact_b = cls.env["res.partner"].create({"name": "Claire Martin", "parent_id": cls.customer_b.id})

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
        return self.env["res.partner"].with_user(user).search([("id", "in", records.ids)])


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
        params.set_param("integria_crm.invoice_auto_number", str(automatic))
        params.set_param("integria_crm.invoice_number_pattern", pattern)

    @classmethod
    def _create_invoice(cls, company, user=None, amounts=(100.0,), **values):
        invoices = cls.env["integria.invoice"]
        if user:
            invoices = invoices.with_user(user)
        return invoices.create(
            {
                "company_id": company.id,
                "currency_id": cls.eur.id,
                "line_ids": [
                    Command.create({"description": f"Line {index}", "amount": amount})
                    for index, amount in enumerate(amounts, start=1)
                ],
                **values,
            }
        )


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

    def _visible_leads(self, user, leads):
        """Return the part of ``leads`` that ``user`` finds by searching."""
        return self.env["crm.lead"].with_user(user).search([("id", "in", leads.ids)])

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
