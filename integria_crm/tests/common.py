from odoo.tests import TransactionCase, new_test_user


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

    def _visible(self, user, records):
        """Return the part of ``records`` that ``user`` finds by searching."""
        return self.env["res.partner"].with_user(user).search([("id", "in", records.ids)])
