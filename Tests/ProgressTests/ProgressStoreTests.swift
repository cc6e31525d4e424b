import Foundation
import Testing
@testable import Progress
@testable import Exercises

func temporaryStore() throws -> ProgressStore {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-progress-\(UUID().uuidString)")
    return ProgressStore(directory: folder)
}

func result(_ id: String, _ outcome: QuestionOutcome, set: String = "s") -> QuestionResult {
    QuestionResult(id: id, set: set, hash: "h", seed: 1, outcome: outcome, score: outcome == .correct ? 1 : 0)
}

@Test("the store lives under XDG_STATE_HOME, else ~/.local/state")
func defaultDirectory() {
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/u"]).path == "/x/state/mhalearn")
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "", "HOME": "/home/u"]).path == "/home/u/.local/state/mhalearn")
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]).path == "/home/u/.local/state/mhalearn")
}

@Test("recorded results are read back with counts, streaks and the last outcome")
func recordAndReload() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record([result("a", .wrong), result("a", .correct), result("b", .skipped), result("c", .unanswered)])
    let (data, warnings) = try store.load()
    #expect(warnings.isEmpty)
    #expect(data.records.count == 2)
    let a = try #require(data.records["a@h"])
    #expect(a.seen == 2 && a.correct == 1 && a.missed == 1 && a.streak == 1 && a.lastOutcome == .correct)
    #expect(a.reviewWeight == 0)
    #expect(data.records["b@h"]?.reviewWeight == 2)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
}

@Test("two sessions writing at once lose nothing")
func concurrentWriters() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    DispatchQueue.concurrentPerform(iterations: 40) { index in
        let other = ProgressStore(directory: store.directory)
        _ = try? other.record([result("q\(index % 4)", .correct)])
    }
    let data = try store.load().data
    #expect(data.records.values.reduce(0) { $0 + $1.seen } == 40)
}

@Test("a corrupt progress file is kept aside and reported, never silently replaced")
func corruptFileKeptAside() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
    try Data("{ not json".utf8).write(to: store.fileURL)
    let warnings = try store.record([result("a", .correct)])
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("could not be read") == true)
    let aside = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix("progress.corrupt-") }
    #expect(aside.count == 1)
    let kept = try String(contentsOf: store.directory.appendingPathComponent(aside[0]), encoding: .utf8)
    #expect(kept == "{ not json")
    #expect(try store.load().data.records.count == 1)
}

@Test("reset forgets one set or everything")
func resetBySet() throws {
    let store = try temporaryStore()
    defer { try? FileManager.default.removeItem(at: store.directory) }
    try store.record([result("a", .correct, set: "one"), result("b", .wrong, set: "two")])
    #expect(try store.reset(set: "one").removed == 1)
    #expect(try store.load().data.records.keys.sorted() == ["b@h"])
    #expect(try store.reset(set: nil).removed == 1)
    #expect(try store.load().data.records.isEmpty)
}

@Test("a state folder whose path runs through a file is reported by naming that file, not a system error code")
func stateFolderThroughAFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-state-file-\(UUID().uuidString)")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let store = ProgressStore(directory: file.appendingPathComponent("deeper/mhalearn"))
    let error = try #require(throws: ProgressError.self) { try store.record([result("a", .correct)]) }
    #expect(error.description.contains("\(file.path) is a file, not a folder"))
    #expect(!error.description.contains("NSCocoaErrorDomain"))
}
