"""Integria's own export files, built byte for byte from how Integria 5.0
writes them (include/export_csv.php, SPEC §8), and the wizard as people use it.

How Integria writes a CSV: a UTF-8 BOM, the header ``implode(';', names)``
in UTF-8 and ``\\n``; each row's cells with ``\\r \\n " ' ;`` replaced by
spaces and ``,`` by ``.``, nothing quoted, joined by ``;``. With the default
*CSV encoding* (Excel) each data line is UTF-16LE followed by a single 0x0A
byte; with *Other* the lines stay UTF-8.
"""

import base64

from odoo.tests import tagged
from odoo.tools.mail import html2plaintext

from .test_csv_import import CsvCase

# tcompany's columns, then billing
COMPANY_HEADER = (
    "id;name;address;fiscal_id;country;website;comments;id_company_role;id_parent;manager;last_update;"
    "payment_conditions;billing"
)
# tcontract's columns (no contract type), then the company's name, then the
# labels of the contract custom fields shown in lists
CONTRACT_HEADER = (
    "id;name;contract_number;description;date_begin;date_end;id_company;id_sla;id_group;private;status;company"
)
# text that a decoder of HTML entities would change
ENTITY_LOOKALIKES = "Precios &copy 2020 &reg &not &para fin"
WEBSITE = "https://zeta.example/?lang=es&section=contacto"


def integria_cell(value):
    for char in "\r\n\"';":
        value = value.replace(char, " ")
    return value.replace(",", ".")


def integria_file(header, rows, excel=True):
    """The bytes of Integria's export of ``rows`` under ``header``."""
    data = b"\xef\xbb\xbf" + header.encode() + b"\n"
    for row in rows:
        line = ";".join(integria_cell(value) for value in row)
        data += (line.encode("utf-16-le") if excel else line.encode()) + b"\n"
    return data


def company_rows(first_id):
    """A company and its child, as Integria stores them."""
    parent, child = str(first_id), str(first_id + 1)
    return [
        [
            parent,
            "Zeta, Hijos",
            "Calle Mayor 1\nMadrid",
            "B1",
            "España",
            WEBSITE,
            ENTITY_LOOKALIKES,
            "1",
            "0",
            "crm_manager1",
            "2020-01-02 03:04:05",
            "30",
            "1500.5",
        ],
        [
            child,
            "Ñandú Ċ 上一 S.A.",
            "",
            "",
            "Alemania",
            "",
            "",
            "3",
            parent,
            "crm_manager1",
            "0000-00-00 00:00:00",
            "0",
            "",
        ],
    ]


@tagged("post_install", "-at_install")
class TestCsvIntegriaFiles(CsvCase):
    def _import_companies(self, data):
        return self._import(self.manager1, "company", data, mode="export", options={"file_name": "company_export.csv"})

    def test_company_export_in_both_encodings(self):
        for excel, first_id in ((True, 1), (False, 11)):
            with self.subTest(excel=excel):
                data = integria_file(COMPANY_HEADER, company_rows(first_id), excel=excel)
                if excel:
                    self.assertIn("Ċ".encode("utf-16-le"), data, "a character holding a 0x0A byte")
                report = self._import_companies(data)
                self.assertTrue(report["ok"], report["errors"])
                self.assertEqual(report["warnings"], [], "billing is Integria's, read-only")
                zeta, nandu = self.env["res.partner"].browse(report["record_ids"])
                self.assertRecordValues(
                    zeta,
                    [
                        {
                            "name": "Zeta. Hijos",
                            "street": "Calle Mayor 1 Madrid",
                            "vat": "B1",
                            "country_id": self.env.ref("base.es").id,
                            "website": WEBSITE,
                            "crm_role_id": self.env.ref("integria_crm.crm_role_customer").id,
                            "owner_id": self.manager1.id,
                            "payment_conditions": "30",
                        }
                    ],
                )
                self.assertEqual(html2plaintext(zeta.comment), ENTITY_LOOKALIKES, "no entity is decoded")
                self.assertEqual(nandu.name, "Ñandú Ċ 上一 S.A.")
                self.assertEqual(nandu.crm_parent_id, zeta)
                self.assertEqual(nandu.crm_role_id, self.env.ref("integria_crm.crm_role_partner"))
                self.assertIn("Integria's role 1 is taken for the role Customer.", report["mappings"])
                self.assertIn(
                    f"Imported from company_export.csv, line 3, by {self.manager1.name}.",
                    html2plaintext(nandu.message_ids[0].body),
                )
        again = self._import_companies(integria_file(COMPANY_HEADER, company_rows(1)))
        self.assertEqual((again["created"], again["updated"]), (0, 2), "the same file again updates")

    def test_role_ids_are_integria_ids(self):
        """Integria's role 1 (Cliente, Customer) is Odoo's Customer role, not
        Odoo's role of id 1; roles an earlier import brought come first."""
        roles = self._import(self.admin, "role", b"id;name;description\n7;Distribuidor;\n", mode="export")
        self.assertTrue(roles["ok"], roles["errors"])
        rows = company_rows(1)
        rows[0][7], rows[1][7] = "7", "2"
        report = self._import_companies(integria_file(COMPANY_HEADER, rows))
        self.assertErrors(report, [(3, 8, "Integria's role 2 is Ex-Customer, a role this database does not have")])
        rows[1][7] = "9"
        report = self._import_companies(integria_file(COMPANY_HEADER, rows))
        self.assertErrors(report, [(3, 8, "not one of Integria's roles")])
        rows[1][7] = "4"
        report = self._import_companies(integria_file(COMPANY_HEADER, rows))
        self.assertTrue(report["ok"], report["errors"])
        zeta, child = self.env["res.partner"].browse(report["record_ids"])
        self.assertEqual(zeta.crm_role_id.name, "Distribuidor")
        self.assertEqual(child.crm_role_id, self.env.ref("integria_crm.crm_role_provider"))

    def test_contract_export_company_column_and_custom_fields(self):
        self.assertTrue(self._import_companies(integria_file(COMPANY_HEADER, company_rows(1)))["ok"])
        zeta = self.env["res.partner"].search([("name", "=", "Zeta. Hijos")])
        header = CONTRACT_HEADER + ";Tier;Seats;Unknown label"
        row = ["5", "Soporte oro", "C-5", "Línea 1\nLínea 2", "2020-01-01", "0000-00-00", "1", "4", "2", "1", "2"]
        data = integria_file(header, [[*row, "Zeta, Hijos", "Oro", "10", "x"]])
        without_type = self._import(self.manager1, "contract", data, mode="export", dry_run=True)
        self.assertTrue(without_type["ok"], without_type["errors"])
        self.assertTrue(any("choose the contract type" in warning for warning in without_type["warnings"]))

        options = {"contract_type_id": self.contract_type.id}
        report = self._import(self.manager1, "contract", data, mode="export", options=options)
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual(len(report["warnings"]), 1)
        self.assertIn("Unknown label", report["warnings"][0])
        contract = self.env["integria.contract"].browse(report["record_ids"])
        self.assertRecordValues(
            contract,
            [
                {
                    "name": "Soporte oro",
                    "description": "Línea 1 Línea 2",
                    "partner_id": zeta.id,
                    "type_id": self.contract_type.id,
                    "sla": "4",
                    "is_private": True,
                    "state": "pending",
                    "date_end": False,
                }
            ],
        )
        self.assertEqual(contract.contract_properties["tier"], "Oro")
        self.assertEqual(contract.contract_properties["seats"], 10)

        wrong = integria_file(
            CONTRACT_HEADER, [["6", "Otro", "C-6", "", "2020-01-01", "", "1", "", "", "0", "1", "Nadie"]]
        )
        report = self._import(self.manager1, "contract", wrong, mode="export", options=options)
        self.assertErrors(report, [(2, 12, "The company 1 is Zeta. Hijos, not Nadie: the id decides")])

    def test_the_addon_export_never_meets_integria_ids(self):
        """The addon's Integria-layout export names its records odoo-<id>,
        writes nothing (a Read user exports), and a later real Integria
        file whose ids overlap creates its own records."""
        xmlids = self.env["ir.model.data"].search_count([])
        data = self._export(self.user1, "company", self.my_company | self.customer_a, mode="export")
        self.assertEqual(self.env["ir.model.data"].search_count([]), xmlids, "the export writes nothing")
        self.assertIn(f"\r\nodoo-{self.customer_a.id};Customer A;".encode(), data)
        name = self.my_company.name
        report = self._import_companies(integria_file(COMPANY_HEADER, company_rows(self.my_company.id)))
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual(report["created"], 2)
        self.assertEqual(self.my_company.name, name, "Integria company 1 is not My Company")

    def test_refusals_in_words(self):
        """The manual's line, by Manager 1: admin manages a company without a
        parent, Manager 1 would not see it."""
        report = self._import(self.manager1, "company", "Empresa prueba,,,España,,,,,admin,0000-00-00 00:00:00,,\n")
        self.assertErrors(
            report,
            [
                (
                    1,
                    None,
                    "No parent company and managed by admin: you would not see it. Give it a parent (column 8), "
                    "make yourself its manager (column 9) or import it as an administrator.",
                )
            ],
        )


@tagged("post_install", "-at_install")
class TestCsvWizardFlows(CsvCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.customer_role = cls.env.ref("integria_crm.crm_role_customer")
        cls.customer_role.with_context(lang="es_ES").name = "Cliente"
        cls.manager1.lang = "es_ES"

    def _wizard(self, content, **values):
        data = content.encode() if isinstance(content, str) else content
        return (
            self.env["integria.crm.csv.import.wizard"]
            .with_user(self.manager1)
            .create({"file": base64.b64encode(data), "file_name": "empresas.csv", **values})
        )

    def test_roles_in_any_language_or_by_id(self):
        parent = self.my_company.id
        content = "".join(
            f"Rol {index},,,,,,{role},{parent},crm_manager1,,\n"
            for index, role in enumerate(("Customer", "cliente", str(self.customer_role.id)))
        )
        wizard = self._wizard(content)
        wizard.action_import()
        self.assertTrue(wizard.report_ok, wizard.report["errors"])
        companies = self.env["res.partner"].browse(wizard.report["record_ids"])
        self.assertEqual(companies.crm_role_id, self.customer_role)

    def test_positional_reimport_offers_update_or_skip(self):
        content = f"Uno,,ES1,España,,,,{self.my_company.id},crm_manager1,,\n"
        self._wizard(content).action_import()
        wizard = self._wizard(content.replace("España", "Francia"))
        wizard.action_preview()
        self.assertEqual(wizard.report_existing, 1)
        self.assertEqual(wizard.report["rows"][0]["status"], "update")
        wizard.existing = "skip"
        wizard.action_import()
        self.assertEqual((wizard.report["created"], wizard.report["skipped"]), (0, 1))
        uno = self.env["res.partner"].search([("name", "=", "Uno")])
        self.assertEqual(len(uno), 1, "no duplicate")
        self.assertEqual(uno.country_id, self.env.ref("base.es"))
        wizard = self._wizard(content.replace("España", "Francia"))
        wizard.action_import()
        self.assertEqual((wizard.report["created"], wizard.report["updated"]), (0, 1))
        self.assertEqual(uno.country_id, self.env.ref("base.fr"))

    def test_the_example_shown_imports_as_shown(self):
        for kind in ("company", "contract"):
            with self.subTest(kind=kind):
                wizard = self._wizard("x", kind=kind)
                example = html2plaintext(str(wizard.layout_help)).rsplit("\n", 1)[-1].strip()
                self.assertTrue(example.startswith("Empresa prueba" if kind == "company" else "Contrato prueba"))
                self._wizard(example + "\n", kind=kind).action_import()
                report = self.env["integria.crm.csv.import.job"].search([], limit=1).report
                self.assertTrue(report["ok"], report["errors"])

    def test_statuses_counts_and_plural_after_import(self):
        wizard = self._wizard(f"Una,,,,,,,{self.my_company.id},crm_manager1,,\n")
        wizard.with_context(lang="en_US").action_import()
        self.assertEqual(wizard.state, "done")
        html = str(wizard.with_context(lang="en_US").job_id.report_html)
        self.assertIn("1 row imported: 1 created, 0 updated, 0 skipped.", html)
        self.assertIn("<td>Created</td>", html)
        self.assertNotIn("Ready", html)
        bad = self._wizard(",,,,,,,,crm_manager1,,\n")
        bad.action_preview()
        self.assertIn("1 error in 1 row", str(bad.with_context(lang="en_US").job_id.report_html))
        self.assertEqual(wizard.action_close(), {"type": "ir.actions.client", "tag": "soft_reload"})

    def test_the_job_and_its_report_outlive_the_wizard(self):
        self.assertFalse(self.env["integria.crm.csv.import.job"]._transient)
        wizard = self._wizard(f"Una,,,,,,,{self.my_company.id},crm_manager1,,\n")
        wizard.action_import()
        job = wizard.job_id
        wizard.sudo().unlink()  # what the vacuum does to wizards after an hour
        self.assertEqual(job.report["created"], 1)
        self.assertTrue(job.report_file)
        self.assertEqual(job.with_user(self.manager1).search([("id", "=", job.id)]), job)
