"""The planner's statistics of the tables a long bulk load grows.

PostgreSQL plans each query from the statistics ``ANALYZE`` last gathered.
Autovacuum refreshes them as tables change, but it may be off (some
installations turn it off for bulk loads) or behind; a table analyzed with 5
rows and holding 50,000 is then read by sequential scans, and a query that
took a millisecond takes a second. A load that commits as it goes refreshes
the statistics of the tables it changed much, as autovacuum would.
"""

from psycopg2 import sql

# A table is analyzed again once this many of its rows, and this share of
# them, changed since it last was (autovacuum's defaults are 50 and 10 %).
MIN_CHANGED_ROWS = 1000
MIN_CHANGED_SHARE = 0.2


def analyze_grown_tables(cr, min_rows=MIN_CHANGED_ROWS, share=MIN_CHANGED_SHARE):
    """Analyze the tables of the current schema whose committed changes since
    their last analysis exceed ``min_rows`` and ``share`` of their rows;
    return their names. ``cr`` is any DB-API cursor (an Odoo cursor or a
    psycopg2 one)."""
    cr.execute(
        """
        SELECT s.relname
          FROM pg_stat_user_tables s
          JOIN pg_class c ON c.oid = s.relid
         WHERE s.schemaname = current_schema()
           AND s.n_mod_since_analyze > GREATEST(%s, %s * GREATEST(c.reltuples, 0))
         ORDER BY s.relname
        """,
        (min_rows, share),
    )
    tables = [name for (name,) in cr.fetchall()]
    for name in tables:
        cr.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))
    return tables
