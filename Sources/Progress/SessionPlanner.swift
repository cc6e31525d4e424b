import Exercises

/// One question slot in a session: which exercise, which variant of it, and why it was chosen.
public struct PlannedQuestion: Sendable {
    /// Why the planner chose a question.
    public enum Reason: String, Sendable {
        /// Due for review.
        case due
        /// Never answered (in its current version).
        case new
        /// Answered, not yet mastered and not due.
        case weak
        /// Asked for by id, or resumed.
        case chosen
    }

    /// The exercise.
    public var exercise: Exercise
    /// The variant seed.
    public var seed: UInt64
    /// Why it was chosen.
    public var reason: Reason

    /// A slot posing `exercise` at variant `seed`.
    public init(exercise: Exercise, seed: UInt64, reason: Reason = .chosen) {
        self.exercise = exercise
        self.seed = seed
        self.reason = reason
    }
}

/// Chooses the questions of a session from the learner's progress: the same seed and progress give
/// the same questions everywhere.
///
/// A session draws first the exercises due for review (most overdue first), then those never
/// answered, then the weakest of the rest (answered but not mastered, least often right at the first
/// try first). A mastered exercise that is not due is never drawn: once everything is mastered and
/// nothing is due, a session is empty.
///
/// One concept at a time: exercises that share a `concept:` are siblings. A session never poses two
/// siblings, and a concept is scheduled by its most recent review, whichever sibling it was (as Anki
/// buries siblings): after one is answered, the others are not drawn as new or due until that review
/// falls due. Topics alternate over the whole session (an exercise's first tag): two questions in a
/// row share a topic only when no other topic is left to put between them.
public enum SessionPlanner {
    /// Questions per session when `--count` is not given.
    public static let defaultCount = 10

    /// The topic an exercise is interleaved by: its first tag, else its set.
    public static func topic(of exercise: Exercise) -> String { exercise.tags.first ?? exercise.set }

    /// The state that schedules each concept: its most recently answered member's.
    public static func conceptStates(_ exercises: [Exercise], progress: ProgressSnapshot) -> [String: ExerciseState] {
        progress.conceptStates(exercises.map { ($0.conceptKey, $0.progressKey) })
    }

    /// A session of at most `count` questions from `exercises`, given `progress`, at time `now`.
    /// With `reviewOnly`, only due and weak exercises are drawn.
    public static func plan(_ exercises: [Exercise], progress: ProgressSnapshot, count: Int, seed: UInt64, now: Double,
                            reviewOnly: Bool = false) -> [PlannedQuestion] {
        guard !exercises.isEmpty, count > 0 else { return [] }
        var generator = SeededGenerator(seed: seed, label: "session")
        let shuffled = generator.shuffled(exercises.sorted { $0.id < $1.id })
        let concepts = conceptStates(exercises, progress: progress)
        var due: [(Exercise, ExerciseState)] = []
        var new: [Exercise] = []
        var weak: [(Exercise, ExerciseState)] = []
        for exercise in shuffled {
            let own = progress.state(for: exercise).flatMap { $0.seen > 0 ? $0 : nil }
            guard let concept = concepts[exercise.conceptKey] else {
                new.append(exercise)
                continue
            }
            if concept.isDue(at: now) {
                due.append((exercise, concept))
            } else if own == nil {
                if !concept.mastered { new.append(exercise) }
            } else if !concept.mastered {
                weak.append((exercise, concept))
            }
        }
        due.sort { a, b in a.1.schedule.due != b.1.schedule.due ? a.1.schedule.due < b.1.schedule.due : a.0.id < b.0.id }
        weak.sort { a, b in
            if a.1.weakness != b.1.weakness { return a.1.weakness > b.1.weakness }
            return a.1.lastSeen != b.1.lastSeen ? a.1.lastSeen < b.1.lastSeen : a.0.id < b.0.id
        }
        let groups: [([Exercise], PlannedQuestion.Reason)] = reviewOnly
            ? [(due.map(\.0), .due), (weak.map(\.0), .weak)]
            : [(due.map(\.0), .due), (new, .new), (weak.map(\.0), .weak)]
        var chosen: [(Exercise, PlannedQuestion.Reason)] = []
        var posedConcepts: Set<String> = []
        for (group, reason) in groups {
            for exercise in group where chosen.count < count && !posedConcepts.contains(exercise.conceptKey) {
                posedConcepts.insert(exercise.conceptKey)
                chosen.append((exercise, reason))
            }
        }
        let reasons = Dictionary(chosen.map { ($0.0.id, $0.1) }, uniquingKeysWith: { first, _ in first })
        return interleave(chosen.map(\.0)).map { exercise in
            PlannedQuestion(exercise: exercise, seed: VariantSpace.sessionVariantSeed(session: seed, exerciseID: exercise.id),
                            reason: reasons[exercise.id] ?? .chosen)
        }
    }

    /// `exercises` reordered so that neighbours differ in topic where possible: each next one is the
    /// earliest whose topic differs from the previous one's and after which the rest can still
    /// alternate (so a topic with many questions is not left bunched at the end).
    public static func interleave(_ exercises: [Exercise], after previous: String? = nil) -> [Exercise] {
        var rest = exercises
        var result: [Exercise] = []
        var last = previous
        var counts: [String: Int] = [:]
        for exercise in rest { counts[topic(of: exercise), default: 0] += 1 }
        func arrangeable(_ counts: [String: Int], after last: String) -> Bool {
            let total = counts.values.reduce(0, +)
            guard let largest = counts.values.max(), largest > 0 else { return true }
            if largest > total - largest + 1 { return false }
            if largest == total - largest + 1 { return counts.filter { $0.value == largest }.contains { $0.key != last } }
            return true
        }
        while !rest.isEmpty {
            let candidates = rest.indices.filter { topic(of: rest[$0]) != last }
            let feasible = candidates.first { index in
                var after = counts
                after[topic(of: rest[index]), default: 0] -= 1
                return arrangeable(after, after: topic(of: rest[index]))
            }
            let index = feasible ?? candidates.first ?? 0
            let exercise = rest.remove(at: index)
            counts[topic(of: exercise), default: 0] -= 1
            result.append(exercise)
            last = topic(of: exercise)
        }
        return result
    }

    /// Slots of a stored session turned back into questions: those from `position` on whose
    /// exercise still exists.
    public static func resume(_ session: SessionInfo, exercises: [Exercise]) -> [PlannedQuestion] {
        let byID = Dictionary(exercises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return session.plan.dropFirst(session.position).compactMap { slot in
            byID[slot.id].map { PlannedQuestion(exercise: $0, seed: slot.seed, reason: .chosen) }
        }
    }
}
