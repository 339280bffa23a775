from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools.lead_progress import OPEN_CODES, PROGRESS_CODES, WON_CODE

_lt = LazyTranslate(__name__)

STAGE_CODES = [(str(code), name) for code, name in PROGRESS_CODES.items() if code in OPEN_CODES or code == WON_CODE]


# crm's stages that take Integria's names (crm's "Qualified" and
# "Proposition"), in every language: crm's translations must not win
INTEGRIA_STAGE_NAMES = {
    "crm.stage_lead2": _lt("Meeting Arranged"),
    "crm.stage_lead3": _lt("Needs Discovered"),
}


class CrmStage(models.Model):
    _inherit = "crm.stage"

    integria_code = fields.Selection(
        STAGE_CODES,
        string="Integria Progress Code",
        index="btree_not_null",
        copy=False,
        help="The progress code of Integria that this stage stands for; "
        "stages without one take the code of the stage before them.",
    )

    @api.model
    def _integria_stage_for_code(self, code, team=None):
        """Return the stage of the progress code ``code`` (an open code or
        200): one of the pipeline of ``team`` if any, else a shared one."""
        stages = self.search([("integria_code", "=", str(code))], order="sequence, id")
        own = stages.filtered(lambda stage: team and team in stage.team_ids)
        return (own or stages.filtered(lambda stage: not stage.team_ids) or stages)[:1]

    @api.model
    def _integria_apply_stage_names(self, force=False):
        """Give crm's stages Integria's names in every installed language.

        Called at install (``force``: whatever crm named them) and each time
        the translations are loaded (update, a new language): then only the
        stages whose English name is still Integria's, so that a stage an
        administrator renamed keeps its name.
        """
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for xmlid, name in INTEGRIA_STAGE_NAMES.items():
            stage = self.env.ref(xmlid, raise_if_not_found=False)
            if not stage or (not force and stage.with_context(lang="en_US").name != name._translate("en_US")):
                continue
            for lang in dict.fromkeys(["en_US", *langs]):
                stage.with_context(lang=lang).name = name._translate(lang)
