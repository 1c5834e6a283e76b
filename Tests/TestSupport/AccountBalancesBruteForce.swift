import GRDB

/// The demo's `account_balances` read model as it must be on a SQLite store, computed by SQL over
/// `es_events` alone: per visible account stream up to `checkpoint`, the sum of deposits minus
/// withdrawals in cents (SQLite's JSON functions read both amount shapes the demo writes), the
/// counts, no unreadable amount, and the last position. Rows as `demo_account_balances` lists them.
public enum AccountBalancesBruteForce {
    public static func expected(_ db: Database, through checkpoint: Int64) throws -> [[String]] {
        try strings(db, sql: """
            SELECT e.stream_id,
              COALESCE(SUM(CASE e.event_type WHEN 'MoneyDeposited' THEN 1 WHEN 'MoneyWithdrawn' THEN -1 END
                * CAST(ROUND(CAST(COALESCE(json_extract(e.data, '$.amount.value'), json_extract(e.data, '$.amount')) AS REAL) * 100) AS INTEGER)), 0),
              SUM(e.event_type = 'MoneyDeposited'), SUM(e.event_type = 'MoneyWithdrawn'), 0, MAX(e.global_position)
            FROM es_events e
            WHERE e.event_type IN ('AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn') AND e.global_position <= ?
              AND EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            GROUP BY e.stream_id ORDER BY e.stream_id
            """, arguments: [checkpoint])
    }

    /// The read model as the projection left it.
    public static func actual(_ db: Database) throws -> [[String]] {
        try strings(db, sql: """
            SELECT stream_id, balance_cents, deposits, withdrawals, unreadable, last_position FROM demo_account_balances ORDER BY stream_id
            """)
    }

    static func strings(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [[String]] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in row.databaseValues.map { String(describing: $0) } }
    }
}
