import Foundation
import Testing
import Exercises
@testable import Progress

@Suite("Progress files shared with the web course")
struct ProgressTransferTests {
    static let browserFile = """
    {"format":"mhalearn-progress","version":1,
     "results":[{"exercise":"dk-from-d-model","set":"multi-head","seed":1,"outcome":"correct","score":1,"attempts":1,"hints":0,"at":"2026-12-01T10:00:00.000Z"},
                {"exercise":"dk-scale-divisor","set":null,"seed":2,"outcome":"wrong","score":0,"attempts":3,"hints":1,"at":"2026-12-01T10:05:00.000Z"},
                {"exercise":"no-such-exercise","seed":1,"outcome":"correct","score":1,"attempts":1,"hints":0,"at":"2026-12-01T10:06:00.000Z"}],
     "lessons":[{"name":"multi-head","at":"2026-12-01T09:00:00.000Z"}]}
    """

    @Test("a file the browser downloads merges into the terminal's store, scheduled as if answered here, once")
    func importsOnce() throws {
        let store = try temporaryStore()
        let file = try JSONDecoder().decode(ProgressFile.self, from: Data(ProgressTransferTests.browserFile.utf8))
        let exercises = bundledBank().exercises
        let merged = try store.merge(file, exercises: exercises)
        #expect(merged.added == 2 && merged.lessons == 1)
        #expect(merged.skipped.count == 1 && merged.skipped[0].contains("no-such-exercise"))
        let snapshot = try store.snapshot().snapshot
        let mastered = try #require(exercises.first { $0.id == "dk-from-d-model" })
        let state = try #require(snapshot.state(for: mastered))
        #expect(state.seen == 1)
        #expect(snapshot.lessonsRead["multi-head"] != nil)
        let again = try store.merge(file, exercises: exercises)
        #expect(again.added == 0, "a second import adds nothing")
    }

    @Test("--export writes what --import reads back: every result and lesson, same times")
    func roundTrip() throws {
        let store = try temporaryStore()
        let file = try JSONDecoder().decode(ProgressFile.self, from: Data(ProgressTransferTests.browserFile.utf8))
        _ = try store.merge(file, exercises: bundledBank().exercises)
        let exported = try store.exportFile()
        #expect(exported.results.map(\.exercise) == ["dk-from-d-model", "dk-scale-divisor"])
        #expect(exported.results.map(\.at) == ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"])
        let other = try temporaryStore()
        #expect(try other.merge(exported, exercises: bundledBank().exercises).added == 2)
        #expect(try other.exportFile().results == exported.results)
    }

    @Test("a file of another kind is refused with a sentence")
    func refusesOtherFiles() throws {
        var file = ProgressFile()
        file.format = "something-else"
        #expect(throws: ProgressError.self) { try temporaryStore().merge(file, exercises: []) }
    }
}
