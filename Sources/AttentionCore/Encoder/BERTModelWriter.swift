import Foundation

/// Writes a small BERT with seeded random weights in the Hugging Face layout (config.json,
/// model.safetensors, vocab.txt), so tests can run the whole encoder path without downloads.
public enum BERTModelWriter {
    /// The tensors of a BERT with `config`, named as Hugging Face names them, with values drawn
    /// uniformly from ±`scale` by a generator seeded with `seed` (LayerNorm γ near 1, β near 0).
    public static func randomTensors(config: BERTConfig, seed: UInt64, scale: Float = 0.5, dtype: SafetensorsDType = .f32) -> [SafetensorsWriter.Entry] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float((state >> 40) & 0xFFFFFF) / Float(0x1000000) * 2 - 1
        }
        func values(_ count: Int, around center: Float = 0, spread: Float = scale) -> [Float] {
            (0..<count).map { _ in center + next() * spread }
        }
        let d = config.hiddenSize, inner = config.intermediateSize
        var entries: [SafetensorsWriter.Entry] = []
        func add(_ name: String, _ shape: [Int], center: Float = 0, spread: Float = scale) {
            entries.append(.init(name: name, shape: shape, values: values(shape.reduce(1, *), around: center, spread: spread), dtype: dtype))
        }
        func norm(_ name: String) {
            add(name + ".weight", [d], center: 1, spread: 0.1)
            add(name + ".bias", [d], spread: 0.1)
        }
        func linear(_ name: String, out: Int, in input: Int) {
            add(name + ".weight", [out, input])
            add(name + ".bias", [out], spread: 0.1)
        }
        add("embeddings.word_embeddings.weight", [config.vocabSize, d])
        add("embeddings.position_embeddings.weight", [config.maxPositions, d])
        add("embeddings.token_type_embeddings.weight", [config.typeVocabSize, d])
        norm("embeddings.LayerNorm")
        for layer in 0..<config.layers {
            let prefix = "encoder.layer.\(layer)."
            linear(prefix + "attention.self.query", out: d, in: d)
            linear(prefix + "attention.self.key", out: d, in: d)
            linear(prefix + "attention.self.value", out: d, in: d)
            linear(prefix + "attention.output.dense", out: d, in: d)
            norm(prefix + "attention.output.LayerNorm")
            linear(prefix + "intermediate.dense", out: inner, in: d)
            linear(prefix + "output.dense", out: d, in: inner)
            norm(prefix + "output.LayerNorm")
        }
        return entries
    }

    /// The config.json text for `config`.
    public static func configJSON(_ config: BERTConfig) -> String {
        """
        {
          "architectures": ["BertModel"],
          "model_type": "bert",
          "hidden_act": "gelu",
          "hidden_size": \(config.hiddenSize),
          "num_attention_heads": \(config.heads),
          "num_hidden_layers": \(config.layers),
          "intermediate_size": \(config.intermediateSize),
          "vocab_size": \(config.vocabSize),
          "max_position_embeddings": \(config.maxPositions),
          "type_vocab_size": \(config.typeVocabSize),
          "layer_norm_eps": \(config.layerNormEps),
          "position_embedding_type": "absolute"
        }

        """
    }

    /// Writes config.json, model.safetensors and vocab.txt for a random BERT into `folder`.
    /// `config.vocabSize` is set to the vocabulary's size.
    public static func write(to folder: URL, config: BERTConfig, vocabulary: [String], seed: UInt64, dtype: SafetensorsDType = .f32) throws {
        var config = config
        config.vocabSize = vocabulary.count
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(configJSON(config).utf8).write(to: folder.appendingPathComponent("config.json"))
        try Data(vocabulary.map { $0 + "\n" }.joined().utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let bytes = SafetensorsWriter.bytes(randomTensors(config: config, seed: seed, dtype: dtype), metadata: ["format": "pt"])
        try Data(bytes).write(to: folder.appendingPathComponent("model.safetensors"))
    }
}
