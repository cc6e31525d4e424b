import AttentionCore
import Foundation
import MarkdownTerminal
import Support

/// The explanation `mhalearn model` prints for a published model, built from one measured layer of its
/// exact shape: a labelled table of its attention numbers and where they come from, as terminal text
/// or as JSON. The catalog listing (`--list`) is here too.
public struct ModelReport {
    /// The measured layer and the configuration it was built from.
    public let measured: ModelRun
    /// The catalog entry the model came from, or nil for a config.json file.
    public let entry: CatalogEntry?
    /// The path of the config.json the model came from, when it was not a catalog entry.
    public let file: String?
    /// The number format KV-cache bytes are counted in.
    public let dtype: DType

    /// A report of `measured`, from a catalog `entry` or a config.json `file`, counting the cache in `dtype`.
    public init(_ measured: ModelRun, entry: CatalogEntry?, file: String? = nil, dtype: DType = .bf16) {
        self.measured = measured
        self.entry = entry
        self.file = file
        self.dtype = dtype
    }

    /// `x` with at most one decimal, dropping `.0`.
    public static func short(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// The sentence naming the attention kind and how heads share K/V.
    public static func kindSentence(_ measured: ModelRun) -> String {
        switch measured.kind {
        case .mha: return "MHA: multi-head attention, every query head has its own K/V head"
        case .mqa: return "MQA: multi-query attention, all \(measured.heads) query heads share one K/V head"
        case .gqa: return "GQA: grouped-query attention, each K/V head is shared by \(measured.groupSize) query heads"
        case .mla: return "MLA: multi-head latent attention, keys and values are rebuilt per head from one cached latent"
        }
    }

    /// The labelled rows of the explanation, label first, in the order they print.
    public var rows: [(label: String, value: String)] {
        let config = measured.configuration
        let run = measured.run
        let dModel = run.input.shape[1]
        var rows: [(label: String, value: String)] = []
        rows.append(("attention", ModelReport.kindSentence(measured)))
        rows.append(("d_model", NumberText.grouped(dModel)))
        rows.append(("query heads", NumberText.grouped(measured.heads)))
        if config.kind == .mla {
            rows.append(("K/V heads", "\(NumberText.grouped(measured.kvHeads)), rebuilt per head from the latent; the cache holds the latent"))
        } else {
            rows.append(("K/V heads", NumberText.grouped(measured.kvHeads)))
        }
        let split = dModel % measured.heads == 0 ? dModel / measured.heads : nil
        if let latent = config.latent {
            let qk = latent.qkNopeHeadDim + latent.qkRopeHeadDim
            let heads = measured.heads
            rows.append(("head dim", "queries and keys \(qk) per head (qk_nope_head_dim \(latent.qkNopeHeadDim) + qk_rope_head_dim \(latent.qkRopeHeadDim)), \(heads) × \(qk) = \(NumberText.grouped(heads * qk)) query values per token; values \(latent.vHeadDim) per head (v_head_dim), \(heads) × \(latent.vHeadDim) = \(NumberText.grouped(heads * latent.vHeadDim)) into W_O; all set in the config, not derived from d_model / heads"))
        } else if split == measured.headDim {
            rows.append(("head dim", "\(measured.headDim) = d_model / heads (\(dModel) / \(measured.heads))"))
        } else {
            let splitText = split.map { "d_model / heads = \(dModel) / \(measured.heads) = \($0)" } ?? "d_model / heads = \(dModel) / \(measured.heads) is not whole"
            let what = config.kind == .mla ? "qk_nope_head_dim" : "set explicitly"
            rows.append(("head dim", "\(measured.headDim) (\(what)), not \(splitText); \(measured.heads) × \(measured.headDim) = \(NumberText.grouped(measured.heads * measured.headDim)) query values per token"))
        }
        if let latent = config.latent {
            rows.append(("latent", "kv_lora_rank \(latent.kvLoraRank) + rotary key qk_rope_head_dim \(latent.qkRopeHeadDim) = \(measured.cachedValuesPerTokenPerLayer) values cached per token per layer"))
            if let q = latent.qLoraRank {
                rows.append(("query latent", "q_lora_rank \(q): compresses queries, not the cache (the core's layer projects queries directly)"))
            }
        }
        rows.append(("layers", NumberText.grouped(run.config.layers)))
        if let decoder = config.decoderLayers {
            rows.append(("decoder layers", NumberText.grouped(decoder)))
        }
        if config.modelType?.lowercased() == "t5" || config.decoderLayers != nil {
            // encoder-decoder: encoder self-attention, then per decoder layer self-attention and cross-attention
            let decoder = config.decoderLayers ?? run.config.layers
            let encoder = measured.attentionComputations
            let total = encoder + 2 * decoder * measured.heads
            rows.append(("attention computations", "\(NumberText.grouped(total)) per forward pass: \(NumberText.grouped(encoder)) in encoder self-attention (\(run.config.layers) layers × \(measured.heads) heads), \(NumberText.grouped(decoder * measured.heads)) in decoder self-attention and \(NumberText.grouped(decoder * measured.heads)) in cross-attention (\(decoder) decoder layers × \(measured.heads) heads each)"))
        } else {
            rows.append(("attention computations", "\(NumberText.grouped(measured.attentionComputations)) per forward pass (\(run.config.layers) layers × \(measured.heads) heads)"))
        }
        let bytes = measured.kvCacheBytesPerToken(dtype)
        rows.append(("KV cache per token", "\(NumberText.grouped(bytes)) bytes (\(formatBytes(bytes))) in \(dtype.rawValue), all \(run.config.layers) layers"))
        let mha = measured.mhaKVCacheBytesPerToken(dtype)
        if config.kind == .mha {
            rows.append(("  under plain MHA", "the same: this is plain MHA"))
        } else {
            rows.append(("  under plain MHA", "\(NumberText.grouped(mha)) bytes (\(formatBytes(mha))): \(ModelReport.short(measured.cacheReduction))× more"))
        }
        if let experts = config.experts {
            let shared = experts.sharedExperts > 0 ? ", plus \(experts.sharedExperts) shared" : ""
            rows.append(("experts", "\(experts.experts) per MoE layer, \(experts.expertsPerToken) chosen per token\(shared). Experts are feed-forward networks, not attention heads: they change none of the attention numbers above."))
        }
        return rows
    }

    /// The human-readable explanation, fitted to `width` display columns and styled with `style`: a
    /// title, the rows with their values aligned (or under their labels when the terminal is narrow),
    /// then what was measured and where the numbers come from.
    public func text(width: Int, style: TerminalStyle = TerminalStyle(color: false)) -> String {
        let config = measured.configuration
        let run = measured.run
        let title = entry.map { "\($0.displayName) (\($0.id))" } ?? sanitize(config.name)
        let rows = self.rows
        let labelWidth = rows.map(\.label.count).max() ?? 0
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
        out += TextLayout.hanging("  measured: ", "one layer of this exact shape (\(run.config)) was built with seeded weights and run on \(measured.tokens) tokens; output \(run.output.shape); \(kvShapes) \(NumberText.grouped(measured.cachedValuesPerTokenPerLayer)) values per token per layer.", width: width, indent: 4) + "\n"
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

    /// The measured numbers as pretty-printed JSON with sorted keys and a final newline.
    public func json() throws -> String {
        try JSONText.encode(record) + "\n"
    }

    /// The JSON record: the measured numbers, plus the MLA and MoE fields when the model has them.
    public var record: Record {
        let config = measured.configuration
        let dModel = measured.run.input.shape[1]
        var record = Record(
            name: entry?.id ?? config.name, kind: measured.kind.rawValue, d_model: dModel, heads: measured.heads,
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
        return record
    }

    /// The JSON form of one measured model, its keys in snake_case; absent fields are left out.
    public struct Record: Encodable {
        /// The catalog id, or the configuration's name.
        public var name: String
        /// `MHA`, `GQA`, `MQA` or `MLA`.
        public var kind: String
        /// The model width.
        public var d_model: Int
        /// Query heads.
        public var heads: Int
        /// Key/value heads.
        public var kv_heads: Int
        /// The head width.
        public var head_dim: Int
        /// Whether the head width is d_model / heads.
        public var head_dim_equals_d_model_over_heads: Bool
        /// Query heads per key/value head.
        public var group_size: Int
        /// Layers.
        public var layers: Int
        /// Decoder layers, for encoder-decoder models.
        public var decoder_layers: Int?
        /// Layers × heads.
        public var attention_computations: Int
        /// KV-cache bytes per token for all layers, in `kv_cache_dtype`.
        public var kv_cache_bytes_per_token: Int
        /// The same under plain MHA.
        public var mha_kv_cache_bytes_per_token: Int
        /// The number format of the cache.
        public var kv_cache_dtype: String
        /// Tokens the measured layer ran on.
        public var measured_tokens: Int
        /// MLA: the cached latent's width.
        public var kv_lora_rank: Int?
        /// MLA: the query latent's width.
        public var q_lora_rank: Int?
        /// MLA: the non-rotary part of a query/key head.
        public var qk_nope_head_dim: Int?
        /// MLA: the rotary part of a query/key head.
        public var qk_rope_head_dim: Int?
        /// MLA: the value head width.
        public var v_head_dim: Int?
        /// MoE: experts per layer.
        public var experts: Int?
        /// MoE: experts chosen per token.
        public var experts_per_token: Int?
        /// MoE: shared experts.
        public var shared_experts: Int?
        /// Where the configuration comes from: the catalog's source or the config.json path.
        public var source: String?
        /// What the catalog's numbers were checked against.
        public var cross_check: String?
    }

    /// One catalog row for `--list --json`.
    public struct ListRecord: Encodable {
        /// The catalog id.
        public var id: String
        /// The display name.
        public var name: String
        /// `MHA`, `GQA`, `MQA` or `MLA`.
        public var kind: String
        /// The model width.
        public var d_model: Int
        /// Query heads.
        public var heads: Int
        /// Key/value heads.
        public var kv_heads: Int
        /// The head width.
        public var head_dim: Int
        /// Layers.
        public var layers: Int
        /// MoE: experts per layer.
        public var experts: Int?
        /// Where the configuration comes from.
        public var source: String
        /// What the numbers were checked against.
        public var cross_check: String
    }

    /// `--list --json`: every catalog entry's configuration and sources (no layer is run).
    public static func listJSON() throws -> String {
        let records = try ModelCatalog.entries.map { entry -> ListRecord in
            let config = try entry.configuration()
            return ListRecord(id: entry.id, name: entry.displayName, kind: config.kind.rawValue, d_model: config.dModel,
                              heads: config.heads, kv_heads: config.kvHeads, head_dim: config.headDim, layers: config.layers,
                              experts: config.experts?.experts, source: entry.source, cross_check: entry.crossCheck)
        }
        return try JSONText.encode(records) + "\n"
    }

    /// `--list`: a table of the catalog with each model's source under it, fitted to `width`.
    public static func listText(width: Int, style: TerminalStyle = TerminalStyle(color: false)) -> String {
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
