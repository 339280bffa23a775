from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import IntegriaCrmCase


@tagged("post_install", "-at_install")
class TestCompany(IntegriaCrmCase):
    def test_defaults_and_paths(self):
        company = (
            self.env["res.partner"]
            .with_user(self.user1)
            .create(
                {"name": "Customer C", "is_company": True, "is_crm_company": True, "crm_parent_id": self.my_company.id}
            )
        )
        self.assertEqual(company.owner_id, self.user1)
        self.assertEqual(company.crm_company_id, company)
        self.assertEqual(company.crm_path, f"{self.my_company.crm_path}{company.id}/")
        self.assertTrue(company.last_activity_date)
        self.assertEqual(self.contact_a.crm_company_id, self.customer_a)
        self.assertEqual(self.contact_a.crm_path, self.customer_a.crm_path)

    def test_new_company_hangs_from_the_users_company(self):
        """The companies form creates a company under the user's CRM company, and says who sees it."""
        partners = (
            self.env["res.partner"]
            .with_user(self.user1)
            .with_context(default_is_company=True, default_is_crm_company=True)
        )
        form = Form(partners, view="integria_crm.view_integria_crm_company_form")
        self.assertEqual(form.crm_parent_id, self.my_company)
        self.assertIn(self.my_company.name, form.crm_visibility_note)
        form.name = "Talleres Pérez SL"
        company = form.save()
        self.assertEqual(company.crm_parent_id, self.my_company)
        self.assertIn(
            company, self.env["res.partner"].with_user(self.manager1).search([("name", "=", "Talleres Pérez SL")])
        )
        # without a parent, the form warns that only the owner sees it
        with Form(company.with_user(self.user1), view="integria_crm.view_integria_crm_company_form") as form:
            form.crm_parent_id = self.env["res.partner"]
            self.assertIn("only its owner (User 1)", form.crm_visibility_note)
        # a contact added from the company's form is not a company: no parent company
        contact_defaults = partners.with_context(default_is_company=False).default_get(["crm_parent_id"])
        self.assertFalse(contact_defaults.get("crm_parent_id"))
        # a company created by code, without the form's context, keeps what it is given
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True, "is_crm_company": True})
        self.assertFalse(plain.crm_parent_id)

    def test_technical_fields_are_not_offered_for_grouping(self):
        fields = (
            self.env["res.partner"].with_user(self.user1).fields_get(["crm_path", "name"], ["groupable", "searchable"])
        )
        self.assertEqual(fields["crm_path"], {"groupable": False, "searchable": False})
        self.assertTrue(fields["name"]["groupable"])
        contract_fields = self.env["integria.contract"].with_user(self.user1).fields_get(["crm_path"], ["groupable"])
        self.assertFalse(contract_fields["crm_path"]["groupable"])

    def test_user_default_crm_company(self):
        user = self.env["res.users"].create({"name": "New", "login": "crm_new_user"})
        self.assertEqual(user.crm_company_id, self.env.company.partner_id)

    def test_parent_must_be_company(self):
        with self.assertRaisesRegex(ValidationError, "must be a company"):
            self.customer_a.crm_parent_id = self.contact_b

    def test_unlink_removes_contacts(self):
        self.customer_a.with_user(self.user1).unlink()
        self.assertFalse(self.contact_a.exists())

    def test_unlink_refused_with_children(self):
        self._create_crm_company("Subsidiary", self.user1, self.customer_a)
        with self.assertRaisesRegex(UserError, "hangs from it"):
            self.customer_a.unlink()

    def test_note_moves_last_activity(self):
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = '2020-01-01' WHERE id = %s", [self.customer_a.id]
        )
        self.env.invalidate_all()
        self.customer_a.with_user(self.user1).message_post(body="Called the customer", message_type="comment")
        self.assertGreater(self.customer_a.last_activity_date.year, 2020)

    def test_custom_fields_in_sections(self):
        """Manage users define custom fields in sections; values are searchable
        and groupable."""
        definition = [
            {"name": "sec_sales", "string": "Sales", "type": "separator"},
            {"name": "employees", "string": "Employees", "type": "integer"},
            {
                "name": "sector",
                "string": "Sector",
                "type": "selection",
                "selection": [["it", "IT"], ["retail", "Retail"]],
            },
        ]
        manager_a = self.customer_a.with_user(self.manager1)
        manager_a.crm_properties = [{**prop, "definition_changed": True} for prop in definition]
        manager_a.crm_properties = {"employees": 40, "sector": "it"}
        self.customer_b.with_user(self.manager1).crm_properties = {"employees": 5, "sector": "retail"}
        partners = self.env["res.partner"].with_user(self.user1)
        self.assertEqual(partners.search([("crm_properties.sector", "=", "it")]), self.customer_a)
        self.assertEqual(partners.search([("crm_properties.employees", ">", 10)]), self.customer_a)
        groups = partners._read_group(
            [("is_crm_company", "=", True), ("id", "in", (self.customer_a | self.customer_b).ids)],
            ["crm_properties.sector"],
            ["__count"],
        )
        self.assertEqual(sorted(groups), [("it", 1), ("retail", 1)])
        self.user1.group_ids = [(4, self.env.ref("base.group_allow_export").id)]
        exported = partners.browse(self.customer_a.id).export_data(["name", "crm_properties.employees"])
        self.assertEqual(exported["datas"], [["Customer A", 40]])

    def test_roles_for_managers(self):
        roles = self.env["integria.crm.role"]
        role = roles.with_user(self.manager1).create({"name": "Reseller"})
        self.assertTrue(roles.with_user(self.user1).search([("id", "=", role.id)]))
        with self.assertRaises(AccessError):
            roles.with_user(self.user1).create({"name": "Distributor"})

    def test_custom_fields_configuration_screen(self):
        """Manage users define the company custom fields on their own screen."""
        screen_model = self.env["integria.crm.custom.fields"].with_user(self.manager1)
        action = screen_model.action_open()
        screen = screen_model.browse(action["res_id"])
        screen.preview = [
            {"name": "sec_support", "string": "Support", "type": "separator", "definition_changed": True},
            {"name": "support_level", "string": "Support Level", "type": "char", "definition_changed": True},
        ]
        names = [prop["name"] for prop in self.customer_a.crm_properties_definition_id.properties_definition]
        self.assertEqual(names, ["sec_support", "support_level"])
        self.customer_a.with_user(self.user1).crm_properties = {"support_level": "Gold"}
        self.assertEqual(
            self.env["res.partner"].with_user(self.user1).search([("crm_properties.support_level", "=", "Gold")]),
            self.customer_a,
        )
        with self.assertRaises(AccessError):
            self.env["integria.crm.custom.fields"].with_user(self.user1).action_open()
