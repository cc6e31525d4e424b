import Foundation
import GRDB
import Exercises

/// What the course map needs of one exercise: a few fields, cheap to keep.
public struct BankEntry: Sendable, Codable, Equatable {
    /// The exercise id.
    public var id: String
    /// Its set.
    public var set: String
    /// Its tags.
    public var tags: [String]
    /// Its content hash.
    public var hash: String
    /// Its `concept:`, if any.
    public var concept: String?

    /// The entry of `exercise`.
    public init(_ exercise: Exercise) {
        id = exercise.id
        set = exercise.set
        tags = exercise.tags
        hash = exercise.contentHash
        concept = exercise.concept
    }

    /// The concept it is scheduled by (its own id when it has none), as `Exercise.conceptKey`.
    public var conceptKey: String { concept ?? "id:" + id }

    /// The key its progress is stored under.
    public var key: String { "\(id)@\(hash)" }
}

/// The size and modification time of every exercise file under a content folder, so that a copy of
/// the bank's entries can be trusted only while no file changed.
public struct BankStamp: Sendable, Codable, Equatable {
    /// `path size mtime` of each file, sorted.
    public var files: [String]

    /// The stamp of `root/exercises/<set>/*.yaml` now.
    public static func current(root: URL) -> BankStamp {
        let fm = FileManager.default
        let exercises = root.appendingPathComponent("exercises")
        var files: [String] = []
        for set in (try? fm.contentsOfDirectory(atPath: exercises.path)) ?? [] {
            let folder = exercises.appendingPathComponent(set)
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = folder.appendingPathComponent(name).path
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                #if os(Linux)
                let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                #else
                let mtime = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
                #endif
                files.append("\(path) \(info.st_size) \(mtime)")
            }
        }
        return BankStamp(files: files.sorted())
    }
}

extension ProgressStore {
    /// The bank's entries kept by the last practice session for content folder `root`, if no exercise
    /// file changed since; read-only, nil when there is no copy or it is stale.
    public func cachedBank(root: URL) -> [BankEntry]? {
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        guard let reader = try? DatabaseQueue(path: fileURL.path, configuration: configuration) else { return nil }
        let row = try? reader.read { db -> Row? in
            guard try db.tableExists("bank_cache") else { return nil }
            return try Row.fetchOne(db, sql: "SELECT stamp, entries FROM bank_cache WHERE root = ?", arguments: [root.standardizedFileURL.path])
        }
        guard let row = row ?? nil, let stamp = Self.text(row, "stamp"), let entries = Self.text(row, "entries"),
              let saved = try? JSONDecoder().decode(BankStamp.self, from: Data(stamp.utf8)),
              saved == BankStamp.current(root: root),
              let list = try? JSONDecoder().decode([BankEntry].self, from: Data(entries.utf8)) else { return nil }
        return list
    }

    /// Keeps the bank's entries for content folder `root`, stamped with its files as they are now.
    public func cacheBank(root: URL, entries: [BankEntry], stamp: BankStamp) throws {
        let stampText = String(decoding: try JSONEncoder().encode(stamp), as: UTF8.self)
        let entriesText = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
        try write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS bank_cache (root TEXT PRIMARY KEY, stamp TEXT NOT NULL, entries TEXT NOT NULL)")
            try db.execute(sql: "INSERT OR REPLACE INTO bank_cache (root, stamp, entries) VALUES (?, ?, ?)",
                           arguments: [root.standardizedFileURL.path, stampText, entriesText])
        }
    }
}
