import Foundation
@testable import AttentionCore
import Support

/// Where the real all-MiniLM-L6-v2 is, if installed (found the way `mhalearn heads` finds it).
enum RealModel {
    static let folder: URL? = try? EncoderModelLocator.locate(explicit: nil).folder
    static let skipNotice = "all-MiniLM-L6-v2 not found: skipped (install with `\(EncoderModelLocator.installCommand)`)"
}

/// Whether `python3` with numpy can run scripts/reference_bert.py.
enum NumpyReference {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/reference_bert.py")

    static let available: Bool = (try? run(["-c", "import numpy"])) != nil
    static let skipNotice = "python3 with numpy not found: skipped the numpy reference comparison"

    /// Runs python3 with `arguments`, returning stdout (throws on a non-zero exit).
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readAllRetryingInterrupts()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EncoderError(path: "python3", message: "exit \(process.terminationStatus)") }
        return data
    }

    /// The reference's attention `[layer][head][query][key]` and hidden states `[token][feature]`.
    static func forward(model: URL, ids: [Int]) throws -> (attention: [[[[Double]]]], hidden: [[Double]]) {
        let data = try run([script.path, "forward", model.path] + ids.map(String.init))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let attention = object?["attention"] as? [[[[Double]]]], let hidden = object?["hidden"] as? [[Double]] else {
            throw EncoderError(path: "reference_bert.py", message: "unexpected output")
        }
        return (attention, hidden)
    }
}

/// A tiny random BERT written into a fresh temporary folder.
enum TinyBERT {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "it",
                             "was", "tired", ".", ",", "##s", "dog", "because", "'", "t"]
    static let config = BERTConfig(hiddenSize: 8, heads: 2, layers: 2, intermediateSize: 16, vocabSize: vocabulary.count,
                                   maxPositions: 16, typeVocabSize: 2, layerNormEps: 1e-12)

    static func write(seed: UInt64 = 7, dtype: SafetensorsDType = .f32) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-tiny-bert-\(UUID().uuidString)")
        try BERTModelWriter.write(to: folder, config: config, vocabulary: vocabulary, seed: seed, dtype: dtype)
        return folder
    }
}
