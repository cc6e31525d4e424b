import Foundation
import Testing
@testable import Progress
@testable import Exercises

@Test("the same seed plans the same questions; count cycles through the exercises")
func planIsReproducible() throws {
    let exercises = Array(try Fixtures.valid().values).sorted { $0.id < $1.id }
    let a = SessionPlanner.plan(exercises, count: 8, seed: 99), b = SessionPlanner.plan(exercises, count: 8, seed: 99)
    #expect(a.map(\.exercise.id) == b.map(\.exercise.id) && a.map(\.seed) == b.map(\.seed))
    #expect(Set(a.prefix(6).map(\.exercise.id)).count == 6)
    #expect(SessionPlanner.plan(exercises, count: 8, seed: 100).map(\.exercise.id) != a.map(\.exercise.id))
}

@Test("review puts missed exercises first, most-missed first, and brings them back spaced apart")
func reviewOrder() throws {
    let exercises = Array(try Fixtures.valid().values).sorted { $0.id < $1.id }
    let byID = Dictionary(uniqueKeysWithValues: exercises.map { ($0.id, $0) })
    var progress = ProgressData()
    func add(_ id: String, _ outcome: QuestionOutcome, at time: Double) throws {
        let exercise = try #require(byID[id])
        progress.apply(QuestionResult(id: id, set: exercise.set, hash: exercise.contentHash, seed: 0, outcome: outcome, score: 0), at: time)
    }
    try add("scale-factor", .wrong, at: 1)
    try add("scale-factor", .wrong, at: 2)
    try add("name-of-concat", .wrong, at: 3)
    try add("q-heads-shape", .correct, at: 4)
    let plan = SessionPlanner.review(exercises, progress: progress, count: 8, seed: 1).map(\.exercise.id)
    #expect(plan.count == 8)
    #expect(plan[0] == "scale-factor")
    #expect(plan[1] == "name-of-concat")
    let repeats = plan.indices.filter { plan[$0] == "scale-factor" }
    #expect(repeats.count == 3)
    #expect(zip(repeats, repeats.dropFirst()).allSatisfy { $1 - $0 >= 3 })
    #expect(plan.filter { $0 == "name-of-concat" }.count == 2)
    #expect(!plan.contains("q-heads-shape"), "a mastered exercise comes after every unmastered one")
}
