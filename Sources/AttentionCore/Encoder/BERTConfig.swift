import Foundation

/// The fields of a BERT `config.json` the encoder needs beyond the attention configuration.
public struct BERTConfig: Sendable, Equatable {
    /// Model width `d_model` (`hidden_size`).
    public var hiddenSize: Int
    /// Attention heads per layer (`num_attention_heads`).
    public var heads: Int
    /// Encoder layers (`num_hidden_layers`).
    public var layers: Int
    /// Feed-forward inner width (`intermediate_size`).
    public var intermediateSize: Int
    /// Vocabulary size (`vocab_size`).
    public var vocabSize: Int
    /// Longest input in tokens (`max_position_embeddings`).
    public var maxPositions: Int
    /// Number of token types (`type_vocab_size`).
    public var typeVocabSize: Int
    /// Layer-norm epsilon (`layer_norm_eps`).
    public var layerNormEps: Float

    /// Creates a configuration from its fields.
    public init(hiddenSize: Int, heads: Int, layers: Int, intermediateSize: Int, vocabSize: Int,
                maxPositions: Int = 512, typeVocabSize: Int = 2, layerNormEps: Float = 1e-12) {
        self.hiddenSize = hiddenSize
        self.heads = heads
        self.layers = layers
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.maxPositions = maxPositions
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
    }

    /// Per-head width `d_k`.
    public var headDim: Int { hiddenSize / heads }

    /// Reads `config.json`: the attention sizes through `ConfigReader` (the reader `mhalearn model`
    /// uses), the rest here; refuses anything but a BERT encoder with GELU and sizes in range.
    public static func read(_ url: URL) throws -> BERTConfig {
        func fail(_ message: String) -> EncoderError { EncoderError(path: url.path, message: message) }
        let attention = try ConfigReader.read(contentsOf: url)
        guard attention.kind == .mha, attention.headDimEqualsSplit else {
            throw fail("this is a \(attention.kind.rawValue) model with d_k = \(attention.headDim); a BERT encoder has plain multi-head attention with d_k = hidden_size / heads.")
        }
        let object: [String: Any]
        do {
            let data = try Data(contentsOf: url)
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail("config.json must be a JSON object.")
            }
            object = parsed
        } catch let error as EncoderError {
            throw error
        } catch {
            throw fail("cannot read config.json (\(error.localizedDescription)).")
        }
        if let type = object["model_type"] as? String, type != "bert" {
            throw fail("model_type is \"\(type)\"; `mhalearn heads` runs BERT encoders only.")
        }
        if let act = object["hidden_act"] as? String, act != "gelu" {
            throw fail("hidden_act is \"\(act)\"; only \"gelu\" (the erf form) is supported.")
        }
        if let kind = object["position_embedding_type"] as? String, kind != "absolute" {
            throw fail("position_embedding_type is \"\(kind)\"; only \"absolute\" is supported.")
        }
        func integer(_ key: String, default fallback: Int? = nil, range: ClosedRange<Int>) throws -> Int {
            guard let raw = object[key] else {
                if let fallback { return fallback }
                throw fail("`\(key)` is missing.")
            }
            guard let value = raw as? Int, range.contains(value) else {
                throw fail("`\(key)` must be an integer in \(range.lowerBound)...\(range.upperBound); got \(raw).")
            }
            return value
        }
        for (name, value, limit) in [("hidden_size", attention.dModel, 65_536), ("num_attention_heads", attention.heads, 1_024),
                                     ("num_hidden_layers", attention.layers, 256)] where value < 1 || value > limit {
            throw fail("`\(name)` must be in 1...\(limit); got \(value).")
        }
        var layerNormEps = 1e-12
        if let raw = object["layer_norm_eps"] {
            guard let value = (raw as? NSNumber).map({ $0.doubleValue }), !(raw is Bool), value.isFinite, value > 0, value < 1 else {
                throw fail("`layer_norm_eps` must be a number above 0 and below 1 (BERT uses 1e-12); got \(raw).")
            }
            layerNormEps = value
        }
        return BERTConfig(
            hiddenSize: attention.dModel,
            heads: attention.heads,
            layers: attention.layers,
            intermediateSize: try integer("intermediate_size", range: 1...1_048_576),
            vocabSize: try integer("vocab_size", range: 1...10_000_000),
            maxPositions: try integer("max_position_embeddings", default: 512, range: 1...1_048_576),
            typeVocabSize: try integer("type_vocab_size", default: 2, range: 1...1_024),
            layerNormEps: Float(layerNormEps)
        )
    }
}
