"""Reads an Integria IMS database table by table, streamed in id order.

PyMySQL (pure Python, imported only here, only to migrate) over a utf8mb4
connection: MariaDB converts latin1 tables to UTF-8 on the way, and what was
stored twice encoded comes back as such, for ``integria_text.clean_text`` to
repair. Rows come as dicts in batches read one query per batch, so a
table of millions of rows is never held in memory. The session runs in
MariaDB's non-strict mode, as Integria does, so zero dates read as text.
"""

from .integria_source import SourceError, parse_source_url


class IntegriaReader:
    def __init__(self, url, connect_timeout=10):
        self.params = parse_source_url(url)
        self.connect_timeout = connect_timeout
        self._connection = None
        self._tables = None

    @property
    def connection(self):
        if self._connection is None:
            try:
                import pymysql
            except ImportError as error:
                raise SourceError("the migration needs PyMySQL: pip install -r requirements.txt") from error
            try:
                self._connection = pymysql.connect(
                    **self.params, charset="utf8mb4", connect_timeout=self.connect_timeout, autocommit=True
                )
            except pymysql.MySQLError as error:
                raise SourceError(f"cannot read {self.describe()}: {error.args[-1]}") from error
            with self._connection.cursor() as cursor:
                cursor.execute("SET SESSION sql_mode = ''")
        return self._connection

    def describe(self):
        """The source without its password, for reports."""
        params = self.params
        return f"mysql://{params['user']}@{params['host']}:{params['port']}/{params['database']}"

    def tables(self):
        """``{table: charset}`` of the source's tables."""
        if self._tables is None:
            rows = self.query(
                "SELECT t.table_name AS name, c.character_set_name AS charset FROM information_schema.tables t "
                "LEFT JOIN information_schema.collation_character_set_applicability c "
                "ON c.collation_name = t.table_collation WHERE t.table_schema = %s",
                (self.params["database"],),
            )
            self._tables = {row["name"]: row["charset"] for row in rows}
        return self._tables

    def columns(self, table):
        rows = self.query(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            (self.params["database"], table),
        )
        return {row["name"] for row in rows}

    def columns_in_order(self, table):
        """The columns of ``table`` in their order, as Integria's export names them."""
        rows = self.query(
            "SELECT column_name AS name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
            (self.params["database"], table),
        )
        return [row["name"] for row in rows]

    def query(self, sql, params=None):
        import pymysql.cursors

        with self.connection.cursor(pymysql.cursors.DictCursor) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, table, where="1=1"):
        if table not in self.tables():
            return 0
        return self.query(f"SELECT COUNT(*) AS n FROM `{table}` WHERE {where}")[0]["n"]

    def batches(self, table, columns="*", key="id", where="1=1", size=2000):
        """The rows of ``table`` in ``key`` order, ``size`` at a time; ``key``
        is a unique column among ``columns``. A missing table yields nothing.

        Each batch is a query of its own, from the last key read: a result
        streamed through one open query breaks when its reader takes longer
        than the server's ``net_write_timeout`` (60 s by default) to come
        back for more, as a migration writing a chunk of 10,000 records does."""
        if table not in self.tables():
            return
        after = ""
        while True:
            rows = self.query(
                f"SELECT {columns} FROM `{table}` WHERE ({where}){after} ORDER BY `{key}` LIMIT {int(size)}"
            )
            if not rows:
                return
            yield rows
            if len(rows) < size:
                return
            after = f" AND `{key}` > {self.connection.escape(rows[-1][key])}"

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None
