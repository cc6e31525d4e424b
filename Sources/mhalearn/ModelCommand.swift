import ArgumentParser
import AttentionCore
import Foundation
import MarkdownTerminal
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn model NAME|PATH`: explains a published model's attention configuration by building one
/// layer of its exact shape in the attention core and running it.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Explain a published model's attention: heads, K/V heads, head width, KV cache.",
        discussion: """
        NAME is a model from the catalog (`mhalearn model --list`), matched ignoring case and dashes, \
        e.g. llama-2-70b, "Llama 2 70B" or meta-llama/Llama-2-70b-hf. PATH is a Hugging Face \
        config.json, or a folder holding one; an existing file or folder wins over a catalog name.

        The numbers are not typed in: one layer of the model's exact shape (d_model, query heads, K/V \
        heads, head width, MLA latent) is built with seeded weights and run on 4 tokens, and the head \
        counts, head width, attention computations and KV-cache bytes are read from that run and the \
        core's cost model. KV-cache bytes are per token, for all layers, in bf16 unless --dtype says otherwise.

        Exit status: 0 success; 1 when a config.json cannot be resolved or the layer cannot be built; \
        64 for an unknown model name, a missing file, or bad usage.

        Examples:
          mhalearn model --list
          mhalearn model llama-2-70b
          mhalearn model "Mistral 7B" --json
          mhalearn model ~/models/my-model/config.json --dtype int8
        """
    )

    @Argument(help: ArgumentHelp("A catalog model name, or a config.json file or folder.", valueName: "NAME|PATH"))
    var model: String?

    @Flag(help: "Print the numbers as JSON instead of text.")
    var json = false

    @Flag(help: "List the catalog's models and where their numbers come from.")
    var list = false

    @Option(help: ArgumentHelp("Number format of the cached keys and values: fp32, bf16, fp16 or int8.", valueName: "TYPE"))
    var dtype: String = "bf16"

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if list, model != nil {
            throw ValidationError("Give either a model or --list, not both.")
        }
        if !list, model == nil {
            throw ValidationError("Name a model (see `mhalearn model --list`) or give the path of a config.json.")
        }
        if DType(rawValue: dtype.lowercased()) == nil {
            let known = DType.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--dtype \(dtype): use one of \(known).")
        }
    }

    func run() throws {
        let settings = TerminalSettings(options: output)
        let style = TerminalStyle(color: settings.color)
        if list {
            TerminalOutput.writeOut(json ? try ModelReport.listJSON() : ModelReport.listText(width: settings.width, style: style))
            return
        }
        guard let model else { throw ValidationError("Name a model or give the path of a config.json.") }
        let (configuration, entry, file) = try resolve(model)
        let measured: ModelRun
        if isatty(STDERR_FILENO) != 0, let bytes = configuration.attentionConfig.estimatedBytes(tokens: ModelRun.defaultTokens),
           bytes > 256 << 20 {
            Standard.error("building one layer of \(configuration.name)'s shape (about \(formatBytes(bytes)) of weights) and running it…\n")
        }
        do {
            measured = try configuration.run()
        } catch let error as AttentionError {
            Standard.error("error: cannot build \(configuration.name)'s layer: \(error.message)\n")
            throw ExitCode.failure
        }
        let format = DType(rawValue: dtype.lowercased()) ?? .bf16
        TerminalOutput.writeOut(json ? try ModelReport.json(measured, entry: entry, file: file, dtype: format)
                                  : ModelReport.text(measured, entry: entry, file: file, dtype: format, width: settings.width, style: style))
    }

    /// The configuration named by `argument`: a file or folder if one exists there (returned as its
    /// path), else a catalog entry.
    private func resolve(_ argument: String) throws -> (ModelConfiguration, CatalogEntry?, String?) {
        let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue, !FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
                throw usageFailure("\(argument): this folder holds no config.json; point at a model folder with one, or at the file itself.",
                                   command: "model")
            }
            do {
                return (try ConfigReader.read(contentsOf: url), nil, url.path)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        if let entry = ModelCatalog.entry(named: argument) {
            do {
                return (try entry.configuration(), entry, nil)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        if argument.hasSuffix(".json") || argument.hasPrefix(".") || argument.hasPrefix("/") || argument.hasPrefix("~") {
            Standard.error("error: \(argument): no such file or folder.\n")
            throw ExitCode(64)
        }
        let unknown = UnknownModelError(name: argument, suggestion: ModelCatalog.suggestion(for: argument))
        Standard.error("error: \(unknown)\n")
        throw ExitCode(64)
    }
}

/// Text and JSON for `mhalearn model`, built from a measured run.
enum ModelReport {
    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// `x` with at most one decimal, dropping `.0`.
    static func short(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// The sentence naming the attention kind and how heads share K/V.
    static func kindSentence(_ measured: ModelRun) -> String {
        switch measured.kind {
        case "MHA": return "MHA: multi-head attention, every query head has its own K/V head"
        case "MQA": return "MQA: multi-query attention, all \(measured.heads) query heads share one K/V head"
        case "GQA": return "GQA: grouped-query attention, each K/V head is shared by \(measured.groupSize) query heads"
        default: return "MLA: multi-head latent attention, keys and values are rebuilt per head from one cached latent"
        }
    }

    /// The human-readable explanation of one measured model.
    static func text(_ measured: ModelRun, entry: CatalogEntry?, file: String? = nil, dtype: DType = .bf16, width: Int,
                     style: TerminalStyle = TerminalStyle(color: false)) -> String {
        let config = measured.configuration
        let run = measured.run
        let dModel = run.input.shape[1]
        let title = entry.map { "\($0.displayName) (\($0.id))" } ?? sanitize(config.name)
        var rows: [(String, String)] = []
        rows.append(("attention", kindSentence(measured)))
        rows.append(("d_model", grouped(dModel)))
        rows.append(("query heads", grouped(measured.heads)))
        if config.kind == .mla {
            rows.append(("K/V heads", "\(grouped(measured.kvHeads)), rebuilt per head from the latent; the cache holds the latent"))
        } else {
            rows.append(("K/V heads", grouped(measured.kvHeads)))
        }
        let split = dModel % measured.heads == 0 ? dModel / measured.heads : nil
        if split == measured.headDim {
            rows.append(("head dim", "\(measured.headDim) = d_model / heads (\(dModel) / \(measured.heads))"))
        } else {
            let splitText = split.map { "d_model / heads = \(dModel) / \(measured.heads) = \($0)" } ?? "d_model / heads = \(dModel) / \(measured.heads) is not whole"
            let what = config.kind == .mla ? "qk_nope_head_dim" : "set explicitly"
            rows.append(("head dim", "\(measured.headDim) (\(what)), not \(splitText); \(measured.heads) × \(measured.headDim) = \(grouped(measured.heads * measured.headDim)) query values per token"))
        }
        if let latent = config.latent {
            rows.append(("latent", "kv_lora_rank \(latent.kvLoraRank) + rotary key qk_rope_head_dim \(latent.qkRopeHeadDim) = \(measured.cachedValuesPerTokenPerLayer) values cached per token per layer"))
            if let q = latent.qLoraRank {
                rows.append(("query latent", "q_lora_rank \(q): compresses queries, not the cache (the core's layer projects queries directly)"))
            }
        }
        rows.append(("layers", grouped(run.config.layers)))
        if let decoder = config.decoderLayers {
            rows.append(("decoder layers", grouped(decoder)))
        }
        rows.append(("attention computations", "\(grouped(measured.attentionComputations)) per forward pass (\(run.config.layers) layers × \(measured.heads) heads)"))
        let bytes = measured.kvCacheBytesPerToken(dtype)
        rows.append(("KV cache per token", "\(grouped(bytes)) bytes (\(formatBytes(bytes))) in \(dtype.rawValue), all \(run.config.layers) layers"))
        let mha = measured.mhaKVCacheBytesPerToken(dtype)
        if config.kind == .mha {
            rows.append(("  under plain MHA", "the same: this is plain MHA"))
        } else {
            rows.append(("  under plain MHA", "\(grouped(mha)) bytes (\(formatBytes(mha))): \(short(measured.cacheReduction))× more"))
        }
        if let experts = config.experts {
            let shared = experts.sharedExperts > 0 ? ", plus \(experts.sharedExperts) shared" : ""
            rows.append(("experts", "\(experts.experts) per MoE layer, \(experts.expertsPerToken) chosen per token\(shared). Experts are feed-forward networks, not attention heads: they change none of the attention numbers above."))
        }

        let labelWidth = rows.map(\.0.count).max() ?? 0
        var out = style.bold(title) + "\n"
        for (label, value) in rows {
            let padded = "  " + label + String(repeating: " ", count: labelWidth - label.count + 2)
            if padded.count + 20 > width {
                out += style.bold("  " + label) + "\n" + TextLayout.hanging("    ", value, width: width, indent: 4) + "\n"
            } else {
                let line = TextLayout.hanging(padded, value, width: width, indent: padded.count)
                out += style.bold(String(line.prefix(padded.count))) + line.dropFirst(padded.count) + "\n"
            }
        }
        out += "\n"
        let kvShapes: String
        if let latent = run.latent {
            let rope = run.kRope.map { " and k_rope \($0.shape)" } ?? ""
            kvShapes = "its latent \(latent.shape)\(rope) hold"
        } else {
            kvShapes = "its k_heads \(run.kHeads.shape) and v_heads \(run.vHeads.shape) hold"
        }
        out += TextLayout.hanging("  measured: ", "one layer of this exact shape (\(run.config)) was built with seeded weights and run on \(measured.tokens) tokens; output \(run.output.shape); \(kvShapes) \(grouped(measured.cachedValuesPerTokenPerLayer)) values per token per layer.", width: width, indent: 4) + "\n"
        if let note = entry?.note {
            out += TextLayout.hanging("  note: ", note, width: width, indent: 4) + "\n"
        }
        if let entry {
            out += TextLayout.hanging("  source: ", entry.source, width: width, indent: 4) + "\n"
            out += TextLayout.hanging("  checked against: ", entry.crossCheck, width: width, indent: 4) + "\n"
        } else if let file {
            let type = config.modelType.map { " (model_type \(sanitize($0)))" } ?? ""
            out += TextLayout.hanging("  source: ", file + type, width: width, indent: 4) + "\n"
        }
        return TextLayout.fit(out, width: width)
    }

    /// The JSON form of one measured model.
    struct Record: Encodable {
        var name: String
        var kind: String
        var d_model: Int
        var heads: Int
        var kv_heads: Int
        var head_dim: Int
        var head_dim_equals_d_model_over_heads: Bool
        var group_size: Int
        var layers: Int
        var decoder_layers: Int?
        var attention_computations: Int
        var kv_cache_bytes_per_token: Int
        var mha_kv_cache_bytes_per_token: Int
        var kv_cache_dtype: String
        var measured_tokens: Int
        var kv_lora_rank: Int?
        var q_lora_rank: Int?
        var qk_nope_head_dim: Int?
        var qk_rope_head_dim: Int?
        var v_head_dim: Int?
        var experts: Int?
        var experts_per_token: Int?
        var shared_experts: Int?
        var source: String?
        var cross_check: String?
    }

    /// `--json`: the measured numbers, plus the MLA and MoE fields when the model has them.
    static func json(_ measured: ModelRun, entry: CatalogEntry?, file: String? = nil, dtype: DType = .bf16) throws -> String {
        let config = measured.configuration
        let dModel = measured.run.input.shape[1]
        var record = Record(
            name: entry?.id ?? config.name, kind: measured.kind, d_model: dModel, heads: measured.heads,
            kv_heads: measured.kvHeads, head_dim: measured.headDim,
            head_dim_equals_d_model_over_heads: dModel % measured.heads == 0 && dModel / measured.heads == measured.headDim,
            group_size: measured.groupSize, layers: measured.run.config.layers, decoder_layers: config.decoderLayers,
            attention_computations: measured.attentionComputations,
            kv_cache_bytes_per_token: measured.kvCacheBytesPerToken(dtype),
            mha_kv_cache_bytes_per_token: measured.mhaKVCacheBytesPerToken(dtype), kv_cache_dtype: dtype.rawValue,
            measured_tokens: measured.tokens, source: entry?.source ?? file, cross_check: entry?.crossCheck
        )
        if let latent = config.latent {
            record.kv_lora_rank = latent.kvLoraRank
            record.q_lora_rank = latent.qLoraRank
            record.qk_nope_head_dim = latent.qkNopeHeadDim
            record.qk_rope_head_dim = latent.qkRopeHeadDim
            record.v_head_dim = latent.vHeadDim
        }
        if let experts = config.experts {
            record.experts = experts.experts
            record.experts_per_token = experts.expertsPerToken
            record.shared_experts = experts.sharedExperts
        }
        return try JSONText.encode(record) + "\n"
    }

    /// One catalog row for `--list --json`.
    struct ListRecord: Encodable {
        var id: String
        var name: String
        var kind: String
        var d_model: Int
        var heads: Int
        var kv_heads: Int
        var head_dim: Int
        var layers: Int
        var experts: Int?
        var source: String
        var cross_check: String
    }

    /// `--list --json`: every catalog entry's configuration and sources (no layer is run).
    static func listJSON() throws -> String {
        let records = try ModelCatalog.entries.map { entry -> ListRecord in
            let config = try entry.configuration()
            return ListRecord(id: entry.id, name: entry.displayName, kind: config.kind.rawValue, d_model: config.dModel,
                              heads: config.heads, kv_heads: config.kvHeads, head_dim: config.headDim, layers: config.layers,
                              experts: config.experts?.experts, source: entry.source, cross_check: entry.crossCheck)
        }
        return try JSONText.encode(records) + "\n"
    }

    /// `--list`: a table of the catalog with each model's source under it.
    static func listText(width: Int, style: TerminalStyle = TerminalStyle(color: false)) -> String {
        var rows: [[String]] = [["id", "name", "kind", "d_model", "heads", "kv", "head dim", "layers"]]
        var sources: [String] = []
        for entry in ModelCatalog.entries {
            guard let config = try? entry.configuration() else {
                rows.append([entry.id, entry.displayName, "?", "", "", "", "", ""])
                sources.append(entry.source)
                continue
            }
            rows.append([entry.id, entry.displayName, config.kind.rawValue, String(config.dModel), String(config.heads),
                         String(config.kvHeads), String(config.headDim), String(config.layers)])
            sources.append(entry.source)
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }.joined()
        }
        var out = style.bold(line(rows[0])) + "\n"
        for (row, source) in zip(rows.dropFirst(), sources) {
            out += line(row) + "\n"
            out += style.dim(TextLayout.hanging("    source: ", source, width: width, indent: 6)) + "\n"
        }
        out += "\n\(ModelCatalog.entries.count) models. `mhalearn model NAME` builds and runs one layer of a model's shape.\n"
        return TextLayout.fit(out, width: width)
    }
}
