import Foundation
import Testing
import GRDB
@testable import Progress
@testable import Exercises

/// A copy of the schema-1 store main's mhalearn (bc0463e, SM-2) wrote, in a fresh folder.
func schemaOneStore() throws -> ProgressStore {
    let store = try temporaryStore()
    try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
    guard let url = Bundle.module.url(forResource: "progress", withExtension: "sqlite", subdirectory: "Fixtures/store-v1") else {
        throw ProgressError(description: "Fixtures/store-v1/progress.sqlite is missing")
    }
    try FileManager.default.copyItem(at: url, to: store.fileURL)
    return store
}

/// Every result and attempt row, as text, in order.
func recorded(_ store: ProgressStore) throws -> [String] {
    try DatabaseQueue(path: store.fileURL.path).read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM result ORDER BY id").map(\.description)
            + Row.fetchAll(db, sql: "SELECT * FROM attempt ORDER BY id").map(\.description)
            + Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY id").map(\.description)
            + Row.fetchAll(db, sql: "SELECT * FROM lesson_read").map(\.description)
    }
}

@Test("a store written by the SM-2 release migrates on the first write: every attempt, session and counter kept, FSRS state replayed from the results")
func migratesSchemaOne() throws {
    let store = try schemaOneStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let before = try recorded(store)
    #expect(before.filter { $0.contains("exercise_id:") }.count == 12)
    #expect(before.filter { $0.contains("selection:") }.count == 10)
    let (read, warnings) = try store.snapshot()
    #expect(warnings.isEmpty)
    #expect(read.states.count == 4)

    try store.markLessonRead("kv-cache", now: noon)
    let after = try recorded(store)
    #expect(Array(after.prefix(before.count - 1)) == Array(before.prefix(before.count - 1)))
    let version = try DatabaseQueue(path: store.fileURL.path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
    #expect(version == ProgressStore.schemaVersion)
    let (migrated, again) = try store.snapshot()
    #expect(again.isEmpty)
    #expect(migrated.states == read.states, "reading the old store in place and migrating it give the same states")

    let causal = try #require(migrated.states.values.first { $0.id == "att-causal-count" })
    #expect(causal.seen == 6 && causal.correct == 4 && causal.firstTryCorrect == 2 && causal.attempts == 8 && causal.mastered)
    // Its results, oldest first: skipped, Good, wrong (Again), Hard (retry), Hard (hint), Good.
    let fsrs = Scheduler()
    var expected = ProgressStore.dueAt(causal.lastSeen)
    let times = try DatabaseQueue(path: store.fileURL.path).read {
        try Double.fetchAll($0, sql: "SELECT at FROM result WHERE exercise_id = 'att-causal-count' ORDER BY at, id")
    }
    for (time, rating) in zip(times, [Rating.again, .good, .again, .hard, .hard, .good]) {
        expected = fsrs.next(expected, rating: rating, now: time)
    }
    #expect(times.count == 6)
    #expect(causal.schedule == expected)
    let skipped = try #require(migrated.states.values.first { $0.id == "hvl-moe-experts" })
    #expect(skipped.schedule.phase == .learning && skipped.schedule.due == skipped.lastSeen + 60)
}

@Test("the migration is one transaction: a failure inside it leaves the schema-1 store as it was")
func migrationIsAtomic() throws {
    let store = try schemaOneStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let queue = try DatabaseQueue(path: store.fileURL.path)
    let before = try recorded(store)
    #expect(throws: (any Error).self) {
        try queue.inDatabase { db in
            try db.inTransaction {
                try ProgressStore.migrateToFSRS(db)
                throw ProgressError(description: "disk full")
            }
        }
    }
    let columns = try queue.read { try $0.columns(in: "exercise_state").map(\.name) }
    #expect(columns.contains("ease") && !columns.contains("stability"))
    #expect(try recorded(store) == before)
}

@Test("a lapse on review comes back the same day, and the desired retention kept in the store sets the intervals")
func lapseAndRetentionInStore() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    var now = noon
    for _ in 0..<3 {
        try store.record(result("a", .correct), now: now)
        now = Date(timeIntervalSince1970: try #require(store.snapshot().snapshot.states["a@h"]).schedule.due)
    }
    let learned = try #require(store.snapshot().snapshot.states["a@h"])
    #expect(learned.schedule.phase == .review && learned.schedule.due - noon.timeIntervalSince1970 > 2 * Scheduler.day)
    try store.record(result("a", .wrong, attempts: 3), now: now)
    let lapsed = try #require(store.snapshot().snapshot.states["a@h"])
    #expect(lapsed.schedule.phase == .relearning && lapsed.schedule.due == now.timeIntervalSince1970 + 600)
    #expect((lapsed.schedule.stability ?? 99) < (learned.schedule.stability ?? 0))

    try store.setRetention(0.97)
    #expect(try store.snapshot().snapshot.retention == 0.97)
    #expect(throws: ProgressError.self) { try store.setRetention(0.3) }
    try store.record(result("b", .correct), now: noon)
    try store.record(result("b", .correct), now: noon.addingTimeInterval(600))
    let b = try #require(store.snapshot().snapshot.states["b@h"])
    let interval = (b.schedule.due - noon.timeIntervalSince1970 - 600) / Scheduler.day
    #expect(interval == Double(Scheduler(desiredRetention: 0.97).nextInterval(b.schedule.stability ?? 0)))
    #expect(interval < Double(Scheduler().nextInterval(b.schedule.stability ?? 0)))
}
