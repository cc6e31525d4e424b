import Foundation
import Exercises
import GRDB

/// The progress file the exported web course downloads and `mhalearn progress --import` reads
/// (and `--export` writes): every finished question and every lesson read, so the terminal and the
/// browser keep one record.
public struct ProgressFile: Codable, Sendable, Equatable {
    /// One finished question.
    public struct Result: Codable, Sendable, Equatable {
        /// The exercise id.
        public var exercise: String
        /// Its set, if the writer knew it.
        public var set: String?
        /// The variant seed.
        public var seed: UInt64
        /// `correct`, `partial`, `wrong` or `skipped`.
        public var outcome: String
        /// Its credit, 0 to 1.
        public var score: Double
        /// Graded attempts used.
        public var attempts: Int
        /// Hints asked for.
        public var hints: Int
        /// When it was finished (ISO 8601).
        public var at: String
    }

    /// One lesson read.
    public struct Lesson: Codable, Sendable, Equatable {
        /// The lesson's name.
        public var name: String
        /// When (ISO 8601).
        public var at: String
    }

    /// Always `mhalearn-progress`.
    public var format = "mhalearn-progress"
    /// Always 1.
    public var version = 1
    /// Finished questions, oldest first.
    public var results: [Result] = []
    /// Lessons read.
    public var lessons: [Lesson] = []

    /// An empty file.
    public init() {}

    static func time(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    static func text(_ time: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: time))
    }
}

extension ProgressStore {
    /// Every finished question and lesson read, as a progress file (empty when nothing is stored).
    public func exportFile() throws -> ProgressFile {
        var file = ProgressFile()
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return file }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let reader = try DatabaseQueue(path: fileURL.path, configuration: configuration)
            try reader.read { db in
                for row in try Row.fetchAll(db, sql: "SELECT exercise_id, set_name, seed, outcome, credit, attempts, hints, at FROM result ORDER BY at") {
                    // Read through the store's accessors, which never trap on a damaged value (a BLOB in a TEXT column).
                    guard let id = Self.text(row, "exercise_id"), let outcome = Self.text(row, "outcome"),
                          let at = Self.time(row, "at"), let seed = Self.int(row, "seed") else { continue }
                    file.results.append(ProgressFile.Result(exercise: id, set: Self.text(row, "set_name"), seed: UInt64(bitPattern: seed), outcome: outcome,
                                                            score: Self.real(row, "credit") ?? 0, attempts: Self.count(row, "attempts") ?? 0,
                                                            hints: Self.count(row, "hints") ?? 0,
                                                            at: ProgressFile.text(at)))
                }
                for row in try Row.fetchAll(db, sql: "SELECT name, at FROM lesson_read ORDER BY at") {
                    guard let name = Self.text(row, "name"), let at = Self.time(row, "at") else { continue }
                    file.lessons.append(ProgressFile.Lesson(name: name, at: ProgressFile.text(at)))
                }
            }
        } catch {
            throw ProgressError(description: "cannot read \(fileURL.path): \(error)")
        }
        return file
    }

    /// Merges `file` into the store: each result not already there (same exercise, same time) is
    /// recorded against the current version of its exercise, scheduled as the terminal schedules
    /// it; each lesson read is marked. Returns how many results were added and what was skipped.
    public func merge(_ file: ProgressFile, exercises: [Exercise]) throws -> (added: Int, lessons: Int, skipped: [String]) {
        guard file.format == "mhalearn-progress", file.version == 1 else {
            throw ProgressError(description: "this is not an mhalearn progress file (format \(file.format), version \(file.version))")
        }
        let known = Dictionary(exercises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let present = Set(try exportFile().results.map { "\($0.exercise)|\(ProgressFile.time($0.at).map { Int(($0 * 1000).rounded()) } ?? 0)" })
        var added = 0, lessons = 0
        var skipped: [String] = []
        for result in file.results.sorted(by: { (ProgressFile.time($0.at) ?? 0) < (ProgressFile.time($1.at) ?? 0) }) {
            guard let at = ProgressFile.time(result.at) else { skipped.append("\(result.exercise): the time `\(result.at)` is not ISO 8601"); continue }
            guard let exercise = known[result.exercise] else { skipped.append("\(result.exercise): no such exercise in this course"); continue }
            guard let outcome = QuestionOutcome(rawValue: result.outcome), outcome != .unanswered else {
                skipped.append("\(result.exercise): unknown outcome `\(result.outcome)`"); continue
            }
            guard (0...1).contains(result.score), (0...1000).contains(result.attempts), (0...1000).contains(result.hints) else {
                skipped.append("\(result.exercise): a count out of range"); continue
            }
            if present.contains("\(result.exercise)|\(Int((at * 1000).rounded()))") { continue }
            _ = try record(QuestionResult(id: exercise.id, set: exercise.set, hash: exercise.contentHash, seed: result.seed, outcome: outcome,
                                          score: result.score, attempts: result.attempts, hints: result.hints),
                           now: Date(timeIntervalSince1970: at))
            added += 1
        }
        for lesson in file.lessons {
            guard let at = ProgressFile.time(lesson.at) else { continue }
            try markLessonRead(lesson.name, now: Date(timeIntervalSince1970: at))
            lessons += 1
        }
        return (added, lessons, skipped)
    }
}
