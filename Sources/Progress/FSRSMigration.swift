import Foundation
import GRDB
import Exercises

/// The FSRS side of the store: the desired retention setting, and the migration of a schema-1 store
/// (SM-2's repetitions, ease and interval) to FSRS's state.
extension ProgressStore {
    /// Keeps `retention` as the desired retention of every review scheduled from now on.
    public func setRetention(_ retention: Double) throws {
        guard Scheduler.retentionRange.contains(retention) else {
            throw ProgressError(description: "a desired retention of \(retention) is outside 0.7 … 0.99; 0.9 (the default) asks for 90 % recall at each review")
        }
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO setting (name, value) VALUES ('retention', ?)", arguments: [String(retention)])
        }
    }

    /// The desired retention kept in the store, else the default (a value out of range counts as unset).
    static func retention(_ db: Database) throws -> Double {
        guard try db.tableExists("setting"),
              let text = try String.fetchOne(db, sql: "SELECT CAST(value AS TEXT) FROM setting WHERE name = 'retention'"),
              let value = Double(text), Scheduler.retentionRange.contains(value) else { return Scheduler.defaultRetention }
        return value
    }

    /// A schedule with no review behind it, due at `time`.
    static func dueAt(_ time: Double) -> ReviewSchedule {
        var schedule = ReviewSchedule.new
        schedule.due = time
        return schedule
    }

    /// Rewrites a schema-1 `exercise_state` as schema 2 inside the caller's transaction: every
    /// exercise version keeps its counters, and its FSRS state is what replaying its recorded
    /// results (oldest first, rated as `Rating(outcome:attempts:hints:)` rates them) gives. Results,
    /// attempts, sessions and lessons read are not touched. A version with no result (imported from
    /// progress.json) starts new, due at its last time seen. A damaged row is dropped, as reading
    /// already ignored it.
    static func migrateToFSRS(_ db: Database) throws {
        var damaged = 0
        let states = try replayedStates(db, damaged: &damaged)
        try db.execute(sql: "DROP TABLE exercise_state")
        try db.execute(sql: exerciseStateTable)
        for state in states { try save(state, db) }
    }

    /// The FSRS states of a schema-1 store's exercise versions, computed from their results.
    static func replayedStates(_ db: Database, damaged: inout Int) throws -> [ExerciseState] {
        var reviews: [String: [(rating: Rating, at: Double)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT exercise_id, hash, outcome, attempts, hints, at FROM result ORDER BY at, id") {
            guard let id = textValue(row, "exercise_id"), let hash = textValue(row, "hash"),
                  let outcome = textValue(row, "outcome").flatMap(QuestionOutcome.init(rawValue:)),
                  let attempts = count(row, "attempts"), let hints = count(row, "hints"), let at = time(row, "at") else { continue }
            reviews["\(id)@\(hash)", default: []].append((Rating(outcome: outcome, attempts: attempts, hints: hints), at))
        }
        let scheduler = Scheduler()
        var states: [ExerciseState] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM exercise_state ORDER BY exercise_id, hash") {
            guard let id = textValue(row, "exercise_id"), let hash = textValue(row, "hash"), let set = textValue(row, "set_name"),
                  let seen = count(row, "seen"), let correct = count(row, "correct"), let first = count(row, "first_try_correct"),
                  let attempts = count(row, "attempts"),
                  let outcome = textValue(row, "last_outcome").flatMap(QuestionOutcome.init(rawValue:)),
                  let lastFirst = count(row, "last_first_try"), lastFirst <= 1, let lastSeen = time(row, "last_seen"),
                  correct <= seen, first <= correct else { damaged += 1; continue }
            var schedule = dueAt(lastSeen)
            for review in reviews["\(id)@\(hash)"] ?? [] {
                schedule = scheduler.next(schedule, rating: review.rating, now: review.at)
            }
            states.append(ExerciseState(id: id, set: set, hash: hash, seen: seen, correct: correct, firstTryCorrect: first,
                                        attempts: attempts, lastOutcome: outcome, lastFirstTry: lastFirst == 1, lastSeen: lastSeen,
                                        schedule: schedule))
        }
        return states
    }
}

/// A TEXT value, or nil for anything else (never decoding a BLOB as a string, which can trap).
private func textValue(_ row: Row, _ column: String) -> String? {
    let value: (any DatabaseValueConvertible)? = row[column]
    return value as? String
}
