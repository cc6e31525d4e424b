import Foundation
import Testing
import GRDB
@testable import Progress
@testable import Exercises

let noon = Date(timeIntervalSince1970: 1_764_590_400) // 2025-12-01T12:00:00Z

func result(_ id: String, _ outcome: QuestionOutcome, set: String = "s", attempts: Int = 1, hints: Int = 0) -> QuestionResult {
    QuestionResult(id: id, set: set, hash: "h", seed: 1, outcome: outcome,
                   score: outcome == .correct ? Credit.value(best: 1, attempts: attempts, hints: hints) : 0,
                   attempts: attempts, hints: hints, seconds: 2,
                   entries: [AttemptEntry(answer: "x", grade: outcome == .correct ? .correct : .wrong, score: 0, hintsBefore: hints, seconds: 2)])
}

@Test("the store lives under XDG_STATE_HOME, else ~/.local/state")
func defaultDirectory() {
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/u"]).path == "/x/state/mhalearn")
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "", "HOME": "/home/u"]).path == "/home/u/.local/state/mhalearn")
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]).path == "/home/u/.local/state/mhalearn")
}

@Test("every attempt is kept, and only a first-try answer without a hint masters an exercise")
func recordAndReload() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("a", .correct, attempts: 2), now: noon)
    try store.record(result("b", .correct, hints: 1), now: noon)
    try store.record(result("c", .correct), now: noon)
    try store.record(result("d", .skipped), now: noon)
    try store.record(result("e", .unanswered), now: noon)
    let (snapshot, warnings) = try store.snapshot()
    #expect(warnings.isEmpty)
    #expect(snapshot.states.count == 4)
    let a = try #require(snapshot.states["a@h"])
    #expect(a.seen == 1 && a.correct == 1 && a.firstTryCorrect == 0 && a.attempts == 2 && a.learned && !a.mastered)
    #expect(snapshot.states["b@h"]?.learned == true)
    #expect(snapshot.states["c@h"]?.mastered == true)
    #expect(snapshot.states["d@h"]?.mastered == false)
    let attempts = try DatabaseQueue(path: store.fileURL.path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM attempt") }
    #expect(attempts == 4)
}

@Test("the database is in WAL mode")
func walMode() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("a", .correct), now: noon)
    let mode = try DatabaseQueue(path: store.fileURL.path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
}

@Test("reading progress that does not exist creates no folder and no file")
func readingCreatesNothing() throws {
    let store = try temporaryStore()
    let (snapshot, warnings) = try store.snapshot()
    #expect(snapshot.states.isEmpty && warnings.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: store.directory.path))
    let (removed, _) = try store.reset(set: nil)
    #expect(removed == 0)
    #expect(!FileManager.default.fileExists(atPath: store.directory.path))
}

@Test("two sessions writing at once lose nothing")
func concurrentWriters() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("seed", .correct), now: noon)
    DispatchQueue.concurrentPerform(iterations: 40) { index in
        let other = ProgressStore(directory: store.directory)
        _ = try? other.record(result("q\(index % 4)", .correct), now: noon)
    }
    let states = try store.snapshot().snapshot.states.values.filter { $0.id.hasPrefix("q") }
    #expect(states.reduce(0) { $0 + $1.seen } == 40)
}

@Test("a damaged database is reported when read and moved aside by the next write, never silently replaced")
func corruptDatabaseKeptAside() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
    try Data(String(repeating: "not a database ", count: 100).utf8).write(to: store.fileURL)
    let read = try store.snapshot()
    #expect(read.warnings.first?.contains("is damaged") == true)
    let warnings = try store.record(result("a", .correct), now: noon)
    #expect(warnings.first?.contains("was damaged; it was moved to") == true)
    let aside = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("progress.corrupt-") }
    #expect(aside.count == 1)
    #expect(try store.snapshot().snapshot.states.count == 1)
}

@Test("stored counters near Int.max, negative or of the wrong type are ignored and reported, never a crash")
func outOfRangeValuesIgnored() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("good", .correct), now: noon)
    try store.record(result("huge", .correct), now: noon)
    try store.record(result("negative", .correct), now: noon)
    try store.record(result("text", .correct), now: noon)
    let queue = try DatabaseQueue(path: store.fileURL.path)
    try queue.write { db in
        try db.execute(sql: "UPDATE exercise_state SET seen = 9223372036854775807 WHERE exercise_id = 'huge'")
        try db.execute(sql: "UPDATE exercise_state SET attempts = -5 WHERE exercise_id = 'negative'")
        try db.execute(sql: "UPDATE exercise_state SET stability = 'lots' WHERE exercise_id = 'text'")
    }
    let (snapshot, warnings) = try store.snapshot()
    #expect(snapshot.states.keys.sorted() == ["good@h"])
    #expect(warnings.first?.contains("3 damaged records") == true)
    try store.record(result("huge", .wrong), now: noon)
    #expect(try store.snapshot().snapshot.states["huge@h"]?.seen == 1)
}

@Test("an old progress.json is imported on the first write and kept as progress.json.imported; reading it alone changes nothing")
func legacyImport() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
    let json = """
    {"version": 1, "records": {
      "old@h": {"id": "old", "set": "s", "hash": "h", "seen": 3, "correct": 2, "missed": 1, "streak": 1, "lastOutcome": "correct", "lastSeen": 1000},
      "bad@h": {"id": "bad", "set": "s", "hash": "h", "seen": -1, "correct": 0, "missed": 0, "streak": 0, "lastOutcome": "wrong", "lastSeen": 1000}
    }}
    """
    try Data(json.utf8).write(to: store.legacyURL)
    #expect(try store.snapshot().snapshot.states["old@h"]?.learned == true)
    #expect(!FileManager.default.fileExists(atPath: store.fileURL.path))
    let warnings = try store.record(result("new", .correct), now: noon)
    #expect(warnings.first?.contains("imported 1 exercise records") == true)
    #expect(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent("progress.json.imported").path))
    #expect(!FileManager.default.fileExists(atPath: store.legacyURL.path))
    let states = try store.snapshot().snapshot.states
    #expect(states["old@h"]?.seen == 3 && states["old@h"]?.mastered == false && states["old@h"]?.isDue(at: noon.timeIntervalSince1970) == true)
    #expect(states["bad@h"] == nil)
}

@Test("a symlinked database stays a symlink after writing")
func symlinkKept() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-real-\(UUID().uuidString).sqlite")
    defer { try? FileManager.default.removeItem(at: elsewhere) }
    try ProgressStore(directory: store.directory).record(result("a", .correct), now: noon)
    try FileManager.default.moveItem(at: store.fileURL, to: elsewhere)
    try FileManager.default.createSymbolicLink(at: store.fileURL, withDestinationURL: elsewhere)
    try store.record(result("b", .correct), now: noon)
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: store.fileURL.path)) == elsewhere.path)
    #expect(try store.snapshot().snapshot.states.count == 2)
}

@Test("reset forgets one set or everything")
func resetSets() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("a", .correct, set: "one"), now: noon)
    try store.record(result("b", .correct, set: "two"), now: noon)
    #expect(try store.reset(set: "one").removed == 1)
    #expect(try store.snapshot().snapshot.states.keys.sorted() == ["b@h"])
    #expect(try store.reset(set: nil).removed == 1)
    #expect(try store.snapshot().snapshot.states.isEmpty)
}

@Test("a state folder whose path runs through a file is reported by naming that file, not a system error code")
func folderThroughFile() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-file-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    try Data("x".utf8).write(to: base)
    let store = ProgressStore(directory: base.appendingPathComponent("mhalearn"))
    #expect(throws: ProgressError.self) { try store.record(result("a", .correct), now: noon) }
    do {
        try store.record(result("a", .correct), now: noon)
    } catch {
        #expect("\(error)".contains("\(base.path) is a file, not a folder"))
    }
}

@Test("a session's plan and position are kept, so a stopped session can be resumed")
func sessionsResumable() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let id = try store.startSession(selection: "all topics", seed: 5, plan: [PlannedSlot(id: "a", seed: 1), PlannedSlot(id: "b", seed: 2)], now: noon)
    try store.record(result("a", .correct), session: id, position: 1, now: noon)
    try store.endSession(id, ending: "quit", now: noon)
    let session = try #require(try store.snapshot().snapshot.resumable)
    #expect(session.position == 1 && session.plan.map(\.id) == ["a", "b"] && session.answered == 1 && session.firstTry == 1)
    try store.reopenSession(id)
    try store.record(result("b", .correct), session: id, position: 2, now: noon)
    try store.endSession(id, ending: "finished", now: noon)
    #expect(try store.snapshot().snapshot.resumable == nil)
}

@Test("lessons read are recorded with their time")
func lessonsRead() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.markLessonRead("multi-head", now: noon)
    #expect(try store.snapshot().snapshot.lessonsRead == ["multi-head": noon.timeIntervalSince1970])
}

@Test("the bank's entries kept by practice are used only while no exercise file changed")
func bankCache() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    let root = store.directory.appendingPathComponent("content")
    let set = root.appendingPathComponent("exercises/basics")
    try FileManager.default.createDirectory(at: set, withIntermediateDirectories: true)
    let file = set.appendingPathComponent("a.yaml")
    try Data("format: 1\n".utf8).write(to: file)
    #expect(store.cachedBank(root: root) == nil)
    let entries = try #require(try exercises([("x", "t")]).map(BankEntry.init) as [BankEntry]?)
    try store.cacheBank(root: root, entries: entries, stamp: BankStamp.current(root: root))
    #expect(store.cachedBank(root: root) == entries)
    try Data("format: 1\nexercises: []\n".utf8).write(to: file)
    #expect(store.cachedBank(root: root) == nil)
}

@Test("while another process holds the database, a save waits, and stops waiting at once when asked (Ctrl-C)")
func lockWaitStops() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record(result("a", .correct), now: noon)
    let holder = try DatabaseQueue(path: store.fileURL.path)
    try holder.writeWithoutTransaction { db in
        try db.execute(sql: "BEGIN EXCLUSIVE")
        store.stopWaiting = { true }
        let start = Date()
        #expect(throws: ProgressError.self) { try store.record(result("b", .correct), now: noon) }
        #expect(Date().timeIntervalSince(start) < 1)
        try db.execute(sql: "COMMIT")
    }
    store.stopWaiting = { false }
    try store.record(result("b", .correct), now: noon)
    #expect(try store.snapshot().snapshot.states.count == 2)
}
