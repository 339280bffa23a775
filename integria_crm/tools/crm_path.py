"""Ancestry paths of CRM companies.

A company's path lists the ids from the root of its parent chain down to the
company itself, as ``/1/5/9/``. Record rules compare paths with a prefix
``LIKE``, which PostgreSQL answers from a ``text_pattern_ops`` btree index.
"""

NO_MATCH_PREFIX = "!"  # no path starts with it: a pattern that matches nothing


def child_path(parent_path, record_id):
    """Return the path of record ``record_id`` placed under ``parent_path``."""
    return f"{parent_path or '/'}{record_id}/"


def path_ids(path):
    """Return the ids of a path, root first."""
    return [int(part) for part in (path or "").split("/") if part]


def visible_subtree_pattern(path, has_parent):
    """Return the ``=like`` pattern of the companies a member of ``path`` sees.

    Members of a company see the companies that hang from it at any depth; they
    also see their own company when it hangs from another one, since a company
    without a parent "goes on its own" and is seen by its owner alone.
    """
    if not path:
        return NO_MATCH_PREFIX
    return f"{path}%" if has_parent else f"{path}_%"
