import AttentionCore
import ExpressionLanguage
import Foundation

/// `decode_cost(model: "llama-2-7b", context: 1024)`: the cost lab (`mhalearn cost`) run live.
///
/// `show` draws its table, whose headings say the figures were measured on this machine. Timings
/// change from run to run, so lessons make no claim about them; what a lesson may claim is where
/// each variant sits on this machine's roofline: `lab.mha.regime == "memory-bound"`,
/// `lab.mqa.flops_per_byte > lab.balance`, `lab.gqa.memory_bound`.
enum CostFunctions {
    static let decodeCost = Function("decode_cost", parameters: [
        .init("model"), .init("context", default: .integer(1024)),
    ]) { arguments in
        let published = try ModelValue(named: try arguments.string("model")).published
        let context = try arguments.integer("context", in: 1...65536)
        let config = published.configuration.attentionConfig
        // one measurement per model and context in a process: `check --models all` evaluates a
        // lesson once per catalog model, and the lab's figures are never claimed anyway
        if let known = measured.value(for: "\(published.name)|\(context)") { return .object(DecodeCostValue(result: known)) }
        let result: CostLabResult
        do {
            // small triad arrays (3 × 64 MiB), a small sgemm and short timings keep `mhalearn check`
            // quick; the caches timed still cover several times the last-level cache
            result = try CostLabResult.measure(name: published.name, config: config, contexts: [context],
                                               minimumSeconds: 0.03, triadCount: 16 << 20, gemmSize: 512,
                                               footprint: 2 * DecodeProbe.lastLevelCacheBytes)
        } catch let error as AttentionError {
            throw FunctionError(error.message, argument: "context")
        }
        measured.store(result, for: "\(published.name)|\(context)")
        return .object(DecodeCostValue(result: result))
    }

    /// The lab results measured so far in this process.
    static let measured = Measurements()

    final class Measurements: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [String: CostLabResult] = [:]

        func value(for key: String) -> CostLabResult? {
            lock.lock()
            defer { lock.unlock() }
            return results[key]
        }

        func store(_ result: CostLabResult, for key: String) {
            lock.lock()
            defer { lock.unlock() }
            results[key] = result
        }
    }
}

/// One run of the cost lab as a value: a table for `show`, and each variant's place on the roofline.
public struct DecodeCostValue: ValueObject {
    /// What was measured.
    public let result: CostLabResult

    public init(result: CostLabResult) { self.result = result }

    /// The table `show` draws.
    public var table: TableValue {
        let context = result.contexts.first ?? 0
        let rows: [[Value]] = result.rows.map { row in
            let s = row.step
            return [.string(DecodeStepValue.label(row)), .integer(s.bytesRead), .decimal((s.opsPerByte * 10).rounded() / 10),
                    .string(row.regime.rawValue), .decimal((row.rooflineSeconds * 1e5).rounded() / 100),
                    .decimal((s.seconds * 1e5).rounded() / 100),
                    row.shareOfRoofline.map { .string("\(Int(($0 * 100).rounded()))%") } ?? .string("unsteady")]
        }
        return TableValue(header: ["variant, \(context) tokens", "bytes read", "FLOPs per byte", "regime", "roofline ms",
                                   "ms (measured here)", "of roofline"], rows: rows)
    }

    /// Variant members: the first row of each kind.
    private func variant(_ kind: AttentionKind) -> Value? {
        result.rows.first { $0.step.config.kind == kind }.map { .object(DecodeStepValue(row: $0, roofline: result.roofline)) }
    }

    public var typeName: String { "decode cost" }
    public var memberNames: [String] {
        ["table", "header", "rows", "mha", "gqa", "mqa", "mla", "own", "balance", "triad_gbps", "sgemm_gflops", "steady"]
    }

    public func member(_ name: String) -> Value? {
        let roofline = result.roofline
        switch name {
        case "table": return .object(table)
        case "header", "rows": return table.member(name)
        case "mha": return variant(.mha)
        case "gqa": return variant(.gqa)
        case "mqa": return variant(.mqa)
        case "mla": return variant(.mla)
        case "own": return result.rows.first { $0.own }.map { .object(DecodeStepValue(row: $0, roofline: roofline)) }
        case "balance": return .decimal(roofline.balance)
        case "triad_gbps": return .decimal(roofline.bandwidth.gigabytesPerSecond)
        case "sgemm_gflops": return .decimal(roofline.compute.gigaflopsPerSecond)
        case "steady": return .boolean(roofline.isSteady)
        default: return nil
        }
    }

    public func element(at index: Int) throws -> Value? { try table.element(at: index) }
    public var summary: String { table.summary }
    public func isEqual(to other: any ValueObject) -> Bool { table.isEqual(to: (other as? DecodeCostValue)?.table ?? other) }
}

/// One variant's decode step on this machine's roofline.
public struct DecodeStepValue: ValueObject {
    let row: CostLabResult.Row
    let roofline: Roofline

    /// The variant's label, as the table shows it.
    static func label(_ row: CostLabResult.Row) -> String {
        let c = row.step.config
        return (c.isLatent ? "MLA r=\(c.kvLoraRank)+\(c.ropeDim)" : "\(c.kind) kv=\(c.kvHeads)") + (row.own ? " (own)" : "")
    }

    public var typeName: String { "decode step" }
    public var memberNames: [String] {
        ["kind", "label", "bytes_read", "flops", "flops_per_byte", "regime", "memory_bound", "compute_bound",
         "roofline_ms", "ms", "share_of_roofline"]
    }

    public func member(_ name: String) -> Value? {
        let s = row.step
        switch name {
        case "kind": return .string(s.config.kind.rawValue)
        case "label": return .string(DecodeStepValue.label(row))
        case "bytes_read": return .integer(s.bytesRead)
        case "flops": return .integer(s.flops)
        case "flops_per_byte": return .decimal(s.opsPerByte)
        case "regime": return .string(row.regime.rawValue)
        case "memory_bound": return .boolean(row.regime == .memory)
        case "compute_bound": return .boolean(row.regime == .compute)
        case "roofline_ms": return .decimal(row.rooflineSeconds * 1000)
        case "ms": return .decimal(s.seconds * 1000)
        case "share_of_roofline": return row.shareOfRoofline.map { .decimal($0) }
        default: return nil
        }
    }

    public func memberValue(_ name: String) throws -> Value? {
        if name == "share_of_roofline" && row.shareOfRoofline == nil {
            throw FunctionError("the machine's load changed while its roofline was measured (spread above \(Int(Roofline.steadySpread * 100))%), so this run has no share of the roofline; claim the regime instead, which does not depend on load.")
        }
        return member(name)
    }

    public var summary: String { "\(DecodeStepValue.label(row)): \(row.regime.rawValue)" }
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? DecodeStepValue else { return false }
        return other.row.step == row.step
    }
}
