import ArgumentParser
import AttentionCore
import Foundation
import MarkdownTerminal
import Reports
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn cost`: what heads cost when a model generates text, measured on this machine.
struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Measure what a decoded token costs for MHA, GQA, MQA and MLA at a model's widths.",
        discussion: """
        Generating text appends one token at a time, and each new token reads every cached key and \
        value of every earlier token. This command builds one layer at the model's real widths in the \
        live core, fills its KV cache to each --context, and times one decode step, for the model's own \
        variant and its MHA, GQA, MQA and MLA counterparts (same d_model, query heads and head width). \
        Beside them it measures this machine's memory bandwidth in the same run (a STREAM-style triad), \
        so you can see that decoding is bound by the bytes it reads. Numbers are fp32, one layer.

        MODEL is a catalog name (`mhalearn model --list`) or a config.json file or folder; or leave it \
        out and give --d-model and --heads (and --kv-heads, --head-dim, --kv-lora-rank, --rope-dim).

        Exit status: 0 success; 64 for bad sizes, an unknown model, or a cache too large to allocate \
        (the message says how many bytes it would need); 1 when a config.json cannot be read.

        Examples:
          mhalearn cost llama-2-7b
          mhalearn cost llama-2-7b --context 1024,4096,16384
          mhalearn cost --d-model 768 --heads 12 --kv-heads 4 --context 2048 --json
          mhalearn cost ~/models/my-model/config.json
        """
    )

    @Argument(help: ArgumentHelp("A catalog model name, or a config.json file or folder.", valueName: "MODEL"))
    var model: String?

    @Option(help: ArgumentHelp("Context lengths to measure, comma-separated.", valueName: "N,N,…"))
    var context: String = "1024,4096"

    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Model width d_model (instead of MODEL).")
    var dModel: Int?

    @Option(parsing: .unconditional, help: "Number of query heads h (instead of MODEL).")
    var heads: Int?

    @Option(name: .customLong("kv-heads"), parsing: .unconditional, help: "Key/value heads (default: heads).")
    var kvHeads: Int?

    @Option(name: .customLong("head-dim"), parsing: .unconditional, help: "Head width d_k (default: d_model / heads).")
    var headDim: Int?

    @Option(name: .customLong("kv-lora-rank"), parsing: .unconditional, help: "MLA latent width r.")
    var kvLoraRank: Int?

    @Option(name: .customLong("rope-dim"), parsing: .unconditional, help: "MLA decoupled rotary width d_r.")
    var ropeDim: Int?

    @Option(parsing: .unconditional, help: "Layers, for whole-model cache bytes (explicit sizes only).")
    var layers: Int = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .customLong("triad-mib"), help: ArgumentHelp("Size of each triad array in MiB (default 128).", visibility: .hidden))
    var triadMiB: Int = 128

    @OptionGroup var output: OutputOptions

    /// The context lengths asked for, or nil when the list is malformed.
    static func contexts(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
        return values.count == parts.count && !values.isEmpty ? values : nil
    }

    /// The configuration given by explicit sizes.
    var explicitConfig: AttentionConfig? {
        guard let dModel, let heads else { return nil }
        return AttentionConfig(dModel: dModel, heads: heads, kvHeads: kvHeads, headDim: headDim, kvLoraRank: kvLoraRank ?? 0,
                               ropeDim: ropeDim ?? 0, bias: false, layers: layers)
    }

    func validate() throws {
        guard let list = CostCommand.contexts(context) else {
            throw ValidationError("--context \(context): give whole numbers separated by commas, e.g. 1024,4096.")
        }
        if let bad = list.first(where: { $0 < 1 || $0 > AttentionConfig.maxDimension }) {
            throw ValidationError("--context \(bad): each context must be between 1 and \(AttentionConfig.maxDimension) tokens.")
        }
        if triadMiB < 1 || triadMiB > 1024 { throw ValidationError("--triad-mib must be between 1 and 1024; got \(triadMiB).") }
        if list.count > 8 { throw ValidationError("--context: at most 8 lengths at a time; got \(list.count).") }
        let sized = [dModel, heads, kvHeads, headDim, kvLoraRank, ropeDim].contains { $0 != nil }
        if model != nil && sized {
            throw ValidationError("Give either MODEL or explicit sizes (--d-model, --heads, …), not both.")
        }
        if model == nil {
            guard dModel != nil, heads != nil else {
                throw ValidationError("Name a model (e.g. llama-2-7b), give a config.json, or give --d-model and --heads.")
            }
            if kvLoraRank == 0 { throw ValidationError("--kv-lora-rank must be at least 1; leave it out for attention without a latent.") }
            if ropeDim != nil && kvLoraRank == nil { throw ValidationError("--rope-dim is the rotary part of MLA; give --kv-lora-rank too.") }
            if let config = explicitConfig {
                do {
                    try CostLab.check(config, contexts: list)
                } catch let error as AttentionError {
                    throw ValidationError(error.message)
                }
            }
        }
    }

    func run() throws {
        let contexts = CostCommand.contexts(context) ?? [4096]
        let (name, config) = try resolve()
        do {
            try CostLab.check(config, contexts: contexts)
        } catch let error as AttentionError {
            throw usageFailure(error.message, command: "cost")
        }
        let terminal = isatty(STDERR_FILENO) != 0
        let started = Date()
        let result = try CostLabResult.measure(name: name, config: config, contexts: contexts, triadCount: triadMiB << 18) { done, total, what in
            let line = "measuring \(done + 1)/\(total): \(what)…"
            if terminal {
                StandardStreams.write("\r\u{1B}[K" + sanitize(line), to: STDERR_FILENO)
            } else {
                Standard.error(line)
            }
        }
        if terminal { StandardStreams.write("\r\u{1B}[K", to: STDERR_FILENO) }
        Standard.error(String(format: "measured in %.1f s", Date().timeIntervalSince(started)))
        let report = CostReport(result)
        if json {
            TerminalOutput.writeOut(try report.json())
        } else {
            let settings = TerminalSettings(options: output)
            TerminalOutput.writeOut(report.text(width: settings.width, style: TerminalStyle(color: settings.color)))
        }
    }

    /// The model's name and attention configuration: explicit sizes, a config.json, or a catalog entry.
    private func resolve() throws -> (String, AttentionConfig) {
        if let config = explicitConfig { return (config.description, config) }
        guard let model else { throw usageFailure("Name a model or give --d-model and --heads.", command: "cost") }
        let url = URL(fileURLWithPath: (model as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            let file = isDirectory.boolValue ? url.appendingPathComponent("config.json") : url
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw usageFailure("\(model): this folder holds no config.json; point at a model folder with one, or at the file itself.", command: "cost")
            }
            do {
                let configuration = try ConfigReader.read(contentsOf: file)
                return (configuration.name, configuration.attentionConfig)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        if let entry = ModelCatalog.entry(named: model) {
            do {
                return (entry.id, try entry.configuration().attentionConfig)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        if model.hasSuffix(".json") || model.hasPrefix(".") || model.hasPrefix("/") || model.hasPrefix("~") {
            throw usageFailure("\(model): no such file or folder.", command: "cost")
        }
        let unknown = UnknownModelError(name: model, suggestion: ModelCatalog.suggestion(for: model))
        throw usageFailure("\(unknown)", command: "cost")
    }
}
