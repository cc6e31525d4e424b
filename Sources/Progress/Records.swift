import Foundation
import Exercises

/// One graded answer to a question, as it is kept.
public struct AttemptEntry: Sendable, Equatable {
    /// What the learner typed.
    public var answer: String
    /// How it was graded (an unreadable answer is never kept: it costs no attempt).
    public var grade: GradeOutcome
    /// Its credit before any reduction for retries or hints.
    public var score: Double
    /// Hints shown before this answer.
    public var hintsBefore: Int
    /// Seconds from the question being posed to this answer.
    public var seconds: Double

    /// Creates an entry.
    public init(answer: String, grade: GradeOutcome, score: Double, hintsBefore: Int, seconds: Double) {
        self.answer = answer
        self.grade = grade
        self.score = score
        self.hintsBefore = hintsBefore
        self.seconds = seconds
    }
}

/// A finished question, as a session reports it to the store.
public struct QuestionResult: Sendable, Equatable {
    /// The exercise id.
    public var id: String
    /// The set.
    public var set: String
    /// The content hash of the version posed.
    public var hash: String
    /// The variant seed.
    public var seed: UInt64
    /// How it ended.
    public var outcome: QuestionOutcome
    /// Its credit (see `Credit`).
    public var score: Double
    /// Graded attempts used.
    public var attempts: Int
    /// Hints the learner asked for.
    public var hints: Int
    /// Seconds from posing to the end.
    public var seconds: Double
    /// Every answer given.
    public var entries: [AttemptEntry]

    /// Creates a result.
    public init(id: String, set: String, hash: String, seed: UInt64, outcome: QuestionOutcome, score: Double,
                attempts: Int = 1, hints: Int = 0, seconds: Double = 0, entries: [AttemptEntry] = []) {
        self.id = id
        self.set = set
        self.hash = hash
        self.seed = seed
        self.outcome = outcome
        self.score = score
        self.attempts = attempts
        self.hints = hints
        self.seconds = seconds
        self.entries = entries
    }

    /// Right at the first try, without a hint: the only answer that masters an exercise.
    public var firstTry: Bool { outcome == .correct && attempts == 1 && hints == 0 }
}

/// What the learner has done with one version of one exercise, and when it is due again.
public struct ExerciseState: Sendable, Equatable {
    /// The exercise id.
    public var id: String
    /// The set.
    public var set: String
    /// The content hash of this version.
    public var hash: String
    /// Times it was posed and finished.
    public var seen: Int
    /// Times it was answered right (at any try).
    public var correct: Int
    /// Times it was answered right at the first try without a hint.
    public var firstTryCorrect: Int
    /// Graded attempts over all its posings.
    public var attempts: Int
    /// How it ended the last time.
    public var lastOutcome: QuestionOutcome
    /// Whether the last time was right at the first try without a hint.
    public var lastFirstTry: Bool
    /// When it was last finished (seconds since 1970).
    public var lastSeen: Double
    /// The FSRS schedule.
    public var schedule: ReviewSchedule

    /// Known: right at the first try without a hint the last time it was posed.
    public var mastered: Bool { lastOutcome == .correct && lastFirstTry }
    /// Right the last time, but only after a retry or a hint.
    public var learned: Bool { lastOutcome == .correct && !lastFirstTry }
    /// Whether it is due for review at `now`.
    public func isDue(at now: Double) -> Bool { schedule.due <= now }
    /// How weak it is: share of posings not right at the first try (0 strong … 1 weak).
    public var weakness: Double { seen == 0 ? 1 : 1 - Double(firstTryCorrect) / Double(seen) }

    /// The predicted probability of recalling it at `now` under `scheduler` (0 before any review).
    public func retrievability(at now: Double, scheduler: Scheduler = Scheduler()) -> Double {
        scheduler.retrievability(schedule, at: now)
    }

    /// The state after one more finished question, rated as `Rating(outcome:attempts:hints:)` says.
    public func applying(_ result: QuestionResult, at now: Double, scheduler: Scheduler = Scheduler()) -> ExerciseState {
        var next = self
        next.seen += 1
        if result.outcome == .correct { next.correct += 1 }
        if result.firstTry { next.firstTryCorrect += 1 }
        next.attempts += result.attempts
        next.lastOutcome = result.outcome
        next.lastFirstTry = result.firstTry
        next.lastSeen = now
        let rating = Rating(outcome: result.outcome, attempts: result.attempts, hints: result.hints)
        next.schedule = scheduler.next(schedule, rating: rating, now: now)
        return next
    }

    /// The state of a version never answered.
    public static func fresh(id: String, set: String, hash: String) -> ExerciseState {
        ExerciseState(id: id, set: set, hash: hash, seen: 0, correct: 0, firstTryCorrect: 0, attempts: 0,
                      lastOutcome: .unanswered, lastFirstTry: false, lastSeen: 0, schedule: .new)
    }
}

/// One practice session as stored: what was planned, how far it got.
public struct SessionInfo: Sendable, Equatable {
    /// The session number.
    public var id: Int64
    /// When it started (seconds since 1970).
    public var started: Double
    /// When it ended, if it did.
    public var ended: Double?
    /// What was practised (`all sets`, a set, a topic, an exercise id).
    public var selection: String
    /// The session seed.
    public var seed: UInt64
    /// The planned questions: exercise id and variant seed.
    public var plan: [PlannedSlot]
    /// Questions finished so far.
    public var position: Int
    /// How it ended (`finished`, `quit`, `interrupted`, `end-of-input`), if it did.
    public var ending: String?
    /// Questions finished and recorded.
    public var answered: Int
    /// Their total credit.
    public var credit: Double
    /// How many were right at the first try.
    public var firstTry: Int

    /// Whether it stopped with questions left, so that it can be resumed: however it stopped, a
    /// process killed with SIGKILL included (no ending recorded).
    public var resumable: Bool { ending != "finished" && position < plan.count }
}

/// One planned question of a stored session.
public struct PlannedSlot: Sendable, Equatable, Codable {
    /// The exercise id.
    public var id: String
    /// The variant seed.
    public var seed: UInt64

    /// Creates a slot.
    public init(id: String, seed: UInt64) {
        self.id = id
        self.seed = seed
    }
}

/// Everything the store holds, read at one instant.
public struct ProgressSnapshot: Sendable {
    /// States by `id@hash`.
    public var states: [String: ExerciseState] = [:]
    /// Sessions, oldest first.
    public var sessions: [SessionInfo] = []
    /// Lessons read: name and when.
    public var lessonsRead: [String: Double] = [:]
    /// When each finished question was finished (seconds since 1970).
    public var answerTimes: [Double] = []
    /// The desired retention FSRS schedules for (`progress --retention`).
    public var retention: Double = Scheduler.defaultRetention
    /// Seconds each finished question took, in the order finished.
    public var answerSeconds: [Double] = []

    /// The scheduler at this learner's desired retention.
    public var scheduler: Scheduler { Scheduler(desiredRetention: retention) }

    /// Empty progress.
    public init() {}

    /// The state of the current version of `exercise`, if it was ever answered.
    public func state(for exercise: Exercise) -> ExerciseState? { states[exercise.progressKey] }

    /// The state that schedules each concept: that of its most recently answered member, given the
    /// members' concept keys and progress keys (siblings share one review, see `SessionPlanner`).
    public func conceptStates(_ members: [(concept: String, key: String)]) -> [String: ExerciseState] {
        var latest: [String: ExerciseState] = [:]
        for member in members {
            guard let state = states[member.key], state.seen > 0 else { continue }
            if let other = latest[member.concept], other.lastSeen >= state.lastSeen { continue }
            latest[member.concept] = state
        }
        return latest
    }

    /// The longest run of days practised in a row, in `calendar`'s time zone.
    public func longestStreakDays(calendar: Calendar = .current) -> Int {
        let days = Set(answerTimes.map { calendar.startOfDay(for: Date(timeIntervalSince1970: $0)) }).sorted()
        var longest = 0
        var run = 0
        var previous: Date?
        for day in days {
            if let previous, let next = calendar.date(byAdding: .day, value: 1, to: previous), next == day { run += 1 } else { run = 1 }
            longest = max(longest, run)
            previous = day
        }
        return longest
    }

    /// The median seconds per finished question, once there are at least three.
    public var medianSeconds: Double? {
        guard answerSeconds.count >= 3 else { return nil }
        let sorted = answerSeconds.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The most recent session that stopped with questions left.
    public var resumable: SessionInfo? { sessions.last(where: \.resumable) }

    /// Days practised in a row, ending today or yesterday, in `calendar`'s time zone.
    public func streakDays(now: Date, calendar: Calendar = .current) -> Int {
        let days = Set(answerTimes.map { calendar.startOfDay(for: Date(timeIntervalSince1970: $0)) })
        var day = calendar.startOfDay(for: now)
        if !days.contains(day), let yesterday = calendar.date(byAdding: .day, value: -1, to: day) { day = yesterday }
        var streak = 0
        while days.contains(day) {
            streak += 1
            guard let previous = calendar.date(byAdding: .day, value: -1, to: day) else { break }
            day = previous
        }
        return streak
    }
}

/// The time mhalearn takes as now: `MHALEARN_NOW` (ISO 8601) when set, else the clock.
public enum ProgressClock {
    /// Now, or the error for an `MHALEARN_NOW` that is not an ISO 8601 time.
    public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Date {
        guard let text = environment["MHALEARN_NOW"], !text.isEmpty else { return Date() }
        if let date = parse(text) { return date }
        throw ProgressError(description: "MHALEARN_NOW=\(text) is not an ISO 8601 time; write it like 2026-12-01T09:00:00Z or 2026-12-01")
    }

    /// Parses an ISO 8601 date-time (with zone, fractional seconds optional) or a date (midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    /// `date` as ISO 8601 in UTC, to the second.
    public static func format(_ seconds: Double) -> String {
        formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// One formatter for every date written (making one costs far more than using it).
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()
}

/// A problem with the progress store that is not the learner's fault and must be reported.
public struct ProgressError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the learner.
    public var description: String

    /// Creates an error.
    public init(description: String) {
        self.description = description
    }
}
