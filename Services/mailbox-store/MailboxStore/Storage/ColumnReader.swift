import GRDB
import GRDBSQLite

/// One result row of a stepped statement, read with `sqlite3_column_*`: integers as they are,
/// text as bytes SQLite holds until the next step. SORT and THREAD read 100,000 rows this way,
/// with no `Row` and no `String` per row (docs/BENCHMARKS.md, read model).
struct ColumnReader {
    let handle: OpaquePointer

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column's text, nil for NULL; valid until the next step.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The column's bytes as a blob, nil for NULL; valid until the next step.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer? {
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        if bytes == nil { return sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes, count: count)
    }

    /// Steps `sql` to its end, calling `body` for each row.
    static func each(_ db: Database, sql: String, arguments: StatementArguments, _ body: (ColumnReader) throws -> Void) throws {
        _ = try eachWhile(db, sql: sql, arguments: arguments) { row in
            try body(row)
            return true
        }
    }

    /// Steps `sql` while `body` returns true; false when `body` stopped it before the end.
    static func eachWhile(_ db: Database, sql: String, arguments: StatementArguments, _ body: (ColumnReader) throws -> Bool)
        throws -> Bool
    {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let row = ColumnReader(handle: handle)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return true }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) },
                    sql: sql)
            }
            if try !body(row) { return false }
        }
    }
}
