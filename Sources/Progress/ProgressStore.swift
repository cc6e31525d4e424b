import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exercises

/// What the learner has done with one exercise (one version of it, by content hash).
public struct ProgressRecord: Sendable, Codable, Equatable {
    /// The exercise id.
    public var id: String
    /// The set it belongs to.
    public var set: String
    /// The content hash of the version answered.
    public var hash: String
    /// How many times it was posed and finished.
    public var seen: Int = 0
    /// How many of those were right.
    public var correct: Int = 0
    /// How many were missed (wrong, partial or skipped).
    public var missed: Int = 0
    /// Right answers in a row since the last miss.
    public var streak: Int = 0
    /// The last outcome.
    public var lastOutcome: QuestionOutcome
    /// When it was last answered (seconds since 1970).
    public var lastSeen: Double

    /// The key it is stored under.
    public var key: String { "\(id)@\(hash)" }

    /// Whether the learner currently has it right: last answered correctly.
    public var mastered: Bool { lastOutcome == .correct }

    /// How strongly it is due for review: misses not yet made up by a streak of right answers.
    public var reviewWeight: Int { lastOutcome == .correct ? max(0, missed - streak) : missed + 1 }
}

/// The finished question a session reports to the store.
public struct QuestionResult: Sendable, Codable {
    /// The exercise id.
    public var id: String
    /// The set.
    public var set: String
    /// The content hash.
    public var hash: String
    /// The variant seed.
    public var seed: UInt64
    /// How it ended.
    public var outcome: QuestionOutcome
    /// Its credit.
    public var score: Double

    /// Creates a result.
    public init(id: String, set: String, hash: String, seed: UInt64, outcome: QuestionOutcome, score: Double) {
        self.id = id
        self.set = set
        self.hash = hash
        self.seed = seed
        self.outcome = outcome
        self.score = score
    }
}

/// Everything in the progress file.
public struct ProgressData: Sendable, Codable {
    /// The file format version.
    public var version = 1
    /// Records by `id@hash`.
    public var records: [String: ProgressRecord] = [:]

    /// Creates empty progress.
    public init() {}

    /// The record for the current version of `exercise`, if it was ever answered.
    public func record(for exercise: Exercise) -> ProgressRecord? { records[exercise.progressKey] }

    /// Adds one finished question; unanswered questions are not recorded.
    public mutating func apply(_ result: QuestionResult, at time: Double) {
        guard result.outcome != .unanswered else { return }
        let key = "\(result.id)@\(result.hash)"
        var record = records[key] ?? ProgressRecord(id: result.id, set: result.set, hash: result.hash, lastOutcome: result.outcome, lastSeen: time)
        record.seen += 1
        if result.outcome == .correct {
            record.correct += 1
            record.streak += 1
        } else {
            record.missed += 1
            record.streak = 0
        }
        record.lastOutcome = result.outcome
        record.lastSeen = time
        records[key] = record
    }
}

/// A problem with the progress store that is not the learner's fault and must be reported.
public struct ProgressError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the learner.
    public var description: String
}

/// Keeps progress in `progress.json` under a state folder: locked, written atomically, never silently lost.
///
/// Every change is made under an exclusive `flock` on `progress.lock`: the file is read again, the
/// change applied, and the result written to a temporary file that is renamed over the old one, so
/// two sessions at once lose nothing and a crash leaves either the old or the new file. A file that
/// cannot be read is renamed aside (`progress.corrupt-<time>.json`) and reported, never overwritten.
public struct ProgressStore: Sendable {
    /// The folder holding `progress.json`.
    public let directory: URL

    /// A store in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// `$XDG_STATE_HOME/mhalearn`, else `~/.local/state/mhalearn`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty, state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("mhalearn")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/mhalearn")
    }

    /// The progress file.
    public var fileURL: URL { directory.appendingPathComponent("progress.json") }
    private var lockURL: URL { directory.appendingPathComponent("progress.lock") }

    /// Reads the progress; `warnings` says if a corrupt file was moved aside.
    public func load() throws -> (data: ProgressData, warnings: [String]) {
        try withLock { try read() }
    }

    /// Adds `results` to the stored progress, under the lock, and writes it atomically.
    @discardableResult
    public func record(_ results: [QuestionResult], now: Date = Date()) throws -> [String] {
        try withLock {
            var (data, warnings) = try read()
            for result in results { data.apply(result, at: now.timeIntervalSince1970) }
            try write(data)
            return warnings
        }
    }

    /// Forgets the progress of one set, or of everything when `set` is nil; returns how many records were removed.
    @discardableResult
    public func reset(set: String?) throws -> (removed: Int, warnings: [String]) {
        try withLock {
            var (data, warnings) = try read()
            let before = data.records.count
            if let set {
                data.records = data.records.filter { $0.value.set != set }
            } else {
                data.records = [:]
            }
            try write(data)
            return (before - data.records.count, warnings)
        }
    }

    private func read() throws -> (ProgressData, [String]) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: fileURL.path) else { return (ProgressData(), []) }
        guard let bytes = fm.contents(atPath: fileURL.path) else {
            throw ProgressError(description: "cannot read \(fileURL.path); check its permissions")
        }
        do {
            let data = try JSONDecoder().decode(ProgressData.self, from: bytes)
            guard data.version == 1 else {
                throw ProgressError(description: "\(fileURL.path) was written by a newer mhalearn (format \(data.version)); it was left untouched")
            }
            return (data, [])
        } catch let error as ProgressError {
            throw error
        } catch {
            let stamp = Int(Date().timeIntervalSince1970)
            var aside = directory.appendingPathComponent("progress.corrupt-\(stamp).json")
            var suffix = 1
            while fm.fileExists(atPath: aside.path) {
                aside = directory.appendingPathComponent("progress.corrupt-\(stamp)-\(suffix).json")
                suffix += 1
            }
            guard rename(fileURL.path, aside.path) == 0 else {
                throw ProgressError(description: "\(fileURL.path) cannot be read and cannot be moved aside (\(String(cString: strerror(errno)))); fix or remove it")
            }
            return (ProgressData(), ["the progress file \(fileURL.path) could not be read, so it was kept as \(aside.path) and progress starts afresh"])
        }
    }

    private func write(_ data: ProgressData) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = try encoder.encode(data)
        let temporary = directory.appendingPathComponent(".progress.json.\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: bytes) else {
            throw ProgressError(description: "cannot write \(temporary.path); is \(directory.path) writable?")
        }
        let handle = open(temporary.path, O_RDONLY)
        if handle >= 0 {
            fsync(handle)
            close(handle)
        }
        guard rename(temporary.path, fileURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ProgressError(description: "cannot replace \(fileURL.path): \(reason)")
        }
    }

    /// Why `folder` cannot be created, in words: the first part of its path that exists but is not a
    /// folder, or the system's reason.
    static func reason(creating folder: URL) -> String {
        var path = folder.standardizedFileURL
        var isDirectory: ObjCBool = false
        while path.path != "/" {
            if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue {
                    return "\(path.path) is a file, not a folder; point XDG_STATE_HOME at a folder"
                }
                return FileManager.default.isWritableFile(atPath: path.path)
                    ? "the system refused" : "\(path.path) is not writable; point XDG_STATE_HOME at a folder you can write to"
            }
            path.deleteLastPathComponent()
        }
        return "the system refused"
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ProgressError(description: "cannot create the progress folder \(directory.path): \(Self.reason(creating: directory))")
        }
        let descriptor = open(lockURL.path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw ProgressError(description: "cannot open \(lockURL.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR {
                throw ProgressError(description: "cannot lock \(lockURL.path): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
