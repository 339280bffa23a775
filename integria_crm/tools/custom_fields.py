"""Custom fields are Odoo properties: one definition of which ones hold a value."""


def value_fields(definition):
    """The custom fields of a properties ``definition`` that hold a value, in
    order: separators (section titles) take no column and no macro."""
    return [prop for prop in definition or [] if prop.get("type") != "separator"]
