import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thrown while opening for writing when the database is damaged (a page that does not read, a
/// missing table, a missing column); the store then moves it aside and salvages it.
struct StoreDamage: Error {}

/// Proving a database whole, and copying what can be read of a damaged one into a fresh one.
enum StoreSalvage {
    /// What a salvage kept.
    struct Kept: Equatable {
        /// Rows of `result` (finished questions) copied.
        var results = 0
        /// Exercise records copied.
        var exercises = 0
    }

    /// The tables the store needs, in the order they are salvaged.
    static let tables = ["session", "result", "attempt", "exercise_state", "lesson_read"]

    /// Whether `db` is damaged: a table of `schema` missing, a column of one missing, or
    /// `PRAGMA quick_check` finding a page that does not read. A damaged page may also throw
    /// `SQLITE_CORRUPT`, which the caller treats the same way.
    static func damage(_ db: Database, schema: String) throws -> Bool {
        let expected = try columns(of: schema)
        for (table, names) in expected {
            let present = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").compactMap { ProgressStore.text($0, "name") }
            if present.isEmpty || !Set(names).isSubset(of: present) { return true }
        }
        let check = try Row.fetchAll(db, sql: "PRAGMA quick_check").compactMap { ($0[0] as (any DatabaseValueConvertible)?) as? String }
        return check != ["ok"]
    }

    /// Every table's columns in `schema`, read from an in-memory database that runs it.
    private static func columns(of schema: String) throws -> [(String, [String])] {
        let scratch = try DatabaseQueue()
        return try scratch.write { db in
            try db.execute(sql: schema)
            return try tables.map { table in
                (table, try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").compactMap { ProgressStore.text($0, "name") })
            }
        }
    }

    /// Copies every row that can be read from the damaged database at `damaged` into `queue`, table
    /// by table; a table's read stops at its first page that does not read. Exercise records and
    /// sessions are copied only when their values are valid, so the fresh store holds no damage.
    static func copy(from damaged: URL, into queue: DatabaseQueue) -> Kept {
        var kept = Kept()
        var configuration = Configuration()
        configuration.readonly = true
        guard let source = try? DatabaseQueue(path: damaged.path, configuration: configuration) else { return kept }
        for table in tables {
            let rows = readable(source, table)
            guard !rows.isEmpty else { continue }
            try? queue.write { db in
                let names = Set(try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").compactMap { ProgressStore.text($0, "name") })
                for row in rows {
                    if table == "exercise_state", ProgressStore.state(from: row) == nil { continue }
                    if table == "session", !validSession(row) { continue }
                    let columns = row.columnNames.filter(names.contains)
                    guard !columns.isEmpty else { continue }
                    let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
                    let values = columns.map { row[$0] as DatabaseValue }
                    try db.execute(sql: "INSERT OR IGNORE INTO \(table) (\(list)) VALUES (\(marks))", arguments: StatementArguments(values))
                    guard db.changesCount > 0 else { continue }
                    if table == "result" { kept.results += 1 }
                    if table == "exercise_state" { kept.exercises += 1 }
                }
            }
        }
        return kept
    }

    /// The rows of `table` read before its first page that does not read.
    private static func readable(_ source: DatabaseQueue, _ table: String) -> [Row] {
        var rows: [Row] = []
        try? source.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table)")
            while let row = try cursor.next() { rows.append(row.copy()) }
        }
        return rows
    }

    private static func validSession(_ row: Row) -> Bool {
        guard let plan = ProgressStore.text(row, "plan"), ProgressStore.text(row, "selection") != nil,
              (try? JSONDecoder().decode([PlannedSlot].self, from: Data(plan.utf8))) != nil else { return false }
        return true
    }
}

extension ProgressStore {
    /// Why the file at `url` cannot be the progress database, or nil when it is a regular file (or a
    /// link to one) or does not exist: a folder, a FIFO, a socket or device (`/dev/null`), a
    /// symbolic link to nothing, or a loop. SQLite would hang on a FIFO and misname the others.
    static func fileProblem(at url: URL) -> String? {
        let path = url.path
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let advice = "move it away or point XDG_STATE_HOME at another folder"
        if info.st_mode & S_IFMT == S_IFLNK {
            if stat(path, &info) != 0 {
                if errno == ELOOP { return "\(path) is a symbolic link loop; remove it or point XDG_STATE_HOME at another folder" }
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                return "\(path) is a symbolic link to \(target), which does not exist; remove the link or restore \(target)"
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "\(path) is a folder, not a progress database; \(advice)"
        case S_IFIFO: return "\(path) is a FIFO (a named pipe), not a progress database; \(advice)"
        case S_IFSOCK: return "\(path) is a socket, not a progress database; \(advice)"
        default: return "\(path) is a device (such as /dev/null), not a progress database; \(advice)"
        }
    }
}
