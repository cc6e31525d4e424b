import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("the stable hash is FNV-1a, the same on every machine")
func stableHashReference() {
    #expect(StableHash.hex("") == "cbf29ce484222325")
    #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
}

@Test("the content hash changes when the question changes, not when only hints change")
func contentHash() throws {
    let exercise = try #require(try Fixtures.valid()["dk-from-d-model"])
    var reworded = exercise
    reworded.prompt.value += " (in dimensions)"
    let rehashed = Exercise(id: reworded.id, kind: reworded.kind, set: reworded.set, given: reworded.given, whereClause: reworded.whereClause,
                            prompt: reworded.prompt, answer: reworded.answer, wrong: reworded.wrong, hints: reworded.hints,
                            explain: reworded.explain, location: reworded.location)
    let rehinted = Exercise(id: exercise.id, kind: exercise.kind, set: exercise.set, given: exercise.given, whereClause: exercise.whereClause,
                            prompt: exercise.prompt, answer: exercise.answer, wrong: exercise.wrong, hints: ["new hint"],
                            explain: exercise.explain, location: exercise.location)
    #expect(rehashed.contentHash != exercise.contentHash)
    #expect(rehinted.contentHash == exercise.contentHash)
    #expect(exercise.progressKey == "dk-from-d-model@\(exercise.contentHash)")
}
