import Foundation
import Support

/// One memory budget for the whole process: what every run, kept run and model file may hold
/// together.
///
/// The budget is half the machine's physical memory (at least 1 GiB), or `MHALEARN_MEMORY_BUDGET`
/// (bytes, or a number with K, M or G for KiB, MiB, GiB; at least 64M). It is the one limit every
/// large allocation is checked against: `AttentionConfig.memoryLimitBytes` is this budget's limit. Large allocations are checked against it before they are made:
/// - `AttentionConfig.validate` refuses a layer whose weights and activations (its
///   `estimatedBytes`) exceed what is left (`shapes`, `model`, a lesson's `mha(…)` before running);
/// - a lesson's or exercise's run (`RunValue` in LiveValues) reserves its estimate when it runs and
///   keeps the reservation as long as the run is kept, so twelve large blocks in one lesson add up
///   here instead of in the machine's memory;
/// - a model file read into memory (`SafetensorsFile`) reserves its size until it is released.
///
/// At the budget, the allocation is refused with a message naming what needed memory, how much,
/// and what is left (`MemoryBudget.Exceeded`); the command reports it as an error (a lesson block
/// shows it in place, as any failed expression) and the process never aborts for lack of memory.
public final class MemoryBudget: @unchecked Sendable {
    /// The budget of this process.
    public static let shared = MemoryBudget(limit: MemoryBudget.limit(environment: ProcessInfo.processInfo.environment))

    /// The default budget on a machine with `physicalMemory` bytes: half of it, at least 1 GiB.
    public static func defaultLimit(physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) -> Int {
        max(Int(clamping: physicalMemory / 2), 1 << 30)
    }

    /// The budget `MHALEARN_MEMORY_BUDGET` asks for, else the default for `physicalMemory`; values
    /// below 64 MiB are raised to 64 MiB, unreadable ones ignored.
    public static func limit(environment: [String: String],
                             physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) -> Int {
        let defaultLimit = MemoryBudget.defaultLimit(physicalMemory: physicalMemory)
        guard let text = environment["MHALEARN_MEMORY_BUDGET"]?.trimmingCharacters(in: .whitespaces).uppercased(), !text.isEmpty else {
            return defaultLimit
        }
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier = 1
        if let last = digits.last, let scale = multipliers[last] {
            multiplier = scale
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number > 0 else { return defaultLimit }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? Int.max : max(bytes, 64 << 20)
    }

    /// Why an allocation was refused.
    public struct Exceeded: Error, CustomStringConvertible, Equatable {
        public let what: String
        public let requested: Int
        public let used: Int
        public let limit: Int

        public init(what: String, requested: Int, used: Int, limit: Int) {
            self.what = what
            self.requested = requested
            self.used = used
            self.limit = limit
        }

        public var description: String {
            "\(what) needs about \(formatBytes(requested)), but only \(formatBytes(max(0, limit - used))) of the process's "
                + "\(formatBytes(limit)) memory budget is left (\(formatBytes(used)) held); use a smaller size, "
                + "or raise the budget with MHALEARN_MEMORY_BUDGET (for example 4G)."
        }
    }

    /// The budget in bytes.
    public let limit: Int
    private let lock = NSLock()
    private var held = 0

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes reserved now.
    public var used: Int {
        lock.lock()
        defer { lock.unlock() }
        return held
    }

    /// Bytes still available.
    public var available: Int { max(0, limit - used) }

    /// Reserves `bytes` for `what`, or throws `Exceeded` when they do not fit.
    public func reserve(_ bytes: Int, for what: String) throws {
        lock.lock()
        defer { lock.unlock() }
        guard bytes >= 0, bytes <= limit - held else {
            throw Exceeded(what: what, requested: bytes, used: held, limit: limit)
        }
        held += bytes
    }

    /// Returns `bytes` reserved earlier.
    public func release(_ bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        held = max(0, held - bytes)
    }

    /// A reservation returned to the budget when the value is released (for memory kept by an
    /// object, such as a lesson's run).
    public final class Reservation: @unchecked Sendable {
        public let bytes: Int
        private let budget: MemoryBudget

        /// Reserves `bytes` of `budget` for `what`.
        public init(_ bytes: Int, for what: String, in budget: MemoryBudget = .shared) throws {
            try budget.reserve(bytes, for: what)
            self.bytes = bytes
            self.budget = budget
        }

        deinit { budget.release(bytes) }
    }
}
