import AttentionCore
import Foundation

/// A tiny random BERT written by the tests (no download), and the real model when installed.
public enum TestModels {
    public static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "it",
                             "was", "tired", ".", ",", "because"]
    public static let config = BERTConfig(hiddenSize: 8, heads: 2, layers: 2, intermediateSize: 16, vocabSize: vocabulary.count,
                                   maxPositions: 16, typeVocabSize: 2)
    public static let sentence = "The cat sat on the mat because it was tired."

    /// A fresh folder holding the tiny BERT.
    public static func writeTiny(seed: UInt64 = 3) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-real-heads-\(UUID().uuidString)")
        try BERTModelWriter.write(to: folder, config: config, vocabulary: vocabulary, seed: seed)
        return folder
    }

    /// Where all-MiniLM-L6-v2 is installed, if it is.
    public static let realFolder: URL? = try? EncoderModelLocator.locate(explicit: nil).folder
}
