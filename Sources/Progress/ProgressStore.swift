import Foundation
import GRDB
import Exercises
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps progress, every attempt, the review schedule and sessions in SQLite (through GRDB) at
/// `<directory>/progress.sqlite`, in WAL mode, one transaction per finished question (each on its own
/// connection, opened and closed around it).
///
/// - Reading never creates anything: with no database, `snapshot()` returns empty progress (or what
///   an old `progress.json` holds) and touches no file or folder.
/// - The first write imports an existing `progress.json` and renames it `progress.json.imported`.
/// - A file that is not a readable database is moved aside (`progress.corrupt-<time>.sqlite`) by the
///   next write and reported, never silently replaced; reading reports it and shows empty progress.
/// - Every value read is checked: a counter out of range, a time that is not finite or an unknown
///   outcome makes that row ignored and reported, never a crash.
/// - Two sessions at once wait for each other's transactions (busy timeout 5 s); a process killed at
///   any instant loses at most the question it was answering (SQLite's WAL journal).
public final class ProgressStore: Sendable {
    /// The folder holding `progress.sqlite`.
    public let directory: URL
    private let stopCheck = Locked<@Sendable () -> Bool>({ false })
    private let warningsPending = Locked<[String]>([])

    /// Asked while waiting for another mhalearn's transaction: true stops waiting at once (Ctrl-C).
    public var stopWaiting: @Sendable () -> Bool {
        get { stopCheck.value }
        set { stopCheck.value = newValue }
    }
    /// Whether this store has proved its database whole (once a process: `quick_check` reads every page).
    private let verified = Locked(false)

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

    /// The database file.
    public var fileURL: URL { directory.appendingPathComponent("progress.sqlite") }
    /// The JSON file of mhalearn before 0.2, imported on the first write.
    public var legacyURL: URL { directory.appendingPathComponent("progress.json") }

    /// The schema version this build writes: 2 keeps FSRS's state per exercise (1 kept SM-2's;
    /// the first write to a schema-1 store migrates it, see `migrateToFSRS`).
    static let schemaVersion = 2

    // MARK: Reading

    /// Everything stored, read without creating or changing any file; `warnings` lists what was ignored.
    public func snapshot() throws -> (snapshot: ProgressSnapshot, warnings: [String]) {
        if let problem = Self.fileProblem(at: fileURL) { throw ProgressError(description: problem) }
        guard FileManager.default.fileExists(atPath: fileURL.path) else {
            return try legacySnapshot()
        }
        do {
            return try read(path: fileURL.path)
        } catch let error as DatabaseError where Self.needsSpace(error) && !hasJournal {
            // With the disk full, SQLite cannot make the shared-memory file a WAL reader needs. With no
            // journal left over, the file alone holds everything, and an immutable open reads it
            // with no lock and no new file.
            do { return try read(path: Self.immutableURI(fileURL.path)) } catch { throw describe(error, action: "read") }
        } catch let error as DatabaseError {
            throw describe(error, action: "read")
        }
    }

    /// What `snapshot()` reads from the database at `path` (a path or a `file:` URI).
    private func read(path: String) throws -> (snapshot: ProgressSnapshot, warnings: [String]) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = busyMode()
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            var warnings: [String] = []
            let snapshot = try reader.read { db -> ProgressSnapshot in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > Self.schemaVersion { throw ProgressError(description: newerMessage(version)) }
                if version == 0 { return ProgressSnapshot() }
                return try Self.load(db, version: version, warnings: &warnings)
            }
            return (snapshot, warnings)
        } catch let error as DatabaseError where Self.isCorruption(error) || error.resultCode == .SQLITE_ERROR {
            return (ProgressSnapshot(), [corruptWarning(moved: nil)])
        } catch let error as ProgressError {
            throw error
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw describe(error, action: "read")
        }
    }

    /// Whether a WAL journal with content lies beside the database (answers not yet in the file itself).
    private var hasJournal: Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: fileURL.path + "-wal")[.size] as? Int) ?? 0
        return size > 0
    }

    /// Whether `error` is one a full disk (or a read-only folder) gives when opening for reading.
    private static func needsSpace(_ error: DatabaseError) -> Bool {
        [.SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode)
    }

    /// The `file:` URI that opens `path` immutable (no locks, no shared memory, nothing written).
    private static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }

    /// Checks the database once, as a practice session does before it plans: a damaged file is moved
    /// aside and what can be read of it copied into a fresh one. Returns what was done, in words;
    /// with no database, creates nothing.
    public func recoverIfDamaged() throws -> [String] {
        guard FileManager.default.fileExists(atPath: fileURL.path) else { return [] }
        _ = try writer()
        return takeWarnings()
    }

    // MARK: Writing

    /// Records one finished question (its attempts, the new schedule, the session's position) in one transaction.
    @discardableResult
    public func record(_ result: QuestionResult, session: Int64? = nil, position: Int? = nil, now: Date) throws -> [String] {
        guard result.outcome != .unanswered else { return [] }
        let queue = try writer()
        try wrap {
            try queue.write { db in
                let time = now.timeIntervalSince1970
                try db.execute(sql: """
                    INSERT INTO result (session_id, exercise_id, set_name, hash, seed, outcome, credit, attempts, hints, first_try, seconds, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [session, result.id, result.set, result.hash, Int64(bitPattern: result.seed), result.outcome.rawValue,
                                     result.score, result.attempts, result.hints, result.firstTry, result.seconds, time])
                let resultID = db.lastInsertedRowID
                for (number, entry) in result.entries.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO attempt (result_id, number, answer, grade, score, hints_before, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [resultID, number + 1, entry.answer, entry.grade.rawValue, entry.score, entry.hintsBefore, entry.seconds])
                }
                var ignored: [String] = []
                let old = try Self.state(db, id: result.id, hash: result.hash, warnings: &ignored)
                    ?? ExerciseState.fresh(id: result.id, set: result.set, hash: result.hash)
                let scheduler = Scheduler(desiredRetention: try Self.retention(db))
                try Self.save(old.applying(result, at: time, scheduler: scheduler), db)
                if let session, let position {
                    try db.execute(sql: "UPDATE session SET position = ? WHERE id = ?", arguments: [position, session])
                }
            }
        }
        return takeWarnings()
    }

    /// Starts a session of `plan`, returning its number.
    public func startSession(selection: String, seed: UInt64, plan: [PlannedSlot], now: Date) throws -> Int64 {
        let queue = try writer()
        let planText = String(decoding: (try? JSONEncoder().encode(plan)) ?? Data("[]".utf8), as: UTF8.self)
        return try wrap {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO session (started, seed, selection, plan, position) VALUES (?, ?, ?, ?, 0)",
                               arguments: [now.timeIntervalSince1970, Int64(bitPattern: seed), selection, planText])
                return db.lastInsertedRowID
            }
        }
    }

    /// Continues session `id` (a resumed session is open again until it ends).
    public func reopenSession(_ id: Int64) throws {
        let queue = try writer()
        try wrap { try queue.write { try $0.execute(sql: "UPDATE session SET ended = NULL, ending = NULL WHERE id = ?", arguments: [id]) } }
    }

    /// Marks session `id` ended.
    public func endSession(_ id: Int64, ending: String, now: Date) throws {
        let queue = try writer()
        try wrap {
            try queue.write {
                try $0.execute(sql: "UPDATE session SET ended = ?, ending = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, ending, id])
            }
        }
    }

    /// Records that lesson `name` was read.
    public func markLessonRead(_ name: String, now: Date) throws {
        let queue = try writer()
        try wrap {
            try queue.write {
                try $0.execute(sql: "INSERT OR REPLACE INTO lesson_read (name, at) VALUES (?, ?)", arguments: [name, now.timeIntervalSince1970])
            }
        }
    }

    /// Forgets the progress of one set, or of everything when `set` is nil; returns how many exercises were forgotten.
    @discardableResult
    public func reset(set: String?) throws -> (removed: Int, warnings: [String]) {
        guard FileManager.default.fileExists(atPath: fileURL.path) || FileManager.default.fileExists(atPath: legacyURL.path) else {
            return (0, [])
        }
        let queue = try writer()
        let removed: Int = try wrap {
            try queue.write { db in
                if let set {
                    let count = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT exercise_id) FROM exercise_state WHERE set_name = ?", arguments: [set]) ?? 0
                    try db.execute(sql: "DELETE FROM attempt WHERE result_id IN (SELECT id FROM result WHERE set_name = ?)", arguments: [set])
                    try db.execute(sql: "DELETE FROM result WHERE set_name = ?", arguments: [set])
                    try db.execute(sql: "DELETE FROM exercise_state WHERE set_name = ?", arguments: [set])
                    return count
                }
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT exercise_id) FROM exercise_state") ?? 0
                for table in ["attempt", "result", "exercise_state", "session", "lesson_read"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
                return count
            }
        }
        return (removed, takeWarnings())
    }

    /// Runs `body` in one write transaction.
    func write(_ body: (Database) throws -> Void) throws {
        let queue = try writer()
        try wrap { try queue.write { try body($0) } }
    }

    // MARK: Opening for writing

    /// A connection for writing, opened for each change and closed after it, so that a database moved
    /// or replaced between two questions is noticed rather than written through a stale handle.
    private func writer() throws -> DatabaseQueue {
        try createDirectory()
        if let problem = Self.fileProblem(at: fileURL) { throw ProgressError(description: problem) }
        let isNew = !FileManager.default.fileExists(atPath: fileURL.path)
        let opened: DatabaseQueue
        do {
            opened = try openWriter(verify: !verified.value)
            verified.value = true
        } catch let error as DatabaseError where Self.isCorruption(error) {
            opened = try recover()
        } catch is StoreDamage {
            opened = try recover()
        } catch let error as ProgressError {
            throw error
        } catch {
            throw describe(error, action: "open")
        }
        if isNew, FileManager.default.fileExists(atPath: legacyURL.path) { try importLegacy(into: opened) }
        return opened
    }

    /// Moves the damaged database aside, starts a fresh one and copies into it what can be read.
    private func recover() throws -> DatabaseQueue {
        let aside = try moveAside()
        let opened: DatabaseQueue
        do { opened = try openWriter(verify: false) } catch { throw describe(error, action: "create") }
        verified.value = true
        let kept = StoreSalvage.copy(from: aside, into: opened)
        let warning = corruptWarning(moved: aside, kept: kept)
        warningsPending.withLock { $0.append(warning) }
        return opened
    }

    /// Opens the database for writing, creating its tables; with `verify`, first proves it whole
    /// (every table there, with its columns, and `PRAGMA quick_check`), throwing `StoreDamage` if not.
    private func openWriter(verify: Bool) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = busyMode()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: fileURL.path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if version > Self.schemaVersion { throw ProgressError(description: newerMessage(version)) }
            if verify, version > 0,
               try StoreSalvage.damage(db, schema: version == 1 ? Self.schemaOne : Self.schema) { throw StoreDamage() }
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.inTransaction {
                if version == 1 { try Self.migrateToFSRS(db) }
                try db.execute(sql: Self.schema)
                try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)")
                return .commit
            }
        }
        return queue
    }

    /// Waits for another connection's lock up to 5 s in 10 ms steps, stopping as soon as `stopWaiting` says so.
    private func busyMode() -> Database.BusyMode {
        let stop = stopWaiting
        return .callback { tries in
            if stop() || tries >= 500 { return false }
            usleep(10_000)
            return true
        }
    }

    /// Per exercise version: the counters, and FSRS's phase, step, stability, difficulty, last review and due time.
    static let exerciseStateTable = """
        CREATE TABLE IF NOT EXISTS exercise_state (exercise_id TEXT NOT NULL, hash TEXT NOT NULL, set_name TEXT NOT NULL,
            seen INTEGER NOT NULL, correct INTEGER NOT NULL, first_try_correct INTEGER NOT NULL, attempts INTEGER NOT NULL,
            last_outcome TEXT NOT NULL, last_first_try INTEGER NOT NULL, last_seen REAL NOT NULL, phase INTEGER NOT NULL,
            step INTEGER, stability REAL, difficulty REAL, last_review REAL, due REAL NOT NULL, PRIMARY KEY (exercise_id, hash));
        """

    /// Schema 1's tables (SM-2's exercise_state), which a schema-1 store is proved whole against before it migrates.
    static var schemaOne: String {
        schema.replacingOccurrences(of: exerciseStateTable, with: """
            CREATE TABLE IF NOT EXISTS exercise_state (exercise_id TEXT NOT NULL, hash TEXT NOT NULL, set_name TEXT NOT NULL,
                seen INTEGER NOT NULL, correct INTEGER NOT NULL, first_try_correct INTEGER NOT NULL, attempts INTEGER NOT NULL,
                last_outcome TEXT NOT NULL, last_first_try INTEGER NOT NULL, last_seen REAL NOT NULL, repetitions INTEGER NOT NULL,
                ease REAL NOT NULL, interval_days REAL NOT NULL, due REAL NOT NULL, PRIMARY KEY (exercise_id, hash));

            """)
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY, started REAL NOT NULL, ended REAL, seed INTEGER NOT NULL,
            selection TEXT NOT NULL, plan TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0, ending TEXT);
        CREATE TABLE IF NOT EXISTS result (id INTEGER PRIMARY KEY, session_id INTEGER, exercise_id TEXT NOT NULL, set_name TEXT NOT NULL,
            hash TEXT NOT NULL, seed INTEGER NOT NULL, outcome TEXT NOT NULL, credit REAL NOT NULL, attempts INTEGER NOT NULL,
            hints INTEGER NOT NULL, first_try INTEGER NOT NULL, seconds REAL NOT NULL, at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS attempt (id INTEGER PRIMARY KEY, result_id INTEGER NOT NULL, number INTEGER NOT NULL, answer TEXT NOT NULL,
            grade TEXT NOT NULL, score REAL NOT NULL, hints_before INTEGER NOT NULL, seconds REAL NOT NULL);
        \(exerciseStateTable)
        CREATE TABLE IF NOT EXISTS lesson_read (name TEXT PRIMARY KEY, at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS result_session ON result (session_id);
        """

    private func createDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ProgressError(description: "\(directory.path) is a file, not a folder; move it or point XDG_STATE_HOME at a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ProgressError(description: "cannot create the progress folder \(directory.path): \(Self.reason(creating: directory))")
        }
    }

    /// Why `folder` cannot be created, in words: the first part of its path that exists but is not a
    /// folder or not writable, or the system's reason.
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

    private func moveAside() throws -> URL {
        let stamp = Int(Date().timeIntervalSince1970)
        var aside = directory.appendingPathComponent("progress.corrupt-\(stamp).sqlite")
        var suffix = 1
        while FileManager.default.fileExists(atPath: aside.path) {
            aside = directory.appendingPathComponent("progress.corrupt-\(stamp)-\(suffix).sqlite")
            suffix += 1
        }
        guard rename(fileURL.path, aside.path) == 0 else {
            throw ProgressError(description: "\(fileURL.path) is damaged and cannot be moved aside (\(String(cString: strerror(errno)))); move or remove it")
        }
        for extra in ["-wal", "-shm"] { _ = rename(fileURL.path + extra, aside.path + extra) }
        return aside
    }

    private func corruptWarning(moved: URL?, kept: StoreSalvage.Kept = .init()) -> String {
        if let moved {
            let what = kept.results == 0 && kept.exercises == 0
                ? "nothing in it could be read, so progress starts afresh"
                : "\(kept.results) answered question\(kept.results == 1 ? "" : "s") and the progress of \(kept.exercises) exercise\(kept.exercises == 1 ? "" : "s") could be read and were kept"
            return "the progress database \(fileURL.path) was damaged; it was moved to \(moved.path) and \(what)"
        }
        return "the progress database \(fileURL.path) is damaged, so no progress is shown; the next practice session moves it aside and keeps what can be read"
    }

    private func newerMessage(_ version: Int) -> String {
        "\(fileURL.path) was written by a newer mhalearn (schema \(version)); it was left untouched. Update mhalearn or point XDG_STATE_HOME elsewhere"
    }

    private func takeWarnings() -> [String] {
        warningsPending.withLock { pending in
            defer { pending = [] }
            return pending
        }
    }

    // MARK: Errors

    static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ProgressError {
            throw error
        } catch {
            throw describe(error, action: "write")
        }
    }

    /// Whether the file system holding `folder` has no space left (SQLite reports a full disk met
    /// while making its shared-memory file as an input/output error).
    private static func diskFull(_ folder: URL) -> Bool {
        var info = statvfs()
        return statvfs(folder.path, &info) == 0 && info.f_bavail == 0
    }

    /// A database error in words that say what to do.
    private func describe(_ error: Error, action: String) -> ProgressError {
        guard let error = error as? DatabaseError else { return ProgressError(description: "cannot \(action) \(fileURL.path): \(error)") }
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR where Self.diskFull(directory):
            return ProgressError(description: "cannot \(action) \(fileURL.path): the disk is full; free some space and try again")
        case .SQLITE_READONLY:
            return ProgressError(description: "cannot \(action) \(fileURL.path): it or \(directory.path) is read-only; make it writable or point XDG_STATE_HOME at a folder you can write to")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            let writable = FileManager.default.isWritableFile(atPath: directory.path)
            return ProgressError(description: "cannot \(action) \(fileURL.path): " + (writable ? "permission denied; check its permissions" : "\(directory.path) is not writable; make it writable or point XDG_STATE_HOME at a folder you can write to"))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return ProgressError(description: "cannot \(action) \(fileURL.path): another mhalearn was writing it (waited up to 5 seconds, or stopped by Ctrl-C); try again")
        case .SQLITE_IOERR:
            return ProgressError(description: "cannot \(action) \(fileURL.path): input/output error (\(error.message ?? "disk")); check the disk")
        default:
            return ProgressError(description: "cannot \(action) \(fileURL.path): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    // MARK: Rows

    private static func load(_ db: Database, version: Int, warnings: inout [String]) throws -> ProgressSnapshot {
        var snapshot = ProgressSnapshot()
        var damaged = 0
        if version == 1 {
            for state in try replayedStates(db, damaged: &damaged) { snapshot.states["\(state.id)@\(state.hash)"] = state }
        } else {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM exercise_state") {
                if let state = state(from: row) { snapshot.states["\(state.id)@\(state.hash)"] = state } else { damaged += 1 }
            }
            snapshot.retention = try retention(db)
        }
        let totals = try Row.fetchAll(db, sql: """
            SELECT session_id, COUNT(*) AS answered, TOTAL(credit) AS credit, TOTAL(first_try) AS first FROM result
            WHERE session_id IS NOT NULL GROUP BY session_id
            """)
        var bySession: [Int64: (Int, Double, Int)] = [:]
        for row in totals {
            guard let id = int(row, "session_id"), let answered = count(row, "answered"), let credit = real(row, "credit"),
                  let first = real(row, "first"), first >= 0, first < 1e9 else { continue }
            bySession[id] = (answered, credit, Int(first))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY id") {
            guard let id = int(row, "id"), let started = time(row, "started"), let seed = int(row, "seed"),
                  let selection = text(row, "selection"), let planText = text(row, "plan"),
                  let position = count(row, "position"), (row["ending"] as (any DatabaseValueConvertible)?) == nil || text(row, "ending") != nil,
                  let plan = try? JSONDecoder().decode([PlannedSlot].self, from: Data(planText.utf8)) else { damaged += 1; continue }
            let ended = (row["ended"] as (any DatabaseValueConvertible)?) == nil ? nil : time(row, "ended")
            let totals = bySession[id] ?? (0, 0, 0)
            snapshot.sessions.append(SessionInfo(id: id, started: started, ended: ended, selection: selection, seed: UInt64(bitPattern: seed),
                                                 plan: plan, position: min(position, plan.count), ending: text(row, "ending"),
                                                 answered: totals.0, credit: totals.1, firstTry: totals.2))
        }
        for row in try Row.fetchAll(db, sql: "SELECT name, at FROM lesson_read") {
            guard let name = text(row, "name"), let at = time(row, "at") else { damaged += 1; continue }
            snapshot.lessonsRead[name] = at
        }
        for row in try Row.fetchAll(db, sql: "SELECT at, seconds FROM result ORDER BY at, id") {
            if let at = time(row, "at") { snapshot.answerTimes.append(at) }
            if let seconds = real(row, "seconds"), seconds >= 0, seconds < 86_400 { snapshot.answerSeconds.append(seconds) }
        }
        if damaged > 0 {
            warnings.append("\(damaged) damaged record\(damaged == 1 ? "" : "s") in the progress database \(damaged == 1 ? "was" : "were") ignored (values out of range)")
        }
        return snapshot
    }

    private static func state(_ db: Database, id: String, hash: String, warnings: inout [String]) throws -> ExerciseState? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM exercise_state WHERE exercise_id = ? AND hash = ?", arguments: [id, hash]) else {
            return nil
        }
        guard let state = state(from: row) else {
            warnings.append("the damaged record of \(id) was replaced")
            return nil
        }
        return state
    }

    static func save(_ state: ExerciseState, _ db: Database) throws {
        let schedule = state.schedule
        try db.execute(sql: """
            INSERT OR REPLACE INTO exercise_state (exercise_id, hash, set_name, seen, correct, first_try_correct, attempts, last_outcome,
                last_first_try, last_seen, phase, step, stability, difficulty, last_review, due)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [state.id, state.hash, state.set, state.seen, state.correct, state.firstTryCorrect, state.attempts,
                             state.lastOutcome.rawValue, state.lastFirstTry, state.lastSeen, schedule.phase.rawValue, schedule.step,
                             schedule.stability, schedule.difficulty, schedule.lastReview, schedule.due])
    }

    /// A state from a row, or nil when any value is missing or out of range.
    static func state(from row: Row) -> ExerciseState? {
        guard let id = text(row, "exercise_id"), let hash = text(row, "hash"), let set = text(row, "set_name"),
              let seen = count(row, "seen"), let correct = count(row, "correct"), let first = count(row, "first_try_correct"),
              let attempts = count(row, "attempts"), let outcomeText = text(row, "last_outcome"),
              let outcome = QuestionOutcome(rawValue: outcomeText), let lastFirst = count(row, "last_first_try"), lastFirst <= 1,
              let lastSeen = time(row, "last_seen"), let schedule = schedule(from: row),
              correct <= seen, first <= correct else { return nil }
        return ExerciseState(id: id, set: set, hash: hash, seen: seen, correct: correct, firstTryCorrect: first, attempts: attempts,
                             lastOutcome: outcome, lastFirstTry: lastFirst == 1, lastSeen: lastSeen, schedule: schedule)
    }

    /// The FSRS schedule of a row, or nil when a value is out of range (stability 0.001 … 10⁶ days,
    /// difficulty 1 … 10, a step below 100; stability and difficulty both set or both not).
    static func schedule(from row: Row) -> ReviewSchedule? {
        guard let phaseNumber = count(row, "phase"), let phase = ReviewSchedule.Phase(rawValue: phaseNumber),
              let due = time(row, "due") else { return nil }
        let step = isNull(row, "step") ? nil : count(row, "step")
        let stability = isNull(row, "stability") ? nil : real(row, "stability")
        let difficulty = isNull(row, "difficulty") ? nil : real(row, "difficulty")
        let last = isNull(row, "last_review") ? nil : time(row, "last_review")
        guard isNull(row, "step") || (step.map { $0 < 100 } ?? false),
              isNull(row, "stability") == isNull(row, "difficulty"),
              isNull(row, "stability") || (stability.map { $0 >= Scheduler.minimumStability && $0 <= 1e6 } ?? false),
              isNull(row, "difficulty") || (difficulty.map { (1...10).contains($0) } ?? false),
              isNull(row, "last_review") || last != nil,
              phase == .review || !isNull(row, "step") else { return nil }
        return ReviewSchedule(phase: phase, step: step, stability: stability, difficulty: difficulty, due: due, lastReview: last)
    }

    private static func isNull(_ row: Row, _ column: String) -> Bool {
        (row[column] as (any DatabaseValueConvertible)?) == nil
    }

    /// The largest counter accepted from the database.
    static let countLimit: Int64 = 1_000_000_000

    /// A TEXT value, or nil when the column is missing or holds anything else (a BLOB, from a
    /// flipped bit in a record header, is not decoded: GRDB's `row[column] as String?` traps on one
    /// that is not UTF-8). Every value is read through these untyped accessors, which never trap.
    static func text(_ row: Row, _ column: String) -> String? {
        let value: (any DatabaseValueConvertible)? = row[column]
        return value as? String
    }

    static func int(_ row: Row, _ column: String) -> Int64? {
        let value: (any DatabaseValueConvertible)? = row[column]
        return value as? Int64
    }

    static func count(_ row: Row, _ column: String) -> Int? {
        guard let value = int(row, column), value >= 0, value <= countLimit else { return nil }
        return Int(value)
    }

    static func real(_ row: Row, _ column: String) -> Double? {
        let value: (any DatabaseValueConvertible)? = row[column]
        if let double = value as? Double, double.isFinite { return double }
        if let integer = value as? Int64 { return Double(integer) }
        return nil
    }

    /// A time in seconds since 1970 between 1970 and the year 9999.
    static func time(_ row: Row, _ column: String) -> Double? {
        guard let value = real(row, column), value >= 0, value < 253_402_300_800 else { return nil }
        return value
    }

    // MARK: Importing progress.json

    private struct LegacyFile: Decodable {
        var version: Int
        var records: [String: LegacyRecord]
    }

    private struct LegacyRecord: Decodable {
        var id: String
        var set: String
        var hash: String
        var seen: Int
        var correct: Int
        var lastOutcome: String
        var lastSeen: Double
    }

    /// The states an old `progress.json` describes: seen and, if last right, learned (not mastered, as
    /// it did not record first tries); every one due for review at once.
    private func legacyStates() throws -> [ExerciseState]? {
        guard let bytes = FileManager.default.contents(atPath: legacyURL.path) else { return nil }
        guard let file = try? JSONDecoder().decode(LegacyFile.self, from: bytes), file.version == 1 else { return nil }
        return file.records.values.compactMap { record in
            guard (0...Int(Self.countLimit)).contains(record.seen), (0...record.seen).contains(record.correct),
                  record.lastSeen.isFinite, record.lastSeen >= 0, record.lastSeen < 253_402_300_800,
                  let outcome = QuestionOutcome(rawValue: record.lastOutcome), outcome != .unanswered else { return nil }
            return ExerciseState(id: record.id, set: record.set, hash: record.hash, seen: record.seen, correct: record.correct,
                                 firstTryCorrect: 0, attempts: record.seen, lastOutcome: outcome, lastFirstTry: false,
                                 lastSeen: record.lastSeen, schedule: Self.dueAt(record.lastSeen))
        }.sorted { $0.id < $1.id }
    }

    private func legacySnapshot() throws -> (snapshot: ProgressSnapshot, warnings: [String]) {
        guard FileManager.default.fileExists(atPath: legacyURL.path) else { return (ProgressSnapshot(), []) }
        guard let states = try legacyStates() else {
            return (ProgressSnapshot(), ["\(legacyURL.path) cannot be read, so it is ignored; the next practice session keeps it as progress.json.imported"])
        }
        var snapshot = ProgressSnapshot()
        for state in states { snapshot.states["\(state.id)@\(state.hash)"] = state }
        return (snapshot, [])
    }

    private func importLegacy(into queue: DatabaseQueue) throws {
        let states = try legacyStates()
        if let states {
            try wrap { try queue.write { db in for state in states { try Self.save(state, db) } } }
        }
        var target = directory.appendingPathComponent("progress.json.imported")
        var suffix = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = directory.appendingPathComponent("progress.json.imported-\(suffix)")
            suffix += 1
        }
        if rename(legacyURL.path, target.path) == 0 {
            let warning = states == nil
                ? "\(legacyURL.path) could not be read; it was kept as \(target.path) and nothing was imported"
                : "imported \(states?.count ?? 0) exercise records from \(legacyURL.path), kept as \(target.path)"
            warningsPending.withLock { $0.append(warning) }
        }
    }
}
