from odoo import api, fields, models

from ..tools.lead_progress import OPEN_CODES, PROGRESS_CODES, WON_CODE

STAGE_CODES = [(str(code), name) for code, name in PROGRESS_CODES.items() if code in OPEN_CODES or code == WON_CODE]


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
