import AttentionCore
import Foundation
import MarkdownTerminal
import Support

/// What `mhalearn cost` prints: per variant and context, the cache per token, the bytes a decode
/// step reads, the measured time per step and the bandwidth it achieved, beside the machine's
/// triad bandwidth, then a bar chart of milliseconds per decoded token; or the same as JSON.
public struct CostReport {
    /// The lab's measurements.
    public let result: CostLabResult

    /// A report of `result`.
    public init(_ result: CostLabResult) { self.result = result }

    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// The variant's label: its kind and K/V heads (MLA: latent and rotary widths), `*` for the model's own.
    static func label(_ row: CostLabResult.Row) -> String {
        let c = row.step.config
        let what = c.isLatent ? "MLA r=\(c.kvLoraRank)+\(c.ropeDim)" : "\(c.kind) kv=\(c.kvHeads)"
        return what + (row.own ? " *" : "")
    }

    /// The table and the chart, fitted to `width` columns.
    public func text(width: Int, style: TerminalStyle = TerminalStyle(color: false)) -> String {
        let r = result, c = r.config
        var out = style.bold("Cost of decoding one token: \(sanitize(r.name))") + "\n"
        out += TextLayout.hanging("  ", "\(c.description); one layer of this width was built in the core for each variant (same d_model, \(c.heads) query heads, d_k = \(c.headDim)); its cache was filled to each context and one decode step (scores against every cached token, softmax, weighted sum) was timed. fp32, measured on this machine.", width: width, indent: 2) + "\n"
        let bw = r.bandwidth
        out += TextLayout.hanging("  ", "Memory bandwidth on this machine, measured in this run: \(CostReport.fixed(bw.gigabytesPerSecond, 1)) GB/s (STREAM-style triad a = b + s·c over 3 × \(formatBytes(bw.bytesPerPass / 3)), best of \(bw.passes)).", width: width, indent: 2) + "\n\n"
        let header = ["variant", "context", "KV/token/layer", "KV/token model", "read/token", "ms/token", "GB/s", "of triad"]
        var table: [[String]] = [header]
        for row in r.rows {
            let s = row.step
            let model = s.cacheBytesPerTokenPerLayer * c.layers
            table.append([CostReport.label(row), NumberText.grouped(s.context), formatBytes(s.cacheBytesPerTokenPerLayer),
                          formatBytes(model), formatBytes(s.bytesRead), CostReport.fixed(s.seconds * 1000, 3),
                          CostReport.fixed(s.achievedBytesPerSecond / 1e9, 1),
                          CostReport.fixed(100 * s.achievedBytesPerSecond / bw.bytesPerSecond, 0) + "%"])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for (index, line) in table.enumerated() {
            let cells = line.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            let text = "  " + cells.joined(separator: "  ")
            out += (index == 0 ? style.bold(text) : text) + "\n"
        }
        out += TextLayout.hanging("  ", "* the model's own variant. KV/token model counts all \(c.layers) layers; read/token is what one layer's decode step reads (the whole cache, and for MLA also W_UK and W_UV); GB/s is read/token over the measured time.", width: width, indent: 2) + "\n\n"
        out += style.bold("  ms per decoded token, one layer") + "\n"
        let longest = r.rows.map { CostReport.label($0).count }.max() ?? 0
        let maxMs = r.rows.map { $0.step.seconds * 1000 }.max() ?? 1
        let barWidth = max(10, min(60, width - longest - 16))
        for context in r.contexts {
            out += "  context \(NumberText.grouped(context))\n"
            for row in r.rows where row.step.context == context {
                let ms = row.step.seconds * 1000
                let cells = maxMs > 0 ? Int((ms / maxMs * Double(barWidth)).rounded()) : 0
                let bar = String(repeating: "█", count: max(cells, ms > 0 ? 1 : 0))
                out += "    " + CostReport.label(row).padding(toLength: longest, withPad: " ", startingAt: 0) + " " + bar + " " + CostReport.fixed(ms, 3) + "\n"
            }
        }
        return out
    }

    /// One variant at one context, as `--json` prints it.
    public struct Variant: Codable, Equatable {
        public let kind: String
        public let own: Bool
        public let kv_heads: Int
        public let head_dim: Int
        public let kv_lora_rank: Int
        public let rope_dim: Int
        public let context: Int
        public let kv_cache_bytes_per_token_per_layer: Int
        public let kv_cache_bytes_per_token: Int
        public let bytes_read_per_token: Int
        public let decode_ms_per_token: Double
        public let achieved_gbps: Double
        public let fraction_of_bandwidth: Double
        public let flops_per_token: Int
        public let steps_timed: Int
    }

    /// The whole report, as `--json` prints it.
    public struct Record: Codable, Equatable {
        public let name: String
        public let kind: String
        public let d_model: Int
        public let heads: Int
        public let kv_heads: Int
        public let head_dim: Int
        public let layers: Int
        public let dtype: String
        public let contexts: [Int]
        public let bandwidth_gbps: Double
        public let bandwidth_method: String
        public let measured_layer: String
        public let variants: [Variant]
    }

    /// The JSON record.
    public var record: Record {
        let r = result, c = r.config, bw = r.bandwidth.bytesPerSecond
        return Record(
            name: r.name, kind: c.kind, d_model: c.dModel, heads: c.heads, kv_heads: c.kvHeads, head_dim: c.headDim,
            layers: c.layers, dtype: "fp32", contexts: r.contexts, bandwidth_gbps: bw / 1e9,
            bandwidth_method: "STREAM-style triad a = b + s·c, 3 arrays of \(r.bandwidth.bytesPerPass / 3) bytes, best of \(r.bandwidth.passes), this run",
            measured_layer: "one layer; decode step = scores, softmax and weighted sum over the cache (MLA: with absorbed W_UK and W_UV)",
            variants: r.rows.map { row in
                let s = row.step, v = s.config
                return Variant(kind: v.kind, own: row.own, kv_heads: v.kvHeads, head_dim: v.headDim, kv_lora_rank: v.kvLoraRank,
                               rope_dim: v.ropeDim, context: s.context, kv_cache_bytes_per_token_per_layer: s.cacheBytesPerTokenPerLayer,
                               kv_cache_bytes_per_token: s.cacheBytesPerTokenPerLayer * c.layers, bytes_read_per_token: s.bytesRead,
                               decode_ms_per_token: s.seconds * 1000, achieved_gbps: s.achievedBytesPerSecond / 1e9,
                               fraction_of_bandwidth: s.achievedBytesPerSecond / bw, flops_per_token: s.flops, steps_timed: s.steps)
            })
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    public func json() throws -> String { try JSONText.encode(record) + "\n" }
}
