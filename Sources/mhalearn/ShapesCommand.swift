import ArgumentParser
import AttentionCore
import Foundation
import MarkdownTerminal

/// `mhalearn shapes`: runs one attention layer with seeded weights and prints its dimension flow and counts.
struct ShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Run one attention layer and print its dimension flow and counts.",
        discussion: """
        Builds one layer with seeded weights, runs it on seeded tokens, and prints each step with \
        the shape it produced, then d_k, the group size, parameters, multiply-adds, attention \
        computations (layers × heads) and the KV cache per token. Every number comes from the run \
        or from the configuration it ran.

        Variants: --kv-heads N for GQA (N divides --heads) or MQA (N = 1); --head-dim for a head \
        width other than d_model / heads; --source-tokens S for cross-attention; --kv-lora-rank R \
        (and --rope-dim) for multi-head latent attention.

        Examples:
          mhalearn shapes --d-model 768 --heads 12
          mhalearn shapes --d-model 8192 --heads 64 --kv-heads 8 --layers 80 --tokens 4
          mhalearn shapes --d-model 5120 --heads 128 --kv-lora-rank 512 --rope-dim 64
          mhalearn shapes --d-model 768 --heads 12 --tokens 4 --json
        """
    )

    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Model width d_model.")
    var dModel: Int

    @Option(parsing: .unconditional, help: "Number of query heads h.")
    var heads: Int

    @Option(name: .customLong("kv-heads"), parsing: .unconditional, help: "Number of key/value heads (default: heads). Must divide heads.")
    var kvHeads: Int?

    @Option(name: .customLong("head-dim"), parsing: .unconditional, help: "Head width d_k (default: d_model / heads).")
    var headDim: Int?

    @Option(parsing: .unconditional, help: "Number of query tokens T to run.")
    var tokens: Int = 8

    @Option(name: .customLong("source-tokens"), parsing: .unconditional, help: "Run cross-attention: keys and values from a second sequence of S tokens.")
    var sourceTokens: Int?

    @Option(parsing: .unconditional, help: "Layers L of the whole model, for whole-model counts (one layer is run).")
    var layers: Int = 1

    @Option(name: .customLong("kv-lora-rank"), parsing: .unconditional, help: "MLA: compress keys and values into a latent of width R.")
    var kvLoraRank: Int?

    @Option(name: .customLong("rope-dim"), parsing: .unconditional, help: "MLA: width of the decoupled rotary part of queries and keys.")
    var ropeDim: Int?

    @Flag(help: "Mask each token from attending to later ones.")
    var causal = false

    @Flag(name: .customLong("no-bias"), help: "Projections without biases (y = x·W, as in Llama) instead of y = x·W + b.")
    var noBias = false

    @Option(parsing: .unconditional, help: "Seed for the weights and the input.")
    var seed: UInt64 = 0

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var output: OutputOptions

    /// The configuration the options describe.
    var config: AttentionConfig {
        AttentionConfig(dModel: dModel, heads: heads, kvHeads: kvHeads, headDim: headDim,
                        kvLoraRank: kvLoraRank ?? 0, ropeDim: ropeDim ?? 0, bias: !noBias, layers: layers)
    }

    func validate() throws {
        if kvLoraRank == 0 { throw ValidationError("--kv-lora-rank must be at least 1; leave it out for attention without a latent.") }
        if ropeDim != nil && kvLoraRank == nil { throw ValidationError("--rope-dim is the rotary part of MLA; give --kv-lora-rank too.") }
        do {
            try config.validate(tokens: tokens, sourceTokens: sourceTokens)
        } catch let error as AttentionError {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let run: AttentionRun
        do {
            run = try MultiHeadAttention.seededRun(config: config, tokens: tokens, sourceTokens: sourceTokens, causal: causal, seed: seed)
        } catch let error as AttentionError {
            throw ValidationError(error.message)
        }
        if json {
            TerminalOutput.writeOut(try ShapesReport(run: run).json() + "\n")
        } else {
            let style = TerminalStyle(color: TerminalSettings(options: output).color)
            TerminalOutput.writeOut(ShapesCommand.text(run, seed: seed, style: style, width: TerminalSettings(options: output).width))
        }
    }

    /// The human-readable report of a run.
    static func text(_ run: AttentionRun, seed: UInt64, style: TerminalStyle, width: Int = 80) -> String {
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
        let nameWidth = run.trace.steps.map(\.name.count).max() ?? 0
        let shapes = run.trace.steps.map { shapeText($0.shape) }
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
        lines.append("")
        lines.append(style.bold("Parameters") + " (weights + biases)")
        for p in cost.projections {
            lines.append("  \(p.name.padding(toLength: 6, withPad: " ", startingAt: 0)) [\(p.inputs), \(p.outputs)]\(p.bias ? " + [\(p.outputs)]" : "")  \(grouped(p.params))")
        }
        lines.append("  per layer \(grouped(cost.paramsPerLayer))" + (c.layers > 1 ? ", whole model (\(c.layers) layers) \(grouped(cost.params))" : ""))
        lines.append("")
        lines.append(style.bold("Multiply-adds") + " (one layer, \(plural(run.tokens, "token")))")
        for step in cost.steps {
            lines.append("  \(step.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(grouped(step.multiplyAdds))")
        }
        lines.append("  total        \(grouped(cost.multiplyAdds)) (\(grouped(cost.flops)) floating-point operations)")
        lines.append("")
        lines.append(style.bold("Attention computations") + ": layers × heads = \(c.layers) × \(c.heads) = \(grouped(cost.attentionComputations))")
        lines.append("")
        let cached = c.isLatent ? "r + d_r = \(c.kvLoraRank) + \(c.ropeDim)" : "2 · kv · d_k = 2 · \(c.kvHeads) · \(c.headDim)"
        lines.append(style.bold("KV cache per token") + ": \(cached) = \(grouped(cost.kvCacheValuesPerTokenPerLayer)) numbers per layer")
        for dtype in DType.allCases {
            let layer = cost.kvCacheBytesPerTokenPerLayer(dtype), model = cost.kvCacheBytesPerToken(dtype)
            lines.append("  \(dtype.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(grouped(layer)) bytes per layer, \(grouped(model)) bytes for \(c.layers) layer\(c.layers == 1 ? "" : "s") (\(formatBytes(model)))")
        }
        return TextLayout.fit(lines.joined(separator: "\n") + "\n", width: width)
    }

    /// A shape as `[12, 8, 64]`.
    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// An integer with thousands separators, e.g. `2,362,368`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// The JSON form of `mhalearn shapes --json`.
struct ShapesReport: Encodable {
    struct Step: Encodable {
        let name: String
        let shape: [Int]
        let symbols: String
    }

    struct Projection: Encodable {
        let name: String
        let shape: [Int]
        let params: Int
    }

    struct StepCount: Encodable {
        let name: String
        let multiply_adds: Int
    }

    let kind: String
    let d_model: Int
    let heads: Int
    let kv_heads: Int
    let head_dim: Int
    let d_k: Int
    let group_size: Int
    let kv_lora_rank: Int
    let rope_dim: Int
    let tokens: Int
    let source_tokens: Int
    let layers: Int
    let bias: Bool
    let causal: Bool
    let attention_computations: Int
    let params_per_layer: Int
    let params: Int
    let projections: [Projection]
    let multiply_adds: Int
    let multiply_adds_per_step: [StepCount]
    let kv_cache_bytes_per_token: Int
    let kv_cache_bytes_per_token_per_layer: [String: Int]
    let kv_cache_bytes_per_token_by_dtype: [String: Int]
    let steps: [Step]

    init(run: AttentionRun) {
        let c = run.config, cost = run.cost
        kind = c.kind
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

    /// The report as pretty-printed JSON with sorted keys.
    func json() throws -> String {
        try JSONText.encode(self)
    }
}
