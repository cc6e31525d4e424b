import AttentionCore
import Foundation
import MarkdownTerminal
import Support

/// What `mhalearn cost` prints: per variant and context, the cache per token, the bytes a decode
/// step reads, its FLOPs per byte and regime, its roofline time, the measured time per step and its
/// share of the roofline, beside the machine's triad bandwidth and sgemm rate, then a bar chart of
/// milliseconds per decoded token; or the same as JSON.
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
        let bw = r.bandwidth, roof = r.roofline
        out += TextLayout.hanging("  ", "This machine, measured in this run: memory bandwidth \(CostReport.fixed(bw.gigabytesPerSecond, 1)) GB/s (STREAM-style triad a = b + s·c over 3 × \(formatBytes(bw.bytesPerPass / 3)), median of \(bw.passes), spread \(CostReport.fixed(100 * bw.spread, 0))%); compute rate \(CostReport.fixed(roof.compute.gigaflopsPerSecond, 1)) GFLOP/s (sgemm \(roof.compute.size)³, median of \(roof.compute.passes), spread \(CostReport.fixed(100 * roof.compute.spread, 0))%); balance \(CostReport.fixed(roof.balance, 1)) FLOPs per byte.", width: width, indent: 2) + "\n"
        if !roof.isSteady {
            out += TextLayout.hanging("  ", "The machine's load changed while it was measured (spread above \(CostReport.fixed(100 * Roofline.steadySpread, 0))%), so no share of the roofline is given; run again when it is quieter.", width: width, indent: 2) + "\n"
        }
        out += "\n"
        let header = ["variant", "context", "KV/token/layer", "read/token", "FLOPs/byte", "bound by", "roofline ms", "ms/token", "GB/s", "of roofline"]
        var table: [[String]] = [header]
        for row in r.rows {
            let s = row.step
            table.append([CostReport.label(row), NumberText.grouped(s.context), formatBytes(s.cacheBytesPerTokenPerLayer),
                          formatBytes(s.bytesRead), CostReport.fixed(s.opsPerByte, 1), row.regime == .memory ? "memory" : "compute",
                          CostReport.fixed(row.rooflineSeconds * 1000, 3), CostReport.fixed(s.seconds * 1000, 3),
                          CostReport.fixed(s.achievedBytesPerSecond / 1e9, 1),
                          row.shareOfRoofline.map { CostReport.fixed(100 * $0, 0) + "%" } ?? "-"])
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
        out += TextLayout.hanging("  ", "* the model's own variant. read/token is what one layer's decode step reads (the whole cache, and for MLA also W_UK and W_UV; all \(c.layers) layers read \(c.layers)×); bound by compares FLOPs/byte with the machine's balance; roofline ms = max(read / bandwidth, FLOPs / compute rate), the least time the step can take here; of roofline = roofline ms / ms/token. Each step was timed over enough layers' caches to cover \(formatBytes(r.rows.first?.step.footprintBytes ?? 0)) or more, so its bytes came from memory.", width: width, indent: 2) + "\n\n"
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
        public let flops_per_byte: Double
        public let regime: Regime
        public let roofline_ms: Double
        public let share_of_roofline: Double?
        public let layers_cycled: Int
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
        public let bandwidth_spread: Double
        public let bandwidth_method: String
        public let compute_gflops: Double
        public let compute_spread: Double
        public let compute_method: String
        public let balance_flops_per_byte: Double
        public let steady: Bool
        public let measured_layer: String
        public let variants: [Variant]
    }

    /// The JSON record.
    public var record: Record {
        let r = result, c = r.config, bw = r.bandwidth.bytesPerSecond
        return Record(
            name: r.name, kind: c.kind.rawValue, d_model: c.dModel, heads: c.heads, kv_heads: c.kvHeads, head_dim: c.headDim,
            layers: c.layers, dtype: "fp32", contexts: r.contexts, bandwidth_gbps: bw / 1e9,
            bandwidth_spread: r.bandwidth.spread,
            bandwidth_method: "STREAM-style triad a = b + s·c, 3 arrays of \(r.bandwidth.bytesPerPass / 3) bytes, median of \(r.bandwidth.passes), this run",
            compute_gflops: r.roofline.compute.gigaflopsPerSecond, compute_spread: r.roofline.compute.spread,
            compute_method: "sgemm \(r.roofline.compute.size)×\(r.roofline.compute.size)×\(r.roofline.compute.size) fp32 over \(Parallel.threadCount) threads, median of \(r.roofline.compute.passes), this run",
            balance_flops_per_byte: r.roofline.balance, steady: r.roofline.isSteady,
            measured_layer: "one layer; decode step = scores, softmax and weighted sum over the cache (MLA: with absorbed W_UK and W_UV)",
            variants: r.rows.map { row in
                let s = row.step, v = s.config
                return Variant(kind: v.kind.rawValue, own: row.own, kv_heads: v.kvHeads, head_dim: v.headDim, kv_lora_rank: v.kvLoraRank,
                               rope_dim: v.ropeDim, context: s.context, kv_cache_bytes_per_token_per_layer: s.cacheBytesPerTokenPerLayer,
                               kv_cache_bytes_per_token: s.cacheBytesPerTokenPerLayer * c.layers, bytes_read_per_token: s.bytesRead,
                               decode_ms_per_token: s.seconds * 1000, achieved_gbps: s.achievedBytesPerSecond / 1e9,
                               fraction_of_bandwidth: s.achievedBytesPerSecond / bw, flops_per_token: s.flops, flops_per_byte: s.opsPerByte,
                               regime: row.regime, roofline_ms: row.rooflineSeconds * 1000, share_of_roofline: row.shareOfRoofline,
                               layers_cycled: s.layers, steps_timed: s.steps)
            })
    }

    /// Pretty-printed JSON with sorted keys and a final newline.
    public func json() throws -> String { try JSONText.encode(record) + "\n" }
}
