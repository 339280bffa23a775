"""CSV import and export of companies and contracts (SPEC §8)."""

import base64
import codecs
from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import html2plaintext, mute_logger

from .common import ALL_PROPERTY_TYPES, IntegriaContractCase

# The manual's examples, as written (SPEC §8).
MANUAL_COMPANY = "Empresa prueba,,,España,,,,,admin,0000-00-00 00:00:00,,Integria,20\n"
MANUAL_CONTRACT = "Contrato prueba,123456789,Descripción,2017-07-25,2017-07-31,1,,,0,1,1,Integria,20\n"
# "deberán indicarse en orden": a text and a number, in a section
COMPANY_CUSTOM_FIELDS = [
    {"name": "sec_origin", "string": "Origin", "type": "separator"},
    {"name": "source", "string": "Source", "type": "char"},
    {"name": "employees", "string": "Employees", "type": "integer"},
]
AWKWARD = 'Comma, "quotes"; semicolon\nnew line & <b>entity</b> &amp; (x)'


class CsvCase(IntegriaContractCase):
    """The manual's example with company custom fields; helpers to import
    and export as a given user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"]._crm_properties_definition().properties_definition = COMPANY_CUSTOM_FIELDS
        cls.role_partner = cls.env["integria.crm.role"].create({"name": "Importer partner"})

    def _import(self, user, kind, content, mode="positional", dry_run=False, **kwargs):
        data = content.encode() if isinstance(content, str) else content
        importer = self.env["integria.crm.csv.import"].with_user(user)
        return importer.import_csv(kind, data, mode, dry_run=dry_run, **kwargs)

    def _export(self, user, kind, records, mode="positional"):
        exporter = self.env["integria.crm.csv.export"].with_user(user)
        return exporter.export_csv(kind, records.with_user(user), mode)

    def _crm_companies(self):
        return self.env["res.partner"].search([("is_crm_company", "=", True)])

    def assertErrors(self, report, expected):
        """``expected``: (line, column, a piece of the reason) for each error."""
        self.assertFalse(report["ok"])
        found = [(error["line"], error["column"], error["message"]) for error in report["errors"]]
        for line, column, piece in expected:
            self.assertTrue(
                any(e_line == line and e_column == column and piece in message for e_line, e_column, message in found),
                f"no error ({line}, {column}, {piece!r}) in {found}",
            )


@tagged("post_install", "-at_install")
class TestCsvImportManual(CsvCase):
    def test_manual_company_example(self):
        before = self._crm_companies()
        preview = self._import(self.admin, "company", MANUAL_COMPANY, dry_run=True)
        self.assertTrue(preview["ok"], preview["errors"])
        self.assertEqual(preview["rows"], [{"line": 1, "name": "Empresa prueba", "status": "new", "messages": []}])
        self.assertEqual(self._crm_companies(), before, "a preview writes nothing")

        report = self._import(self.admin, "company", MANUAL_COMPANY)
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual(report["created"], 1)
        company = self._crm_companies() - before
        self.assertEqual(company.name, "Empresa prueba")
        self.assertEqual(company.country_id, self.env.ref("base.es"))
        self.assertEqual(company.owner_id, self.admin)
        self.assertFalse(company.last_activity_date, "0000-00-00 00:00:00 means no date")
        self.assertFalse(company.crm_parent_id)
        self.assertTrue(company.is_company)
        self.assertEqual(company.crm_properties["source"], "Integria")
        self.assertEqual(company.crm_properties["employees"], 20)

    def test_manual_contract_example(self):
        """Company 1 and type 1 are Odoo's records of these ids: here the
        partner of My Company, made a CRM company, and the first type, given
        the two custom fields of the manual's example."""
        company = self.env["res.partner"].browse(1)
        company.write({"is_crm_company": True, "owner_id": self.admin.id})
        contract_type = self.env["integria.contract.type"].browse(1).exists()
        if not contract_type:
            self.skipTest("no contract type has the id 1")
        contract_type.properties_definition = [
            {"name": "product", "string": "Product", "type": "char"},
            {"name": "seats", "string": "Seats", "type": "integer"},
        ]
        report = self._import(self.admin, "contract", MANUAL_CONTRACT)
        self.assertTrue(report["ok"], report["errors"])
        contract = self.env["integria.contract"].browse(report["record_ids"])
        self.assertRecordValues(
            contract,
            [
                {
                    "name": "Contrato prueba",
                    "contract_number": "123456789",
                    "description": "Descripción",
                    "date_start": date(2017, 7, 25),
                    "date_end": date(2017, 7, 31),
                    "partner_id": company.id,
                    "is_private": False,
                    "state": "active",
                    "type_id": contract_type.id,
                }
            ],
        )
        self.assertEqual(contract.contract_properties["product"], "Integria")
        self.assertEqual(contract.contract_properties["seats"], 20)

    def test_lookups_by_id_or_name(self):
        content = (
            f'Hija,"Calle Mayor 1\n28013 Madrid",ESA1,Spain,https://hija.example,Notes,Importer partner,'
            f"{self.customer_a.id},crm_manager1,25/07/2017 10:30,60\n"
            "Nieta,,,fr,,,{role},Hija,crm_user1,2017-07-25,\n".replace("{role}", str(self.role_partner.id))
        )
        report = self._import(self.manager1, "company", content)
        self.assertTrue(report["ok"], report["errors"])
        child, grandchild = self.env["res.partner"].browse(report["record_ids"])
        self.assertRecordValues(
            child,
            [
                {
                    "name": "Hija",
                    "street": "Calle Mayor 1",
                    "street2": "28013 Madrid",
                    "vat": "ESA1",
                    "country_id": self.env.ref("base.es").id,
                    "website": "https://hija.example",
                    "crm_role_id": self.role_partner.id,
                    "crm_parent_id": self.customer_a.id,
                    "owner_id": self.manager1.id,
                    "last_activity_date": datetime(2017, 7, 25, 10, 30),
                    "payment_conditions": "60",
                }
            ],
        )
        self.assertIn("Notes", child.comment)
        self.assertEqual(grandchild.crm_parent_id, child, "a parent named earlier in the file")
        self.assertEqual(grandchild.country_id, self.env.ref("base.fr"))
        self.assertEqual(grandchild.crm_role_id, self.role_partner)
        self.assertEqual(grandchild.owner_id, self.user1)
        self.assertEqual(grandchild.last_activity_date, datetime(2017, 7, 25))

    def test_every_created_record_logs_its_origin(self):
        """One note per created record, in its own chatter, naming its own
        line, whether it is the first of its batch or not; an updated record
        gets none."""
        existing = self._create_crm_company("Existente", self.manager1, self.my_company)
        content = "".join(f"Empresa {index},,,,,,,{self.my_company.id},crm_manager1,,\n" for index in range(1, 4))
        report = self._import(
            self.manager1, "company", content + "Existente,,,,,,,,crm_manager1,,\n", options={"file_name": "a/b.csv"}
        )
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual((report["created"], report["updated"]), (3, 1))
        companies = self.env["res.partner"].with_user(self.manager1).browse(report["record_ids"][:3])
        self.assertEqual(companies.mapped("name"), ["Empresa 1", "Empresa 2", "Empresa 3"])
        for line, company in enumerate(companies, start=1):
            message = company.message_ids
            self.assertEqual(len(message), 1, company.name)
            self.assertEqual(
                html2plaintext(message.body), f"Imported from b.csv, line {line}, by {self.manager1.name}."
            )
            self.assertRecordValues(
                message.sudo(),
                [
                    {
                        "model": "res.partner",
                        "res_id": company.id,
                        "author_id": self.manager1.partner_id.id,
                        "message_type": "notification",
                        "subtype_id": self.env.ref("mail.mt_note").id,
                        "is_internal": True,
                    }
                ],
            )
        self.assertFalse(existing.message_ids.filtered(lambda message: "Imported from" in message.body))

    def test_salesperson_default(self):
        """A company of the file gets the default salesperson, as one created by hand."""
        importer = self.env["integria.crm.csv.import"].with_user(self.manager1)
        content = f"Con vendedor,,,,,,,{self.my_company.id},crm_manager1,,\n".encode()
        report = importer.with_context(default_user_id=self.user1.id).import_csv("company", content)
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual(self.env["res.partner"].browse(report["record_ids"]).user_id, self.user1)
        report = importer.import_csv("company", content.replace(b"Con vendedor", b"Sin vendedor"))
        self.assertTrue(report["ok"], report["errors"])
        self.assertFalse(self.env["res.partner"].browse(report["record_ids"]).user_id)

    def test_names_are_not_patterns(self):
        wanted = self._create_crm_company("Cliente_1", self.manager1, self.my_company)
        self._create_crm_company("ClienteX1", self.manager1, self.my_company)
        report = self._import(self.manager1, "company", "Hija,,,,,,,cliente_1,crm_manager1,,\n")
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual(self.env["res.partner"].browse(report["record_ids"]).crm_parent_id, wanted)


@tagged("post_install", "-at_install")
class TestCsvImportIntegriaExport(CsvCase):
    def test_columns_absent_from_the_export_keep_their_value(self):
        header = "id;name;website;Source;Employees\n"
        first = self._import(self.admin, "company", header + "5;Alfa;https://alfa.example;Web;7\n", "export")
        self.assertTrue(first["ok"], first["errors"])
        company = self.env["res.partner"].browse(first["record_ids"])
        again = self._import(self.admin, "company", b"id;name;Employees\n5;Alfa 2;8\n", "export")
        self.assertTrue(again["ok"], again["errors"])
        self.assertRecordValues(company, [{"name": "Alfa 2", "website": "https://alfa.example"}])
        self.assertEqual(company.crm_properties["source"], "Web")
        self.assertEqual(company.crm_properties["employees"], 8)

    def test_unknown_columns_are_reported_as_warnings(self):
        data = b"id;name;colour\n1;Alfa;blue\n"
        report = self._import(self.admin, "company", data, mode="export", dry_run=True)
        self.assertTrue(report["ok"], report["errors"])
        self.assertIn("colour", report["warnings"][0])


@tagged("post_install", "-at_install")
class TestCsvRoundTrip(CsvCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"]._crm_properties_definition().properties_definition = ALL_PROPERTY_TYPES
        cls.values = {
            "tier": AWKWARD,
            "notes": AWKWARD,
            "terms_html": "<p>Terms, 1; 2</p>",
            "renewal": True,
            "seats": 12,
            "hours": 2.75,
            "signed_on": "2024-02-29",
            "kickoff": "2024-03-01 09:30:00",
            "edition": "pro",
            "channels": ["mail", "phone"],
            "contact": cls.contact_a.id,
            "signers": [cls.contact_a.id, cls.contact_b.id],
        }
        cls.company = cls._create_crm_company(
            AWKWARD.replace("\n", " "),
            cls.manager1,
            cls.customer_a,
            street='Street, 1; "A"',
            street2="Floor 2",
            vat="ES;1,2",
            country_id=cls.env.ref("base.es").id,
            website="https://example.com/?a=1,b=2",
            comment="<p>Line one, two</p><p>Line; three</p>",
            crm_role_id=cls.role_partner.id,
            payment_conditions="90",
            crm_properties=cls.values,
            last_activity_date="2024-05-06 07:08:09",
        )
        cls.contract = cls._create_contract(
            AWKWARD.replace("\n", " "),
            cls.company,
            contract_number='N;1,"2"',
            description=AWKWARD,
            date_end="2025-12-31",
            sla="Gold, 24x7",
            support_group="L2; night",
            is_private=False,
            state="pending",
            contract_properties=cls.values,
        )

    COMPANY_FIELDS = [
        "name",
        "street",
        "street2",
        "vat",
        "country_id",
        "website",
        "crm_role_id",
        "crm_parent_id",
        "owner_id",
        "last_activity_date",
        "payment_conditions",
    ]
    CONTRACT_FIELDS = [
        "name",
        "contract_number",
        "description",
        "date_start",
        "date_end",
        "partner_id",
        "sla",
        "support_group",
        "is_private",
        "state",
        "type_id",
    ]

    def _snapshot(self, record, field_names, properties):
        values = record.read(field_names)[0]
        del values["id"]
        values["custom"] = {prop["name"]: prop.get("value") for prop in record.read([properties])[0][properties]}
        return values

    def test_company_round_trip_integria_layout(self):
        before = self._snapshot(self.company, self.COMPANY_FIELDS, "crm_properties")
        comment = self.company.comment
        data = self._export(self.manager1, "company", self.company, mode="export")
        self.assertTrue(data.startswith(codecs.BOM_UTF8))
        self.company.write({"name": "Changed", "vat": False, "crm_properties": {"seats": 1}})
        report = self._import(self.manager1, "company", data, mode="export")
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual((report["created"], report["updated"]), (0, 1), "the same record comes back")
        self.company.invalidate_recordset()
        self.assertEqual(self._snapshot(self.company, self.COMPANY_FIELDS, "crm_properties"), before)
        self.assertIn("Line one, two", self.company.comment)
        self.assertIn("Line; three", comment)

    def test_company_round_trip_positional(self):
        before = self._snapshot(self.company, self.COMPANY_FIELDS, "crm_properties")
        data = self._export(self.manager1, "company", self.company)
        self.assertIn(b'"Street, 1; ""A""\nFloor 2"', data, "quoted by the csv module, nothing replaced")
        name = self.company.name
        self.company.name = "Original"
        report = self._import(self.manager1, "company", data)
        self.assertTrue(report["ok"], report["errors"])
        copy = self.env["res.partner"].browse(report["record_ids"])
        self.assertEqual(copy.name, name)
        self.assertEqual(self._snapshot(copy, self.COMPANY_FIELDS, "crm_properties"), before)

    def test_contract_round_trip_positional(self):
        before = self._snapshot(self.contract, self.CONTRACT_FIELDS, "contract_properties")
        data = self._export(self.manager1, "contract", self.contract)
        self.contract.unlink()
        report = self._import(self.manager1, "contract", data)
        self.assertTrue(report["ok"], report["errors"])
        copy = self.env["integria.contract"].browse(report["record_ids"])
        self.assertEqual(self._snapshot(copy, self.CONTRACT_FIELDS, "contract_properties"), before)

    def test_contract_round_trip_integria_layout(self):
        before = self._snapshot(self.contract, self.CONTRACT_FIELDS, "contract_properties")
        data = self._export(self.manager1, "contract", self.contract, mode="export")
        self.contract.write({"description": "changed", "contract_properties": {"seats": 1}})
        report = self._import(self.manager1, "contract", data, mode="export")
        self.assertTrue(report["ok"], report["errors"])
        self.assertEqual((report["created"], report["updated"]), (0, 1))
        self.contract.invalidate_recordset()
        self.assertEqual(self._snapshot(self.contract, self.CONTRACT_FIELDS, "contract_properties"), before)


@tagged("post_install", "-at_install")
class TestCsvBadFiles(CsvCase):
    GOOD = "Buena,,,España,,,,{parent},crm_manager1,,,,\n"

    def setUp(self):
        super().setUp()
        self.good = self.GOOD.format(parent=self.my_company.id)
        self.companies_before = self._crm_companies()
        self.contracts_before = self.env["integria.contract"].search([])

    def _bad(self, content, kind="company", mode="positional", **kwargs):
        report = self._import(self.manager1, kind, content, mode=mode, **kwargs)
        self.assertFalse(report["ok"])
        self.assertEqual(self._crm_companies(), self.companies_before, "nothing written")
        self.assertEqual(self.env["integria.contract"].search([]), self.contracts_before, "nothing written")
        return report

    def test_wrong_column_count(self):
        report = self._bad(self.good + "Corta,,,España\n" + self.good.replace("Buena", "Larga")[:-1] + ",x,y\n")
        self.assertErrors(report, [(2, None, "4 columns"), (3, None, "15 columns")])
        self.assertEqual([row["status"] for row in report["rows"]], ["new", "error", "error"])

    def test_bad_dates(self):
        report = self._bad(self.good.replace(",,,,\n", ",31/02/2017,,,\n"))
        self.assertErrors(report, [(1, 10, "'31/02/2017' is not a date and time")])
        contract = f"C,N1,,2017-13-01,2017-01-01,{self.customer_a.id},,,0,1,\n"
        self.assertErrors(self._bad(contract, "contract"), [(1, 4, "is not a date")])

    def test_end_before_start(self):
        contract = f"C,N1,,2017-02-01,2017-01-01,{self.customer_a.id},,,0,1,\n"
        self.assertErrors(self._bad(contract, "contract"), [(1, 5, "before the start date")])

    def test_unknown_manager(self):
        report = self._bad(self.good.replace("crm_manager1", "nobody"))
        self.assertErrors(report, [(1, 9, "no internal user has this login")])

    def test_parent_cycle(self):
        content = "A,,,,,,,B,crm_manager1,,\nB,,,,,,,C,crm_manager1,,\nC,,,,,,,A,crm_manager1,,\n" + self.good
        report = self._bad(content)
        self.assertErrors(report, [(1, 8, "Parent cycle"), (2, 8, "Parent cycle"), (3, 8, "Parent cycle")])
        self.assertEqual(report["rows"][3]["status"], "new")

    def test_parent_cycle_through_the_database(self):
        header = "id;name;id_parent;manager\n"
        self.assertTrue(self._import(self.admin, "company", header + "1;P;0;admin\n2;C;1;admin\n", "export")["ok"])
        report = self._import(self.admin, "company", header + "1;P;2;admin\n", "export")
        self.assertErrors(report, [(2, 3, "hangs from this company already")])

    def test_unknown_company(self):
        report = self._bad("C,N1,,2017-01-01,,Nadie S.L.,,,0,1,\nD,N2,,2017-01-01,,999999,,,0,1,\n", "contract")
        self.assertErrors(report, [(1, 6, "no CRM company you can see"), (2, 6, "no CRM company you can see")])
        report = self._bad("id;name;id_company;date_begin\n1;C;44;2017-01-01\n", "contract", mode="export")
        self.assertErrors(report, [(2, 3, "no company has this id in the file or in an earlier import")])

    def test_empty_name(self):
        self.assertErrors(self._bad(self.good + " ,,,España,,,,,crm_manager1,,\n"), [(2, 1, "no name")])

    def test_duplicates_in_the_file(self):
        self.assertErrors(self._bad(self.good + self.good), [(2, None, "same company as on line 1")])
        contract = f"C,N1,,2017-01-01,,{self.customer_a.id},,,0,1,\n"
        report = self._bad(contract + contract.replace("C,", "D,", 1), "contract")
        self.assertErrors(report, [(2, 2, "on line 1 too")])
        report = self._bad(f"C,A-001,,2017-01-01,,{self.customer_a.id},,,0,1,\n", "contract")
        self.assertErrors(report, [(1, 2, "Another contract already has the number A-001")])

    def test_bad_values(self):
        report = self._bad(
            self.good.replace(",,,,\n", ",,45,,x\n").replace("España", "Atlantis")
            + f"Otra,,,,,,Nope,{self.my_company.id},crm_manager1,,,,\n"
        )
        self.assertErrors(
            report,
            [
                (1, 4, "no country has this name or code"),
                (1, 11, "'45' is not one of"),
                (1, 13, "'x' is not a whole number"),
                (2, 7, "no role has this id or name"),
            ],
        )

    def test_file_too_big(self):
        data = self.good.encode() * (50 * 1024 * 1024 // len(self.good) + 1)
        self.assertGreater(len(data), 50 * 1024 * 1024)
        report = self._bad(data, max_bytes=20 * 1024 * 1024)
        self.assertErrors(report, [(None, None, "odoo integria_csv --import")])

    def test_binary_file(self):
        for data in (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 10, bytes(range(256)) * 40):
            self.assertErrors(self._bad(data), [(None, None, "binary data")])

    def test_wrong_encoding(self):
        report = self._bad((self.good + "Compañía,,,España,,,,,crm_manager1,,\n").encode("latin-1"))
        self.assertErrors(report, [(1, None, "line 1 holds the byte 0xF1")])

    def test_refused_by_the_record_rules_at_write_time(self):
        """A company without parent owned by someone else would be out of the
        importing manager's sight: the rules refuse it, the row is named."""
        report = self._bad(self.good + "Sola,,,,,,,,admin,,\n")
        self.assertErrors(
            report,
            [(2, None, "No parent company and managed by admin: you would not see it. Give it a parent (column 8)")],
        )
        self.assertNotIn("cookies", str(report["errors"]))
        self.assertEqual(report["rows"][0]["status"], "new")
        self.assertEqual(report["rows"][1]["status"], "error")


@tagged("post_install", "-at_install")
class TestCsvPermissions(CsvCase):
    def test_only_manage_users_import(self):
        for user in (self.user1, self.user2):
            with self.assertRaises(AccessError):
                self._import(user, "company", MANUAL_COMPANY)
            with self.assertRaises(AccessError):
                self.env["integria.crm.csv.import.wizard"].with_user(user).create(
                    {"file": base64.b64encode(MANUAL_COMPANY.encode())}
                )

    def test_links_only_to_what_the_importer_sees(self):
        hidden = self._create_crm_company("Hidden", self.admin)  # no parent: its owner alone sees it
        self.assertFalse(self._visible(self.manager1, hidden))
        report = self._import(self.manager1, "company", f"Hija,,,,,,,{hidden.id},crm_manager1,,\n")
        self.assertErrors(report, [(1, 8, "no company you can see")])
        report = self._import(self.manager1, "company", "Hija,,,,,,,Hidden,crm_manager1,,\n")
        self.assertErrors(report, [(1, 8, "no company you can see")])
        report = self._import(self.manager1, "contract", f"C,N9,,2017-01-01,,{hidden.id},,,0,1,\n")
        self.assertErrors(report, [(1, 6, "no CRM company you can see")])
        # a custom field may not point to a record the importer cannot read
        hidden_contact = self.env["res.partner"].create({"name": "Secret", "parent_id": hidden.id})
        content = f"C,N9,,2017-01-01,,{self.customer_a.id},,,0,1,{self.contract_type.id}" + ",,,,,,,,,,,{}\n"
        report = self._import(self.manager1, "contract", content.format(hidden_contact.id))
        self.assertErrors(report, [(1, 22, "no single record you can see")])

    def test_private_contract_of_another_crm_company_is_refused(self):
        other = self._create_crm_company("Other", self.admin, self.my_company)
        outsider = self._create_user("outsider", "write", other)
        other.owner_id = outsider
        # Manager 1 sees Other (it hangs from My Company) but not a private
        # contract of it: its owner belongs to another CRM company
        report = self._import(self.manager1, "contract", f"C,N9,,2017-01-01,,{other.id},,,1,1,\n")
        self.assertErrors(report, [(1, None, "clear the private flag (column 9)")])
        self.assertFalse(self.env["integria.contract"].search([("contract_number", "=", "N9")]))


@tagged("post_install", "-at_install")
class TestCsvWizard(CsvCase):
    def _wizard(self, content, **values):
        return (
            self.env["integria.crm.csv.import.wizard"]
            .with_user(self.manager1)
            .create({"file": base64.b64encode(content.encode()), "file_name": "companies.csv", **values})
        )

    def test_preview_then_import(self):
        content = f"Uno,,,España,,,,{self.my_company.id},crm_manager1,,\nDos,,,Francia,,,,Uno,crm_manager1,,\n"
        wizard = self._wizard(content)
        wizard.action_preview()
        self.assertEqual(wizard.state, "previewed")
        self.assertTrue(wizard.report_ok)
        self.assertIn("2 rows checked: 2 to create", wizard.report_html)
        self.assertFalse(self.env["res.partner"].search([("name", "in", ("Uno", "Dos"))]))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(len(self.env["res.partner"].search([("name", "in", ("Uno", "Dos"))])), 2)
        report_rows = base64.b64decode(wizard.report_file).decode("utf-8-sig").splitlines()
        self.assertEqual(len(report_rows), 3)

    def test_preview_lists_every_bad_row(self):
        wizard = self._wizard("Uno,,,Atlantis,,,,,crm_manager1,,\n,,,,,,,,crm_manager1,,\n")
        wizard.action_preview()
        self.assertFalse(wizard.report_ok)
        html = str(wizard.report_html)
        self.assertIn("2 errors in 2 rows", html)
        self.assertIn("no country has this name or code", html)
        self.assertIn("The company has no name.", html)

    def test_big_file_runs_in_the_background(self):
        lines = "".join(f"Empresa {index},,,,,,,{self.my_company.id},crm_manager1,,\n" for index in range(2500))
        wizard = self._wizard(lines)
        wizard.action_import()
        self.assertEqual(wizard.state, "queued")
        self.env["integria.crm.csv.import.job"]._cron_run_queued()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.report["created"], 2500)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=like", "Empresa %")]), 2500)

    def test_background_job_ends_with_a_report_whatever_fails(self):
        lines = "".join(f"Empresa {index},,,,,,,{self.my_company.id},crm_manager1,,\n" for index in range(2500))
        wizard = self._wizard(lines)
        wizard.action_import()
        importer = type(self.env["integria.crm.csv.import"])
        with (
            patch.object(importer, "_write_rows", side_effect=RuntimeError("disk full")),
            mute_logger("odoo.addons.integria_crm.models.integria_crm_csv_import_job"),
        ):
            self.env["integria.crm.csv.import.job"]._cron_run_queued()
        self.assertEqual(wizard.state, "previewed")
        self.assertIn("disk full", wizard.report["errors"][0]["message"])
        self.assertFalse(self.env["res.partner"].search([("name", "=like", "Empresa %")]))


@tagged("post_install", "-at_install")
class TestCsvExport(CsvCase):
    def test_export_only_what_the_user_sees(self):
        hidden = self._create_crm_company("Hidden", self.admin)
        data = self.env["integria.crm.csv.export"].with_user(self.user1).export_csv("company")
        self.assertIn(b"Customer A", data)
        self.assertNotIn(b"Hidden", data)
        self.assertIn(b"Hidden", self.env["integria.crm.csv.export"].export_csv("company", hidden))

    def test_download_action_stores_nothing(self):
        attachments = self.env["ir.attachment"].search_count([])
        action = (
            self.env["integria.crm.csv.export"]
            .with_user(self.user1)
            .action_download("company", self.customer_a.ids, "export")
        )
        self.assertEqual(action["url"], f"/integria_crm/csv_export/company/export?ids={self.customer_a.id}")
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
