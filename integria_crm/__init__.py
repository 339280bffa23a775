from . import models

# isort: split
from . import report, wizards
