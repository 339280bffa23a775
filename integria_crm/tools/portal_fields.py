"""Which custom fields of a contract its customer sees in the portal.

A contract type marks each custom field shown in the portal with a key of its
own in the properties definition (allowed by ``models/base.py``); the others
stay for the users of the CRM.
"""

PORTAL_KEY = "integria_portal"


def portal_fields(properties):
    """Return the custom fields of ``properties`` (a definition, or values in
    the read format) that the portal shows, separators excluded, in order."""
    return [prop for prop in properties or [] if prop.get(PORTAL_KEY) and prop.get("type") != "separator"]
