import Foundation

/// A problem loading or running the encoder, with the file concerned.
public struct EncoderError: Error, Equatable, CustomStringConvertible {
    /// The file or input concerned.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: error: message`.
    public var description: String { "\(path): error: \(message)" }
}

/// What one encoder run produced: the tokens, every layer's attention weights and the final
/// hidden states.
public struct BERTRun: Sendable {
    /// The input tokens, `[CLS]` … `[SEP]` included.
    public var tokens: [WordPieceToken]
    /// Number of layers `L`.
    public var layers: Int
    /// Heads per layer `h`.
    public var heads: Int
    /// Model width `d_model`.
    public var width: Int
    /// Per layer, the attention weights `[h, T, T]` row-major: head, query token, key token.
    public var attention: [[Float]]
    /// The final hidden states `[T, d_model]` row-major.
    public var hidden: [Float]

    /// Number of tokens `T`.
    public var count: Int { tokens.count }

    /// How much `query` attends to `key` in `head` of `layer` (all indices from 0).
    public func weight(layer: Int, head: Int, query: Int, key: Int) -> Float {
        attention[layer][(head * count + query) * count + key]
    }

    /// One head's attention row for `query`: a weight per key token, summing to 1.
    public func row(layer: Int, head: Int, query: Int) -> ArraySlice<Float> {
        let start = (head * count + query) * count
        return attention[layer][start..<start + count]
    }
}

/// A BERT encoder (all-MiniLM-L6-v2 and its family) whose self-attention runs through the core's
/// multi-head attention layer.
///
/// Forward pass, for `T` tokens and width `d_model`:
/// embeddings `[T, d_model]` = LayerNorm(word + position + token type 0), then per layer
/// `x = LayerNorm(x + Attention(x))` and `x = LayerNorm(x + W₂·GELU(W₁·x + b₁) + b₂)`.
/// Weights stay in the memory-mapped safetensors file; only the rows of the embedding tables
/// that the input uses are read.
public final class BERTEncoder: @unchecked Sendable {
    /// The model's configuration.
    public let config: BERTConfig
    /// The model's tokenizer.
    public let tokenizer: WordPieceTokenizer
    private let weights: SafetensorsFile
    private let wordEmbeddings: FloatTensor
    private let positionEmbeddings: FloatTensor
    private let typeEmbeddings: FloatTensor
    private let embeddingNorm: (gamma: FloatTensor, beta: FloatTensor)
    private let layerWeights: [LayerWeights]

    struct LayerWeights {
        var attention: MultiHeadAttention
        var attentionNorm: (gamma: FloatTensor, beta: FloatTensor)
        var intermediate: (w: FloatTensor, b: FloatTensor)
        var feedForwardOutput: (w: FloatTensor, b: FloatTensor)
        var outputNorm: (gamma: FloatTensor, beta: FloatTensor)
    }

    /// Loads config.json, model.safetensors and vocab.txt from `folder`.
    public convenience init(folder: URL) throws {
        let config = try BERTConfig.read(folder.appendingPathComponent("config.json"))
        let weights = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
        try self.init(config: config, weights: weights, tokenizer: tokenizer)
    }

    /// An encoder from parts; every tensor's shape is checked against `config`.
    public init(config: BERTConfig, weights: SafetensorsFile, tokenizer: WordPieceTokenizer) throws {
        self.config = config
        self.weights = weights
        self.tokenizer = tokenizer
        guard tokenizer.vocabulary.count <= config.vocabSize else {
            let vocab = URL(fileURLWithPath: weights.path).deletingLastPathComponent().appendingPathComponent("vocab.txt").path
            throw EncoderError(path: vocab, message: "vocab.txt has \(tokenizer.vocabulary.count) tokens but config.json says vocab_size \(config.vocabSize); the two files must come from the same model (reinstall it, or fix the folder).")
        }
        let prefix = weights.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let d = config.hiddenSize, inner = config.intermediateSize
        func tensor(_ name: String, _ shape: [Int]) throws -> FloatTensor {
            try weights.floats(prefix + name, shape: shape)
        }
        func linear(_ name: String, out: Int, in input: Int) throws -> (w: FloatTensor, b: FloatTensor) {
            (try tensor(name + ".weight", [out, input]), try tensor(name + ".bias", [out]))
        }
        func norm(_ name: String) throws -> (gamma: FloatTensor, beta: FloatTensor) {
            (try tensor(name + ".weight", [d]), try tensor(name + ".bias", [d]))
        }
        // The core's layer takes `[in, out]` weights (y = x·W + b); PyTorch stores `[out, in]`.
        func projection(_ name: String) throws -> Linear {
            let (w, b) = try linear(name, out: d, in: d)
            let projection = try Linear(weight: Tensor(shape: [d, d], storage: Self.transposed(w)),
                                        bias: Tensor(shape: [d], storage: b.array))
            return projection
        }
        let attentionConfig = AttentionConfig(dModel: d, heads: config.heads, bias: true, layers: config.layers)
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabSize, d])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, d])
        typeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [config.typeVocabSize, d])
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [LayerWeights] = []
        for index in 0..<config.layers {
            let layer = "encoder.layer.\(index)."
            let projections = AttentionWeights(
                q: try projection(layer + "attention.self.query"),
                k: try projection(layer + "attention.self.key"),
                v: try projection(layer + "attention.self.value"),
                o: try projection(layer + "attention.output.dense"))
            let attention: MultiHeadAttention
            do {
                attention = try MultiHeadAttention(config: attentionConfig, weights: projections)
            } catch let error as AttentionError {
                throw EncoderError(path: weights.path, message: "layer \(index): \(error.message)")
            }
            layers.append(LayerWeights(
                attention: attention,
                attentionNorm: try norm(layer + "attention.output.LayerNorm"),
                intermediate: try linear(layer + "intermediate.dense", out: inner, in: d),
                feedForwardOutput: try linear(layer + "output.dense", out: d, in: inner),
                outputNorm: try norm(layer + "output.LayerNorm")
            ))
        }
        layerWeights = layers
    }

    /// Tokenizes `text` and runs the encoder on it.
    public func run(text: String) throws -> BERTRun {
        try run(tokens: tokenizer.encode(text))
    }

    /// Runs the encoder on `tokens` (ids must be inside the vocabulary).
    public func run(tokens: [WordPieceToken]) throws -> BERTRun {
        let T = tokens.count, d = config.hiddenSize
        guard T > 0 else { throw EncoderError(path: "<input>", message: "there are no tokens to run.") }
        guard T <= config.maxPositions else {
            throw EncoderError(path: "<input>", message: "the text is \(T) tokens long; the model reads at most \(config.maxPositions).")
        }
        if let bad = tokens.first(where: { $0.id < 0 || $0.id >= config.vocabSize }) {
            throw EncoderError(path: "<input>", message: "token id \(bad.id) is outside the vocabulary (0..<\(config.vocabSize)).")
        }
        BLASThreads.configure()   // single-threaded BLAS before the first product, as the core runs it
        // Embeddings: x[t] = word[id_t] + position[t] + type[0], then LayerNorm.   x: [T, d_model]
        var x = [Float](repeating: 0, count: T * d)
        for (t, token) in tokens.enumerated() {
            let word = wordEmbeddings.pointer + token.id * d
            let position = positionEmbeddings.pointer + t * d
            let type = typeEmbeddings.pointer
            for i in 0..<d { x[t * d + i] = word[i] + position[i] + type[i] }
        }
        layerNorm(&x, rows: T, embeddingNorm)
        try requireFinite(x, "the embeddings (word, position and type embeddings and their LayerNorm)")
        var attention: [[Float]] = []
        attention.reserveCapacity(config.layers)
        for layer in layerWeights {
            // Self-attention through the core layer, then residual + LayerNorm.   [T, d_model]
            let run: AttentionRun
            do {
                run = try layer.attention.run(input: Tensor(shape: [T, d], storage: x))
            } catch let error as AttentionError {
                throw EncoderError(path: "<input>", message: error.message)
            }
            attention.append(run.weights.storage)   // [h, T, T]
            let attended = run.output.storage        // [T, d_model]
            for i in 0..<x.count { x[i] += attended[i] }
            layerNorm(&x, rows: T, layer.attentionNorm)
            // the core's softmax turns a row of NaN scores into zeros, so look before it
            try requireFinite(run.scores.storage, "layer \(attention.count)'s attention scores (query and key projections)")
            try requireFinite(run.output.storage, "layer \(attention.count)'s attention output (value and output projections)")
            try requireFinite(x, "layer \(attention.count)'s attention output and LayerNorm")
            // Feed-forward: GELU(x·W₁ᵀ + b₁)·W₂ᵀ + b₂, then residual + LayerNorm.   [T, d_ff] -> [T, d_model]
            var inner = linear(x, rows: T, layer.intermediate)
            for i in 0..<inner.count { inner[i] = gelu(inner[i]) }
            let projected = linear(inner, rows: T, layer.feedForwardOutput)
            for i in 0..<x.count { x[i] += projected[i] }
            layerNorm(&x, rows: T, layer.outputNorm)
            try requireFinite(x, "layer \(attention.count)'s feed-forward and output LayerNorm")
        }
        return BERTRun(tokens: tokens, layers: config.layers, heads: config.heads, width: d, attention: attention, hidden: x)
    }

    /// Refuses a NaN or infinity in `values`, naming where it appeared (layers count from 1): a model
    /// whose weights hold them would otherwise print `.00` weights and rows that do not sum to 1.
    private func requireFinite(_ values: [Float], _ place: String) throws {
        guard let bad = values.first(where: { !$0.isFinite }) else { return }
        throw EncoderError(path: weights.path,
                           message: "\(place) computed \(bad) (not a finite number); the model's weights in that layer hold NaN or infinity, or are too large. Reinstall the model.")
    }

    /// A `[rows, columns]` row-major tensor transposed to `[columns, rows]`, 8 × 8 tiles at a time.
    static func transposed(_ tensor: FloatTensor) -> [Float] {
        let rows = tensor.shape[0], columns = tensor.shape[1]
        return [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            let input = tensor.pointer
            func load(_ row: Int, _ column: Int) -> SIMD8<Float> {
                UnsafeRawPointer(input + row * columns + column).loadUnaligned(as: SIMD8<Float>.self)
            }
            let fullRows = rows - rows % 8, fullColumns = columns - columns % 8
            for r in stride(from: 0, to: fullRows, by: 8) {
                for c in stride(from: 0, to: fullColumns, by: 8) {
                    let a0 = load(r, c), a1 = load(r + 1, c), a2 = load(r + 2, c), a3 = load(r + 3, c)
                    let a4 = load(r + 4, c), a5 = load(r + 5, c), a6 = load(r + 6, c), a7 = load(r + 7, c)
                    for j in 0..<8 {
                        let column = SIMD8<Float>(a0[j], a1[j], a2[j], a3[j], a4[j], a5[j], a6[j], a7[j])
                        UnsafeMutableRawPointer(out + (c + j) * rows + r).storeBytes(of: column, as: SIMD8<Float>.self)
                    }
                }
            }
            for r in 0..<rows {
                let start = r < fullRows ? fullColumns : 0
                for c in start..<columns { out[c * rows + r] = input[r * columns + c] }
            }
            initialized = rows * columns
        }
    }

    /// `x · Wᵀ + b` for a PyTorch-layout weight `W` of shape `[out, in]`.
    private func linear(_ x: [Float], rows: Int, _ layer: (w: FloatTensor, b: FloatTensor)) -> [Float] {
        let out = layer.w.shape[0], input = layer.w.shape[1]
        var y = [Float](repeating: 0, count: rows * out)
        y.withUnsafeMutableBufferPointer { buffer in
            x.withUnsafeBufferPointer { source in
                guard let y = buffer.baseAddress, let x = source.baseAddress else { return }
                for r in 0..<rows { (y + r * out).update(from: layer.b.pointer, count: out) }
                gemm(.none, .transposed, m: rows, n: out, k: input, x, lda: input,
                     layer.w.pointer, ldb: input, beta: 1, y, ldc: out)
            }
        }
        return y
    }

    /// Normalizes each row to mean 0 and variance 1, then scales by γ and shifts by β.
    private func layerNorm(_ x: inout [Float], rows: Int, _ norm: (gamma: FloatTensor, beta: FloatTensor)) {
        let d = config.hiddenSize
        let eps = Double(config.layerNormEps)
        for r in 0..<rows {
            var mean = 0.0
            for i in 0..<d { mean += Double(x[r * d + i]) }
            mean /= Double(d)
            var variance = 0.0
            for i in 0..<d {
                let centered = Double(x[r * d + i]) - mean
                variance += centered * centered
            }
            let inverse = 1 / (variance / Double(d) + eps).squareRoot()
            for i in 0..<d {
                let normalized = (Double(x[r * d + i]) - mean) * inverse
                x[r * d + i] = Float(normalized) * norm.gamma.pointer[i] + norm.beta.pointer[i]
            }
        }
    }

    /// GELU in its exact form, `x · Φ(x) = ½x(1 + erf(x/√2))`.
    private func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erf(x * Float(0.5).squareRoot()))
    }
}
