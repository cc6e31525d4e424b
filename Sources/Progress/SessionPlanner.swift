import Exercises

/// One question slot in a session: which exercise, and which variant of it.
public struct PlannedQuestion: Sendable {
    /// The exercise.
    public var exercise: Exercise
    /// The variant seed.
    public var seed: UInt64

    /// A slot posing `exercise` at variant `seed`.
    public init(exercise: Exercise, seed: UInt64) {
        self.exercise = exercise
        self.seed = seed
    }
}

/// Chooses the questions of a session: the same seed and progress give the same questions everywhere.
public enum SessionPlanner {
    /// Questions per session when `--count` is not given.
    public static let defaultCount = 10

    /// A shuffled pass through `exercises`, `count` questions long (cycling with fresh variants if needed).
    public static func plan(_ exercises: [Exercise], count: Int, seed: UInt64) -> [PlannedQuestion] {
        guard !exercises.isEmpty, count > 0 else { return [] }
        var generator = SeededGenerator(seed: seed, label: "session")
        var result: [PlannedQuestion] = []
        var round: [Exercise] = []
        while result.count < count {
            if round.isEmpty { round = generator.shuffled(exercises) }
            let exercise = round.removeFirst()
            result.append(PlannedQuestion(exercise: exercise, seed: generator.next() & 0xFFFF_FFFF))
        }
        return result
    }

    /// A review session: what was missed comes first, most-missed first, and comes back again later in
    /// the session once for each further miss (spaced `spacing` questions apart); the rest of the session is
    /// filled with exercises not yet mastered, then with any others.
    public static func review(_ exercises: [Exercise], progress: ProgressData, count: Int, seed: UInt64, spacing: Int = 3) -> [PlannedQuestion] {
        guard !exercises.isEmpty, count > 0 else { return [] }
        var generator = SeededGenerator(seed: seed, label: "review")
        let due = exercises.compactMap { exercise -> (Exercise, Int, Double)? in
            guard let record = progress.record(for: exercise), record.reviewWeight > 0 else { return nil }
            return (exercise, record.reviewWeight, record.lastSeen)
        }.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : (a.2 != b.2 ? a.2 < b.2 : a.0.id < b.0.id) }

        var slots: [PlannedQuestion?] = []
        func place(_ exercise: Exercise, from position: Int) -> Int {
            var index = position
            while index < slots.count, slots[index] != nil { index += 1 }
            while slots.count <= index { slots.append(nil) }
            slots[index] = PlannedQuestion(exercise: exercise, seed: generator.next() & 0xFFFF_FFFF)
            return index
        }
        var cursor = 0
        for (exercise, weight, _) in due {
            let first = place(exercise, from: cursor)
            cursor = first + 1
            var last = first
            for _ in 1..<min(weight, 3) {
                last = place(exercise, from: last + spacing)
            }
        }
        var queue = slots.compactMap { $0 }.count < count ? fill(exercises, progress: progress, excluding: Set(due.map(\.0.id)), generator: &generator) : []
        var result: [PlannedQuestion] = []
        for slot in slots {
            if let slot {
                result.append(slot)
            } else if !queue.isEmpty {
                result.append(queue.removeFirst())
            }
        }
        result += queue
        return Array(result.prefix(count))
    }

    private static func fill(_ exercises: [Exercise], progress: ProgressData, excluding: Set<String>, generator: inout SeededGenerator) -> [PlannedQuestion] {
        let rest = generator.shuffled(exercises.filter { !excluding.contains($0.id) })
        let unmastered = rest.filter { progress.record(for: $0)?.mastered != true }
        let mastered = rest.filter { progress.record(for: $0)?.mastered == true }
        return (unmastered + mastered).map { PlannedQuestion(exercise: $0, seed: generator.next() & 0xFFFF_FFFF) }
    }
}
