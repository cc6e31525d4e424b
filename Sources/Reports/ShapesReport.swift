import AttentionCore
import Foundation
import MarkdownTerminal
import Support

/// The report `mhalearn shapes` prints for one attention run: its dimension flow, parameter and
/// multiply-add counts and KV cache, as terminal text or as JSON. Every number is read from the run.
public struct ShapesReport {
    /// The run the report describes.
    public let run: AttentionRun
    /// The seed the run's weights and input came from, named in the title.
    public let seed: UInt64

    /// A report of `run`, made with weights and input from `seed`.
    public init(run: AttentionRun, seed: UInt64) {
        self.run = run
        self.seed = seed
    }

    /// The human-readable report, fitted to `width` display columns and styled with `style`.
    public func text(width: Int = 80, style: TerminalStyle) -> String {
        let c = run.config, cost = run.cost
        var lines: [String] = []
        let plural = { (n: Int, word: String) in "\(n) \(word)\(n == 1 ? "" : "s")" }
        let what = run.isCross
            ? "as cross-attention from \(plural(run.tokens, "query token")) to \(plural(run.sourceTokens, "source token"))"
            : "on " + plural(run.tokens, "token")
        lines.append(style.bold("One \(c.kind) layer, run \(what) (seed \(seed))"))
        var facts = ["d_model = \(c.dModel)", "h = \(c.heads)", "kv_heads = \(c.kvHeads)", "d_k = \(c.headDim)",
                     "group size g = h / kv = \(c.groupSize)"]
        if c.explicitHeadDim != nil && c.headDim * c.heads != c.dModel { facts.append("h·d_k = \(c.queryWidth) ≠ d_model") }
        if c.isLatent { facts += ["kv_lora_rank r = \(c.kvLoraRank)", "rope_dim d_r = \(c.ropeDim)"] }
        lines.append(TextLayout.hanging("  ", facts.joined(separator: " · "), width: width, indent: 2))
        lines.append("")
        lines.append(style.bold("Dimension flow"))
        lines += flowLines(width: width, style: style)
        lines.append("")
        lines.append(style.bold("Parameters") + " (weights + biases)")
        // one column each for the name, the shapes and the count (right-aligned), however many rows MLA adds
        let parameterRows = cost.projections.map { p in
            (name: p.name, shapes: "[\(p.inputs), \(p.outputs)]" + (p.bias ? " + [\(p.outputs)]" : ""), count: NumberText.grouped(p.params))
        }
        let nameColumn = parameterRows.map(\.name.count).max() ?? 0
        let shapeColumn = parameterRows.map(\.shapes.count).max() ?? 0
        let countColumn = parameterRows.map(\.count.count).max() ?? 0
        for row in parameterRows {
            lines.append("  " + row.name.padding(toLength: nameColumn, withPad: " ", startingAt: 0) + "  "
                         + row.shapes.padding(toLength: shapeColumn, withPad: " ", startingAt: 0) + "  "
                         + String(repeating: " ", count: countColumn - row.count.count) + row.count)
        }
        lines.append("  per layer \(NumberText.grouped(cost.paramsPerLayer))" + (c.layers > 1 ? ", whole model (\(c.layers) layers) \(NumberText.grouped(cost.params))" : ""))
        lines.append("")
        lines.append(style.bold("Multiply-adds") + " (one layer, \(plural(run.tokens, "token")))")
        for step in cost.steps {
            lines.append("  \(step.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(NumberText.grouped(step.multiplyAdds))")
        }
        lines.append("  total        \(NumberText.grouped(cost.multiplyAdds)) (\(NumberText.grouped(cost.flops)) floating-point operations)")
        lines.append("")
        lines.append(style.bold("Attention computations") + ": layers × heads = \(c.layers) × \(c.heads) = \(NumberText.grouped(cost.attentionComputations))")
        lines.append("")
        let cached = c.isLatent ? "r + d_r = \(c.kvLoraRank) + \(c.ropeDim)" : "2 · kv · d_k = 2 · \(c.kvHeads) · \(c.headDim)"
        lines.append(style.bold("KV cache per token") + ": \(cached) = \(NumberText.grouped(cost.kvCacheValuesPerTokenPerLayer)) numbers per layer")
        for dtype in DType.allCases {
            let layer = cost.kvCacheBytesPerTokenPerLayer(dtype), model = cost.kvCacheBytesPerToken(dtype)
            lines.append("  \(dtype.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(NumberText.grouped(layer)) bytes per layer, \(NumberText.grouped(model)) bytes for \(c.layers) layer\(c.layers == 1 ? "" : "s") (\(formatBytes(model)))")
        }
        return TextLayout.fit(lines.joined(separator: "\n") + "\n", width: width)
    }

    /// One line per traced step (name, shape, symbols, operation) in aligned columns; a step whose
    /// columns do not fit in `width` puts its operation, then its symbols too, on a line below.
    private func flowLines(width: Int, style: TerminalStyle) -> [String] {
        var lines: [String] = []
        let nameWidth = run.trace.steps.map(\.name.count).max() ?? 0
        let shapes = run.trace.steps.map { ShapesReport.shapeText($0.shape) }
        let shapeWidth = shapes.map(\.count).max() ?? 0
        let symbolWidth = run.trace.steps.map(\.symbols.count).max() ?? 0
        for (step, shape) in zip(run.trace.steps, shapes) {
            let name = step.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let shapeColumn = shape.padding(toLength: shapeWidth, withPad: " ", startingAt: 0)
            let symbols = step.symbols.padding(toLength: symbolWidth, withPad: " ", startingAt: 0)
            let columns = 2 + nameWidth + 2 + shapeWidth
            if columns + 2 + symbolWidth + 2 + displayWidth(step.operation) <= width {
                lines.append("  \(style.foreground(.cyan, name))  \(style.bold(shapeColumn))  \(style.dim(symbols))  \(step.operation)")
            } else if columns + 2 + symbolWidth <= width {
                lines.append("  \(style.foreground(.cyan, name))  \(style.bold(shapeColumn))  \(style.dim(step.symbols))")
                lines.append(TextLayout.hanging("      ", step.operation, width: width, indent: 6))
            } else {
                let aligned = columns <= width
                lines.append("  \(style.foreground(.cyan, aligned ? name : step.name))  \(style.bold(shape))")
                lines.append(TextLayout.hanging("      ", style.dim(step.symbols) + "  " + step.operation, width: width, indent: 6))
            }
        }
        return lines
    }

    /// A shape as `[12, 8, 64]`.
    public static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// The report as pretty-printed JSON with sorted keys (no trailing newline).
    public func json() throws -> String {
        try JSONText.encode(Record(run: run))
    }

    /// The JSON form of the report, its keys in snake_case.
    public struct Record: Encodable {
        /// One traced step: its name, the shape it produced and that shape in symbols.
        public struct Step: Encodable {
            /// The step's name, e.g. `q_heads`.
            public let name: String
            /// The shape the step produced.
            public let shape: [Int]
            /// The shape in symbols, e.g. `[h, T, d_k]`.
            public let symbols: String
        }

        /// One projection matrix: its name, `[inputs, outputs]` and parameter count (bias included).
        public struct Projection: Encodable {
            /// The matrix's name, e.g. `W_Q`.
            public let name: String
            /// `[inputs, outputs]`.
            public let shape: [Int]
            /// Weights plus biases.
            public let params: Int
        }

        /// The multiply-adds of one costed step.
        public struct StepCount: Encodable {
            /// The step's name.
            public let name: String
            /// The step's multiply-adds for the run's tokens.
            public let multiply_adds: Int
        }

        /// `MHA`, `GQA`, `MQA` or `MLA`.
        public let kind: String
        /// The model width.
        public let d_model: Int
        /// Query heads.
        public let heads: Int
        /// Key/value heads.
        public let kv_heads: Int
        /// The head width.
        public let head_dim: Int
        /// The head width again, under the name the lessons use.
        public let d_k: Int
        /// Query heads per key/value head.
        public let group_size: Int
        /// The MLA latent width (0 without a latent).
        public let kv_lora_rank: Int
        /// The MLA rotary width (0 without a latent).
        public let rope_dim: Int
        /// Query tokens run.
        public let tokens: Int
        /// Key/value tokens run (the query tokens for self-attention).
        public let source_tokens: Int
        /// Layers of the whole model.
        public let layers: Int
        /// Whether the projections have biases.
        public let bias: Bool
        /// Whether later tokens were masked.
        public let causal: Bool
        /// Layers × heads.
        public let attention_computations: Int
        /// Parameters of one layer.
        public let params_per_layer: Int
        /// Parameters of all layers.
        public let params: Int
        /// The projections and their parameters.
        public let projections: [Projection]
        /// Multiply-adds of one layer for the run's tokens.
        public let multiply_adds: Int
        /// Those multiply-adds step by step.
        public let multiply_adds_per_step: [StepCount]
        /// KV-cache bytes per token for all layers, in bf16.
        public let kv_cache_bytes_per_token: Int
        /// KV-cache bytes per token for one layer, by number format.
        public let kv_cache_bytes_per_token_per_layer: [String: Int]
        /// KV-cache bytes per token for all layers, by number format.
        public let kv_cache_bytes_per_token_by_dtype: [String: Int]
        /// The traced steps in order.
        public let steps: [Step]

        /// The record of `run`.
        public init(run: AttentionRun) {
            let c = run.config, cost = run.cost
            kind = c.kind.rawValue
            d_model = c.dModel
            heads = c.heads
            kv_heads = c.kvHeads
            head_dim = c.headDim
            d_k = c.headDim
            group_size = c.groupSize
            kv_lora_rank = c.kvLoraRank
            rope_dim = c.ropeDim
            tokens = run.tokens
            source_tokens = run.sourceTokens
            layers = c.layers
            bias = c.bias
            causal = run.mask.causal
            attention_computations = cost.attentionComputations
            params_per_layer = cost.paramsPerLayer
            params = cost.params
            projections = cost.projections.map { Projection(name: $0.name, shape: [$0.inputs, $0.outputs], params: $0.params) }
            multiply_adds = cost.multiplyAdds
            multiply_adds_per_step = cost.steps.map { StepCount(name: $0.name, multiply_adds: $0.multiplyAdds) }
            kv_cache_bytes_per_token = cost.kvCacheBytesPerToken(.bf16)
            kv_cache_bytes_per_token_per_layer = Dictionary(uniqueKeysWithValues: DType.allCases.map { ($0.rawValue, cost.kvCacheBytesPerTokenPerLayer($0)) })
            kv_cache_bytes_per_token_by_dtype = Dictionary(uniqueKeysWithValues: DType.allCases.map { ($0.rawValue, cost.kvCacheBytesPerToken($0)) })
            steps = run.trace.steps.map { Step(name: $0.name, shape: $0.shape, symbols: $0.symbols) }
        }
    }
}
