import GRDB

/// Table changes that SQLite's `ALTER TABLE` cannot make, done by rebuilding the table the
/// way SQLite's documentation prescribes ("Making Other Kinds Of Table Schema Changes",
/// lang_altertable.html §7): a new table, the rows copied, the old one dropped, the new one
/// renamed, its indexes and triggers made again. Runs inside a migration, which GRDB runs
/// with foreign keys off and checks (`PRAGMA foreign_key_check`) before it commits.
enum SchemaRebuild {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Makes `table`'s `id INTEGER PRIMARY KEY` an `AUTOINCREMENT` one, so that an id is never
    /// handed out twice, even after the row with the highest id was deleted (without it SQLite
    /// takes max(rowid)+1: an emptied queue starts again at 1). The table's current definition
    /// is read from `sqlite_master`, so columns added later by `ALTER TABLE` come along.
    static func addAutoincrement(_ db: Database, table: String) throws {
        guard
            let definition = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])
        else { throw Failure(description: "no table \(table)") }
        if definition.uppercased().contains("AUTOINCREMENT") { return }
        var columnsSQL = definition
        guard let key = columnsSQL.range(of: "id INTEGER PRIMARY KEY") else {
            throw Failure(description: "\(table) has no `id INTEGER PRIMARY KEY`")
        }
        columnsSQL.replaceSubrange(key, with: "id INTEGER PRIMARY KEY AUTOINCREMENT")
        // `CREATE TABLE name (…)`: everything from the parenthesis on is the definition.
        guard let open = columnsSQL.firstIndex(of: "(") else { throw Failure(description: "cannot read \(table)'s definition") }
        let body = columnsSQL[open...]
        let rebuilt = table + "_rebuild"

        // Indexes and triggers on the table go with DROP TABLE; triggers on other tables and
        // views that name it would make the RENAME fail while it is missing. All are made again
        // from their own SQL afterwards. (UNIQUE constraints' automatic indexes have no SQL:
        // the new table's definition makes them.)
        let dependents = try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND (type IN ('trigger', 'view') OR (type = 'index' AND tbl_name = ?))
                ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'index' THEN 1 ELSE 2 END
                """, arguments: [table]
        ).map { (type: $0["type"] as String, name: $0["name"] as String, sql: $0["sql"] as String) }
        for item in dependents where item.type != "index" {
            try db.execute(sql: "DROP \(item.type == "view" ? "VIEW" : "TRIGGER") \(item.name.quotedDatabaseIdentifier)")
        }

        let columns = try db.columns(in: table).map(\.name.quotedDatabaseIdentifier).joined(separator: ", ")
        try db.execute(sql: "CREATE TABLE \(rebuilt.quotedDatabaseIdentifier) \(body)")
        // Copying the rows with their ids sets sqlite_sequence to the highest one.
        try db.execute(
            sql: "INSERT INTO \(rebuilt.quotedDatabaseIdentifier) (\(columns)) SELECT \(columns) FROM \(table.quotedDatabaseIdentifier)")
        try db.execute(sql: "DROP TABLE \(table.quotedDatabaseIdentifier)")
        try db.execute(sql: "ALTER TABLE \(rebuilt.quotedDatabaseIdentifier) RENAME TO \(table.quotedDatabaseIdentifier)")
        for item in dependents {
            try db.execute(sql: item.sql)
        }
    }
}
