"""``analyze_grown_tables`` on a real PostgreSQL: the tables whose committed
changes outgrew their statistics are analyzed, the others left alone."""

import os
import time
import uuid

import psycopg2
import pytest
from conftest import load_tool

table_statistics = load_tool("table_statistics")


@pytest.fixture
def cursor():
    connection = psycopg2.connect(
        dbname="postgres",
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "root"),
    )
    connection.autocommit = True
    schema = f"stats_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cr:
        cr.execute(f'CREATE SCHEMA "{schema}"')
        cr.execute(f'SET search_path TO "{schema}"')
        try:
            yield cr
        finally:
            cr.execute(f'DROP SCHEMA "{schema}" CASCADE')
    connection.close()


def statistics(cr, table):
    cr.execute(
        """
        SELECT c.reltuples, s.last_analyze IS NOT NULL
          FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE c.oid = %s::regclass
        """,
        (table,),
    )
    return cr.fetchone()


def wait_for_counts(cr, table, changed):
    """The backend reports its table counters to the statistics views at
    most once a second: wait until ``table`` shows ``changed`` rows."""
    for _attempt in range(50):
        cr.execute("SELECT pg_stat_force_next_flush()")
        cr.execute("SELECT pg_stat_clear_snapshot()")
        cr.execute("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relid = %s::regclass", (table,))
        count = cr.fetchone()[0]
        if count >= changed if changed else count == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"{table} never showed its {changed} changed rows")


def analyze(cr, table, rows):
    """ANALYZE ``table`` once the counters of its ``rows`` reached the
    views (counted after the analysis, they would count as changes since)."""
    wait_for_counts(cr, table, rows)
    cr.execute(f"ANALYZE {table}")
    wait_for_counts(cr, table, 0)


def test_a_grown_table_is_analyzed_and_a_small_change_is_not(cursor):
    cursor.execute("CREATE TABLE grown (id int PRIMARY KEY, name text)")
    cursor.execute("CREATE TABLE steady (id int PRIMARY KEY, name text)")
    cursor.execute("INSERT INTO steady SELECT n, 'row ' || n FROM generate_series(1, 5000) n")
    cursor.execute("INSERT INTO grown SELECT n, 'row ' || n FROM generate_series(1, 5) n")
    analyze(cursor, "steady", 5000)
    analyze(cursor, "grown", 5)
    # the statistics say 5 rows; the table grows to 20,005
    cursor.execute("INSERT INTO grown SELECT n, 'row ' || n FROM generate_series(6, 20005) n")
    # 100 of steady's 5,000 rows change: under the thresholds
    cursor.execute("UPDATE steady SET name = name || '!' WHERE id <= 100")
    wait_for_counts(cursor, "grown", 20000)
    wait_for_counts(cursor, "steady", 100)

    assert table_statistics.analyze_grown_tables(cursor) == ["grown"]
    reltuples, analyzed = statistics(cursor, "grown")
    assert analyzed and reltuples == 20005
    assert statistics(cursor, "steady")[0] == 5000

    # analyzed: nothing left to do
    wait_for_counts(cursor, "grown", 0)
    assert table_statistics.analyze_grown_tables(cursor) == []


def test_the_share_counts_against_the_rows_the_statistics_know(cursor):
    cursor.execute("CREATE TABLE big (id int PRIMARY KEY)")
    cursor.execute("INSERT INTO big SELECT generate_series(1, 50000)")
    analyze(cursor, "big", 50000)
    # 5,000 new rows: over 1,000 but 10 % of 50,000, under the 20 %
    cursor.execute("INSERT INTO big SELECT generate_series(50001, 55000)")
    wait_for_counts(cursor, "big", 5000)
    assert table_statistics.analyze_grown_tables(cursor) == []
    assert table_statistics.analyze_grown_tables(cursor, share=0.05) == ["big"]
