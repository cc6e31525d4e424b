import ArgumentParser
import AttentionCore
import ExpressionLanguage
import Lessons
import LiveValues
import Reports
import MarkdownTerminal
import Support

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
            // too big to record every tensor: fine when the blocked forward pass fits
            guard (try? config.validateForward(tokens: tokens, sourceTokens: sourceTokens)) != nil,
                  (try? config.validate(tokens: tokens, sourceTokens: sourceTokens, memoryLimit: Int.max)) != nil else {
                throw ValidationError(error.message)
            }
        }
    }

    /// Whether every tensor of the run fits in the recording limit.
    var recordable: Bool { (try? config.validate(tokens: tokens, sourceTokens: sourceTokens)) != nil }

    func run() throws {
        let run: AttentionRun
        do {
            let record = recordable
            if !record {
                let bytes = config.estimatedBytes(tokens: tokens, sourceTokens: sourceTokens).map(formatBytes) ?? "too much"
                // The limit named is the one that refused: what is left of the process's budget, or the per-run cap when lower.
                let budget = MemoryBudget.shared
                let limit = budget.available < AttentionConfig.memoryLimitBytes
                    ? "\(formatBytes(budget.available)) left of the process's \(formatBytes(budget.limit)) memory budget"
                    : "\(formatBytes(AttentionConfig.memoryLimitBytes)) a recorded run may hold"
                Standard.error("note: recording every tensor (scores and weights [h, T, S] included) would need about \(bytes), more than the \(limit); running the blocked forward pass instead, which never holds [h, T, S]: shapes and counts only.")
            }
            run = try MultiHeadAttention.seededRun(config: config, tokens: tokens, sourceTokens: sourceTokens, causal: causal, seed: seed, record: record)
        } catch let error as AttentionError {
            throw ValidationError(error.message)
        }
        let report = ShapesReport(run: run, seed: seed)
        if json {
            TerminalOutput.writeOut(try report.json() + "\n")
        } else {
            let settings = TerminalSettings(options: output)
            TerminalOutput.writeOut(report.text(width: settings.width, style: TerminalStyle(color: settings.color)))
        }
    }
}
