from . import lead_intake
from . import csv_export
from . import portal
