import Foundation
import Testing
import GRDB
@testable import Progress
@testable import Exercises

/// A store holding one session of two questions (one answered), three exercise records and a lesson read.
private func filledStore() throws -> ProgressStore {
    let store = try temporaryStore()
    let id = try store.startSession(selection: "all topics", seed: 5, plan: [PlannedSlot(id: "a", seed: 1), PlannedSlot(id: "b", seed: 2)], now: noon)
    try store.record(result("a", .correct), session: id, position: 1, now: noon)
    try store.record(result("b", .wrong), now: noon)
    try store.record(result("c", .correct), now: noon)
    try store.markLessonRead("multi-head", now: noon)
    try store.endSession(id, ending: "quit", now: noon)
    return store
}

@Suite("A damaged store is read without a trap and recovered when written")
struct StoreRecoveryTests {
    /// Every TEXT column the store reads back.
    static let textColumns = [("exercise_state", "last_outcome"), ("exercise_state", "exercise_id"), ("exercise_state", "hash"),
                              ("exercise_state", "set_name"), ("lesson_read", "name"), ("session", "plan"),
                              ("session", "selection"), ("session", "ending")]

    @Test("a BLOB that is not UTF-8 in any TEXT column is a damaged record, reported and skipped, never a trap",
          arguments: textColumns)
    func blobInTextColumn(table: String, column: String) throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try DatabaseQueue(path: store.fileURL.path).write { db in
            try db.execute(sql: "UPDATE \(table) SET \(column) = X'FF80FE' WHERE rowid = (SELECT MIN(rowid) FROM \(table))")
        }
        let (snapshot, warnings) = try store.snapshot()
        #expect(warnings.contains { $0.contains("damaged record") }, "\(warnings)")
        switch table {
        case "exercise_state": #expect(snapshot.states.count == 2)
        case "lesson_read": #expect(snapshot.lessonsRead.isEmpty)
        default: #expect(snapshot.sessions.isEmpty)
        }
        // Writing over the damaged record works too.
        try store.record(result("a", .correct), now: noon)
        #expect(try store.snapshot().snapshot.states["a@h"] != nil)
    }

    @Test("progress --export reads a BLOB in result and lesson_read's TEXT columns as a damaged row to leave out, not a trap")
    func blobInExport() throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try DatabaseQueue(path: store.fileURL.path).write { db in
            try db.execute(sql: "UPDATE result SET exercise_id = X'FF80' WHERE rowid = (SELECT MIN(rowid) FROM result)")
            try db.execute(sql: "UPDATE lesson_read SET name = X'FF80'")
        }
        let file = try store.exportFile()
        #expect(file.results.count == 2)
        #expect(file.lessons.isEmpty)
    }

    @Test("a BLOB in the bank cache's columns is a stale cache, not a trap")
    func blobInBankCache() throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        let root = store.directory.appendingPathComponent("content")
        try store.cacheBank(root: root, entries: [], stamp: BankStamp.current(root: root))
        #expect(store.cachedBank(root: root) == [])
        try DatabaseQueue(path: store.fileURL.path).write { try $0.execute(sql: "UPDATE bank_cache SET entries = X'FF80'") }
        #expect(store.cachedBank(root: root) == nil)
    }

    @Test("a zeroed page 1 is moved aside with one message and progress starts afresh")
    func zeroedFirstPage() throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        try zeroPage(1, of: store.fileURL)
        let warnings = try ProgressStore(directory: store.directory).recoverIfDamaged()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("was damaged; it was moved to") == true, "\(warnings)")
        #expect(warnings.first?.contains("nothing in it could be read") == true, "\(warnings)")
        let (snapshot, after) = try store.snapshot()
        #expect(after.isEmpty && snapshot.states.isEmpty)
        try store.record(result("d", .correct), now: noon)
        #expect(try store.snapshot().snapshot.states.count == 1)
    }

    @Test("a zeroed page 4 is found by quick_check; what can be read is kept and counted")
    func zeroedFourthPage() throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        let before = try DatabaseQueue(path: store.fileURL.path).read { db in
            try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE rootpage = 4")
        }
        try zeroPage(4, of: store.fileURL)
        let warnings = try ProgressStore(directory: store.directory).recoverIfDamaged()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("could be read and were kept") == true, "\(warnings)")
        let (snapshot, after) = try store.snapshot()
        #expect(after.isEmpty, "\(after)")
        // Page 4 held one table (\(before ?? "?")); the others were salvaged whole.
        #expect(snapshot.states.count == 3 || before == "exercise_state")
        #expect(snapshot.lessonsRead.count == 1 || before == "lesson_read")
        // The next write does not move anything aside again.
        #expect(try store.record(result("d", .correct), now: noon).isEmpty)
        let aside = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("progress.corrupt-") && $0.hasSuffix(".sqlite") }
        #expect(aside.count == 1)
    }

    @Test("a missing table or a missing column is damage too, recovered on the next write")
    func wrongSchema() throws {
        for change in ["DROP TABLE exercise_state", "ALTER TABLE lesson_read RENAME COLUMN at TO when_read"] {
            let store = try filledStore()
            defer { try? FileManager.default.removeItem(at: store.directory) }
            try DatabaseQueue(path: store.fileURL.path).write { try $0.execute(sql: change) }
            let warnings = try ProgressStore(directory: store.directory).recoverIfDamaged()
            #expect(warnings.count == 1, "\(change): \(warnings)")
            let snapshot = try store.snapshot().snapshot
            #expect(snapshot.sessions.count == 1, "\(change)")
        }
    }

    @Test("seeded byte flips in a copy of a real store never trap: progress or a recovery message", arguments: 0..<40)
    func byteFlips(seed: Int) throws {
        let store = try filledStore()
        defer { try? FileManager.default.removeItem(at: store.directory) }
        var bytes = try [UInt8](Data(contentsOf: store.fileURL))
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<(1 + Int(next() % 8)) {
            let index = Int(next() % UInt64(bytes.count))
            bytes[index] ^= UInt8(1 << (next() % 8))
        }
        try Data(bytes).write(to: store.fileURL)
        let read = try? store.snapshot()
        let recovered = try ProgressStore(directory: store.directory).recoverIfDamaged()
        let after = try store.snapshot()
        #expect(read != nil || !recovered.isEmpty)
        #expect(!after.snapshot.sessions.isEmpty || !after.snapshot.states.isEmpty || !recovered.isEmpty || !(read?.warnings.isEmpty ?? true))
        try store.record(result("z", .correct), now: noon)
        #expect(try store.snapshot().snapshot.states["z@h"] != nil)
    }
}

/// Overwrites page `number` (counting from 1) of the database at `url` with zeros.
func zeroPage(_ number: Int, of url: URL) throws {
    let pageSize = try DatabaseQueue(path: url.path).read { try Int.fetchOne($0, sql: "PRAGMA page_size") } ?? 4096
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64((number - 1) * pageSize))
    try handle.write(contentsOf: Data(count: pageSize))
}
