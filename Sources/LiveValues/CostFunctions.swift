import AttentionCore
import ExpressionLanguage
import Foundation

/// `decode_cost(model: "llama-2-7b", context: 1024)`: the cost lab (`mhalearn cost`) run live, as a
/// table whose headings say the figures were measured on this machine. Its numbers are timings:
/// lessons `show` them and never make claims about them.
enum CostFunctions {
    static let decodeCost = Function("decode_cost", parameters: [
        .init("model"), .init("context", default: .integer(1024)),
    ]) { arguments in
        let published = try ModelValue(named: try arguments.string("model")).published
        let context = try arguments.integer("context", in: 1...65536)
        let config = published.configuration.attentionConfig
        let result: CostLabResult
        do {
            // small triad arrays (3 × 32 MiB) and short timings keep `mhalearn check` quick
            result = try CostLabResult.measure(name: published.name, config: config, contexts: [context],
                                               minimumSeconds: 0.05, triadCount: 8 << 20)
        } catch let error as AttentionError {
            throw FunctionError(error.message, argument: "context")
        }
        let bandwidth = result.bandwidth.gigabytesPerSecond
        let rows: [[Value]] = result.rows.map { row in
            let s = row.step, c = s.config
            let name = (c.isLatent ? "MLA r=\(c.kvLoraRank)+\(c.ropeDim)" : "\(c.kind) kv=\(c.kvHeads)") + (row.own ? " (own)" : "")
            return [.string(name), .integer(s.bytesRead), .decimal((s.seconds * 1e5).rounded() / 100),
                    .decimal((s.achievedBytesPerSecond / 1e8).rounded() / 10),
                    .decimal((bandwidth * 10).rounded() / 10)]
        }
        return .object(TableValue(header: ["variant, \(context) tokens", "bytes read",
                                           "ms (measured here)", "GB/s", "triad GB/s"], rows: rows))
    }
}
