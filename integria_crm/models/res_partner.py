import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.crm_path import child_path, path_ids

_logger = logging.getLogger(__name__)

PAYMENT_CONDITIONS = [
    ("30", "30 days"),
    ("60", "60 days"),
    ("90", "90 days"),
    ("180", "180 days"),
]

# Fields that decide whether a partner is CRM data and who reaches it.
CRM_ACCESS_FIELDS = {"is_crm_company", "crm_parent_id", "owner_id", "parent_id"}
# Changing one of these may move a partner into, or out of, a subtree that a
# record rule reads: the rules are checked again after the write.
CRM_RECHECK_FIELDS = {"is_crm_company", "crm_parent_id", "parent_id"}
# Changing one of these moves the ancestry path of a company, which the cached
# record-rule domains of its members embed; a contact's parent_id does not.
CRM_PATH_FIELDS = {"is_company", "is_crm_company", "crm_parent_id"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "integria.crm.property.labels.mixin", "integria.crm.technical.fields.mixin"]
    _integria_labelled_fields = ("crm_properties",)
    _integria_technical_fields = ("crm_path", "crm_company_id", "crm_owner_id", "crm_properties_definition_id")

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    is_crm_company = fields.Boolean(
        string="Managed by the CRM",
        index=True,
        copy=False,
        help="CRM companies follow the ownership permission model of the CRM.",
    )
    crm_company_id = fields.Many2one(
        "res.partner",
        string="CRM Company of the Record",
        compute="_compute_crm_company_id",
        store=True,
        # a full btree, NULLs included: "not CRM data" (IS NULL) is one of the
        # three branches of the read rule that PostgreSQL combines with a
        # BitmapOr (docs/permissions.md)
        index=True,
        help="The company itself for a CRM company, its company for a contact; "
        "empty for partners that are not CRM data.",
    )
    crm_parent_id = fields.Many2one(
        "res.partner",
        string="Parent Company",
        index="btree_not_null",
        domain=[("is_company", "=", True)],
        ondelete="restrict",
        tracking=True,
        help="The company this one hangs from. Users of the parent company, and "
        "of the companies above it, see this company.",
    )
    crm_child_ids = fields.One2many("res.partner", "crm_parent_id", string="Child Companies")
    crm_path = fields.Char(
        string="Ancestry Path",
        compute="_compute_crm_path",
        store=True,
        recursive=True,
        readonly=True,
        help="Ids from the root of the parent chain to the company, as /1/5/9/.",
    )
    owner_id = fields.Many2one(
        "res.users",
        compute="_compute_owner_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain=[("share", "=", False)],
        help="The user in charge of this company (the manager in Integria).",
    )
    crm_owner_id = fields.Many2one(
        "res.users",
        string="CRM Owner",
        related="crm_company_id.owner_id",
        store=True,
        index="btree_not_null",
        help="The owner of the record's CRM company, stored on its contacts too so that record rules need no join.",
    )
    crm_role_id = fields.Many2one("integria.crm.role", string="CRM Role", index="btree_not_null", tracking=True)
    last_activity_date = fields.Datetime(
        string="Last Activity",
        index="btree_not_null",
        copy=False,
        help="Moves when a note, contract, invoice or lead of the company is added or changed.",
    )
    mobile = fields.Char()
    payment_conditions = fields.Selection(PAYMENT_CONDITIONS)
    crm_properties = fields.Properties(
        string="Custom Fields",
        definition="crm_properties_definition_id.properties_definition",
        copy=True,
    )
    crm_properties_definition_id = fields.Many2one(
        "properties.base.definition",
        string="Custom Fields Definition",
        compute="_compute_crm_properties_definition_id",
        search="_search_crm_properties_definition_id",
    )
    crm_can_write = fields.Boolean(
        string="Can Edit",
        compute="_compute_crm_can_write",
        help="Whether the current user may change this record; forms show it read-only otherwise.",
    )
    crm_contact_count = fields.Integer(compute="_compute_crm_contact_count", string="Contacts")
    crm_visibility_note = fields.Char(
        string="Who Sees It",
        compute="_compute_crm_visibility_note",
        help="Who sees this company under the CRM's rules (docs/permissions.md).",
    )

    _crm_path_pattern_idx = models.Index("(crm_path text_pattern_ops) WHERE crm_path IS NOT NULL")

    # ------------------------------------------------------------------
    # Compute and constraint methods
    # ------------------------------------------------------------------
    @api.depends("is_crm_company", "parent_id", "parent_id.is_crm_company", "partner_share")
    def _compute_crm_company_id(self):
        for partner in self:
            if partner.is_crm_company:
                partner.crm_company_id = partner
            elif partner.parent_id.is_crm_company and partner.partner_share:
                # the partner of an internal user stays visible to colleagues
                partner.crm_company_id = partner.parent_id
            else:
                partner.crm_company_id = False

    @api.depends(
        "is_company",
        "is_crm_company",
        "crm_parent_id.crm_path",
        "parent_id.crm_path",
        "parent_id.is_crm_company",
    )
    def _compute_crm_path(self):
        for partner in self:
            if partner.is_company or partner.is_crm_company:
                partner.crm_path = child_path(partner.crm_parent_id.crm_path, partner._origin.id or partner.id)
            elif partner.parent_id.is_crm_company:
                partner.crm_path = partner.parent_id.crm_path
            else:
                partner.crm_path = False

    @api.depends("is_crm_company")
    def _compute_owner_id(self):
        for partner in self:
            if partner.is_crm_company and not partner.owner_id:
                partner.owner_id = self.env.user
            elif not partner.owner_id:
                partner.owner_id = False

    def _compute_crm_properties_definition_id(self):
        self.crm_properties_definition_id = self._crm_properties_definition()

    def _search_crm_properties_definition_id(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [(1, "=", 1)] if self._crm_properties_definition().id in value else [(0, "=", 1)]

    @api.depends_context("uid")
    def _compute_crm_can_write(self):
        writable = self._origin._filtered_access("write")
        for partner in self:
            partner.crm_can_write = not partner._origin or partner._origin in writable

    @api.depends("crm_parent_id", "owner_id")
    def _compute_crm_visibility_note(self):
        for partner in self:
            if partner.crm_parent_id:
                partner.crm_visibility_note = self.env._(
                    "Seen by its owner and by the users of %(parent)s and of the companies above it.",
                    parent=partner.crm_parent_id.display_name,
                )
            else:
                partner.crm_visibility_note = self.env._(
                    "Without a parent company only its owner (%(owner)s) and the administrators see it: "
                    "choose a parent company so that your colleagues see it too.",
                    owner=partner.owner_id.name or self.env._("nobody"),
                )

    def _compute_crm_contact_count(self):
        groups = self.env["res.partner"]._read_group(
            [("parent_id", "in", self.ids), ("is_company", "=", False)], ["parent_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.crm_contact_count = counts.get(partner.id, 0)

    @api.constrains("crm_parent_id")
    def _check_crm_parent_id(self):
        if self._has_cycle("crm_parent_id"):
            raise ValidationError(
                self.env._("A company cannot hang from itself or from one of its own child companies.")
            )
        if any(partner.crm_parent_id and not partner.crm_parent_id.is_company for partner in self):
            raise ValidationError(self.env._("The parent company must be a company, not an individual."))

    def _field_to_sql(self, alias, fname, query=None):
        if fname == "crm_properties_definition_id":
            # group by and export read the definition straight from SQL
            return SQL("%s", self._crm_properties_definition().id)
        return super()._field_to_sql(alias, fname, query)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        context = self.env.context
        creates_crm_company = (defaults.get("is_crm_company") or context.get("default_is_crm_company")) and (
            defaults.get("is_company") or context.get("default_is_company")
        )
        if "crm_parent_id" in fields_list and creates_crm_company and not defaults.get("crm_parent_id"):
            # the manual's advice: the users' own company is the parent of
            # every customer, so that their colleagues see it
            defaults["crm_parent_id"] = self.env.user.crm_company_id.id
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        if any(CRM_ACCESS_FIELDS.intersection(vals) - {"parent_id"} for vals in vals_list):
            self._check_crm_level("write")
        definition = self._crm_properties_definition().id
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("crm_properties_definition_id", definition)
            if vals.get("is_crm_company"):
                vals.setdefault("last_activity_date", now)
        partners = super().create(vals_list)
        partners._touch_crm_activity(only_contacts=True)
        return partners

    def write(self, vals):
        if CRM_ACCESS_FIELDS.intersection(vals) - {"parent_id"}:
            self._check_crm_level("write")
        if vals.get("crm_parent_id"):
            self._check_crm_parent_cycle(self.browse(vals["crm_parent_id"]))
        result = super().write(vals)
        if CRM_PATH_FIELDS.intersection(vals):
            self.env.registry.clear_cache()
        if CRM_RECHECK_FIELDS.intersection(vals) and not self.env.su:
            self.check_access("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_parent(self):
        children = (
            self.env["res.partner"]
            .sudo()
            .search([("crm_parent_id", "in", self.ids), ("id", "not in", self.ids)], limit=1)
        )
        if children:
            raise UserError(
                self.env._(
                    "%(company)s cannot be deleted: %(child)s hangs from it. Move or delete its child companies first.",
                    company=children.crm_parent_id.display_name,
                    child=children.display_name,
                )
            )

    def unlink(self):
        crm_companies = self.filtered("is_crm_company")
        if crm_companies:
            contacts = self.with_context(active_test=False).search(
                [("parent_id", "in", crm_companies.ids), ("is_company", "=", False), ("id", "not in", self.ids)]
            )
            contacts.unlink()
        return super().unlink()

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------
    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        self._touch_crm_activity()
        return message

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_crm_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("integria_crm.action_integria_crm_contact")
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {"default_parent_id": self.id, "default_is_company": False}
        return action

    # ------------------------------------------------------------------
    # Business helpers
    # ------------------------------------------------------------------
    @api.model
    def _crm_properties_definition(self):
        definitions = self.env["properties.base.definition"].sudo()
        return definitions._get_definition_for_property_field(self._name, "crm_properties")

    def _check_crm_level(self, level):
        """Refuse CRM changes to users without the CRM ``level`` group."""
        if self.env.su or self.env.user.has_group(f"integria_crm.group_crm_{level}"):
            return
        raise AccessError(self.env._("You need the CRM level %(level)s to change CRM companies.", level=level))

    def _check_crm_parent_cycle(self, new_parent):
        for partner in self:
            if partner.id and (partner == new_parent or partner.id in path_ids(new_parent.sudo().crm_path)):
                raise ValidationError(
                    self.env._(
                        "%(parent)s cannot be the parent company of %(company)s: it already hangs from %(company)s.",
                        parent=new_parent.sudo().display_name,
                        company=partner.display_name,
                    )
                )

    def _touch_crm_activity(self, only_contacts=False):
        """Move the last-activity date of the CRM companies of these records.

        Many saves touch one company at the same moment (colleagues on one
        customer, leads arriving from the API). A plain UPDATE of its row
        would make all but the first of them fail under Odoo's REPEATABLE
        READ isolation, so the date is moved only where no concurrent
        transaction is moving it already: a row locked by one is skipped, a
        row that one has just committed raises a serialization failure that
        the savepoint absorbs. Either way the date moves to the same moment.
        """
        partners = self.filtered(lambda p: not p.is_crm_company) if only_contacts else self
        companies = partners.sudo().crm_company_id
        if not companies:
            return
        companies.flush_recordset(["last_activity_date"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """UPDATE res_partner SET last_activity_date = %(now)s
                            WHERE id IN (SELECT id FROM res_partner
                                          WHERE id = ANY(%(ids)s)
                                            AND (last_activity_date IS NULL OR last_activity_date < %(now)s)
                                            FOR NO KEY UPDATE SKIP LOCKED)""",
                        now=fields.Datetime.now(),
                        ids=companies.ids,
                    ),
                    log_exceptions=False,
                )
        except pg_errors.SerializationFailure:
            _logger.debug("Last activity of %s moved by a concurrent transaction", companies)
        companies.invalidate_recordset(["last_activity_date"], flush=False)
