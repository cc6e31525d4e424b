import Foundation
import Testing
@testable import Progress
@testable import Exercises

/// Exercises made in the test, `id` with the given first tag.
func exercises(_ specs: [(String, String)]) throws -> [Exercise] {
    let yaml = "format: 1\nexercises:\n" + specs.map { id, tag in
        "  - id: \(id)\n    kind: number\n    tags: [\(tag)]\n    prompt: Q \(id)?\n    answer: \"1\"\n    explain: E.\n"
    }.joined()
    let result = loadYAML(yaml)
    guard result.isClean else { throw ExerciseProblems(result.diagnostics) }
    return result.file.exercises
}

/// `snapshot` after `exercise` was finished with `outcome` at `time`.
func answered(_ snapshot: inout ProgressSnapshot, _ exercise: Exercise, _ outcome: QuestionOutcome, attempts: Int = 1, at time: Double) {
    let old = snapshot.state(for: exercise) ?? .fresh(id: exercise.id, set: exercise.set, hash: exercise.contentHash)
    let result = QuestionResult(id: exercise.id, set: exercise.set, hash: exercise.contentHash, seed: 1, outcome: outcome, score: 1, attempts: attempts)
    snapshot.states[exercise.progressKey] = old.applying(result, at: time)
}

@Test("the same seed and progress plan the same questions")
func sameSeedSamePlan() throws {
    let bank = try exercises((1...8).map { ("e\($0)", "t\($0 % 3)") })
    let a = SessionPlanner.plan(bank, progress: ProgressSnapshot(), count: 5, seed: 9, now: 0).map { "\($0.exercise.id)/\($0.seed)" }
    let b = SessionPlanner.plan(bank, progress: ProgressSnapshot(), count: 5, seed: 9, now: 0).map { "\($0.exercise.id)/\($0.seed)" }
    #expect(a == b && a.count == 5)
}

@Test("a session draws what is due first, then what was never seen, then the weakest; never a mastered one that is not due")
func dueThenNewThenWeak() throws {
    let bank = try exercises([("due", "a"), ("new", "b"), ("weak", "c"), ("known", "d")])
    var snapshot = ProgressSnapshot()
    let day = Scheduler.day
    answered(&snapshot, bank[0], .correct, at: 0)          // a learning step: due after 10 minutes
    answered(&snapshot, bank[2], .correct, attempts: 3, at: 5 * day) // learned (Hard): due after 5.5 minutes
    answered(&snapshot, bank[3], .correct, at: 5 * day)    // mastered (Good): due after 10 minutes
    let now = 5 * day + 60
    let plan = SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: 1, now: now)
    #expect(plan.map(\.exercise.id) == ["due", "new", "weak"])
    #expect(plan.map(\.reason) == [.due, .new, .weak])
    #expect(SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: 1, now: now, reviewOnly: true).map(\.exercise.id) == ["due", "weak"])
}

@Test("with the clock moved forward a mastered exercise becomes due and is posed first")
func masteredBecomesDue() throws {
    let bank = try exercises([("m", "a"), ("x", "b"), ("y", "c")])
    var snapshot = ProgressSnapshot()
    answered(&snapshot, bank[0], .correct, at: 0)
    #expect(!SessionPlanner.plan(bank, progress: snapshot, count: 3, seed: 4, now: 300).map(\.exercise.id).contains("m"))
    let later = SessionPlanner.plan(bank, progress: snapshot, count: 3, seed: 4, now: 2 * Scheduler.day)
    #expect(later.first?.exercise.id == "m" && later.first?.reason == .due)
}

@Test("topics alternate: two questions in a row share a topic only when nothing else is left")
func topicsInterleave() throws {
    let bank = try exercises([("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("b2", "b"), ("c1", "c")])
    for seed in UInt64(0)..<20 {
        let topics = SessionPlanner.plan(bank, progress: ProgressSnapshot(), count: 6, seed: seed, now: 0).map { SessionPlanner.topic(of: $0.exercise) }
        let repeats = zip(topics, topics.dropFirst()).filter { $0 == $1 }.count
        #expect(repeats == 0, "seed \(seed): \(topics)")
    }
}

@Test("a scripted learner who answers every question right covers all exercises in ceil(bank / 10) sessions, with no repeat")
func scriptedLearnerCoversBank() throws {
    let bank = bundledBank().exercises
    #expect(bank.count >= 62)
    var snapshot = ProgressSnapshot()
    var posed: [String] = []
    let sessions = (bank.count + 9) / 10
    for session in 0..<sessions {
        let now = Double(session) * 30 // all within FSRS's 10-minute learning step
        let plan = SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: UInt64(session), now: now)
        for question in plan {
            posed.append(question.exercise.id)
            answered(&snapshot, question.exercise, .correct, at: now)
        }
    }
    #expect(posed.count == bank.count)
    #expect(Set(posed).count == bank.count)
    #expect(SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: 99, now: Double(sessions) * 30).isEmpty)
}

@Test("a stopped session resumes at the question after the last one finished")
func resumeSlots() throws {
    let bank = try exercises([("a", "t"), ("b", "t"), ("c", "t")])
    let session = SessionInfo(id: 1, started: 0, ended: 1, selection: "all", seed: 1,
                              plan: [PlannedSlot(id: "a", seed: 1), PlannedSlot(id: "gone", seed: 2), PlannedSlot(id: "c", seed: 3)],
                              position: 1, ending: "quit", answered: 1, credit: 1, firstTry: 1)
    #expect(session.resumable)
    #expect(SessionPlanner.resume(session, exercises: bank).map { "\($0.exercise.id)/\($0.seed)" } == ["c/3"])
}

/// Exercises made in the test: `id`, first tag and concept.
func conceptExercises(_ specs: [(String, String, String?)]) throws -> [Exercise] {
    let yaml = "format: 1\nexercises:\n" + specs.map { id, tag, concept in
        "  - id: \(id)\n    kind: number\n    tags: [\(tag)]\n" + (concept.map { "    concept: \($0)\n" } ?? "")
            + "    prompt: Q \(id)?\n    answer: \"1\"\n    explain: E.\n"
    }.joined()
    let result = loadYAML(yaml)
    guard result.isClean else { throw ExerciseProblems(result.diagnostics) }
    return result.file.exercises
}

@Test("siblings (one concept:) never share a session, and a review of one counts for the others: a scripted learner over 20 sessions")
func siblingsNeverShareASession() throws {
    var specs: [(String, String, String?)] = []
    for concept in 0..<6 {
        for member in 0..<3 { specs.append(("c\(concept)-\(member)", "t\((concept + member) % 3)", "concept-\(concept)")) }
    }
    for loner in 0..<6 { specs.append(("solo\(loner)", "t\(loner % 3)", nil)) }
    let bank = try conceptExercises(specs)
    #expect(bank.first?.concept == "concept-0" && bank.last?.concept == nil)
    var snapshot = ProgressSnapshot()
    var random = SeededGenerator(seed: 7, label: "learner")
    var now = 0.0
    var lastAnswered: [String: Double] = [:] // concept → when a member was last answered
    for session in 0..<20 {
        let plan = SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: UInt64(session), now: now)
        let concepts = plan.map(\.exercise.conceptKey)
        #expect(Set(concepts).count == concepts.count, "session \(session) poses siblings: \(plan.map(\.exercise.id))")
        for question in plan {
            // A sibling is drawn only once the concept's last review is due.
            if let at = lastAnswered[question.exercise.conceptKey] {
                let state = try #require(SessionPlanner.conceptStates(bank, progress: snapshot)[question.exercise.conceptKey])
                #expect(!state.mastered || state.schedule.due <= now, "\(question.exercise.id) drawn before its concept (answered at \(at)) is due")
            }
            let outcome: QuestionOutcome = random.next() % 4 == 0 ? .wrong : .correct
            answered(&snapshot, question.exercise, outcome, attempts: outcome == .correct ? 1 : 3, at: now)
            lastAnswered[question.exercise.conceptKey] = now
            now += 30
        }
        now += Double(random.next() % 3) * Scheduler.day + 3600
    }
    #expect(lastAnswered.count == 12)
}

@Test("a session of 10 never has two questions of one topic in a row while another topic is in it")
func topicsAlternateInSessionsOfTen() throws {
    let bank = try exercises((0..<30).map { ("e\($0)", ["a", "a", "a", "b", "b", "c"][$0 % 6]) })
    var snapshot = ProgressSnapshot()
    for exercise in bank.prefix(8) { answered(&snapshot, exercise, .wrong, attempts: 3, at: 0) }
    for seed in UInt64(0)..<30 {
        let topics = SessionPlanner.plan(bank, progress: snapshot, count: 10, seed: seed, now: Scheduler.day)
            .map { SessionPlanner.topic(of: $0.exercise) }
        #expect(topics.count == 10)
        let counts = Dictionary(topics.map { ($0, 1) }, uniquingKeysWith: +)
        let largest = counts.values.max() ?? 0
        let allowed = max(0, largest - (topics.count - largest) - 1)
        let repeats = zip(topics, topics.dropFirst()).filter { $0 == $1 }.count
        #expect(repeats <= allowed, "seed \(seed): \(topics)")
    }
}
