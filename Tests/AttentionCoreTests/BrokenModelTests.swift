import AttentionCore
import Foundation
import Testing

@Suite("Broken models are refused, not shown")
struct BrokenModelTests {
    /// TinyBERT's folder with `value` written into one element of tensor `name`.
    func poisoned(_ name: String, with value: Float) throws -> URL {
        let folder = try TinyBERT.write()
        var entries = BERTModelWriter.randomTensors(config: TinyBERT.config, seed: 7)
        let index = try #require(entries.firstIndex { $0.name == name })
        entries[index].values[3] = value
        try Data(SafetensorsWriter.bytes(entries)).write(to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    @Test("NaN or infinite weights stop the run with a message naming the layer", arguments: [Float.nan, .infinity])
    func nonFiniteWeights(value: Float) throws {
        let folder = try poisoned("encoder.layer.1.attention.self.query.weight", with: value)
        defer { try? FileManager.default.removeItem(at: folder) }
        let encoder = try BERTEncoder(folder: folder)
        do {
            _ = try encoder.run(text: "the cat sat")
            Issue.record("a model with \(value) in its weights ran")
        } catch let error as EncoderError {
            #expect(error.message.hasPrefix("layer 2's attention"))
            #expect(error.message.contains("NaN or infinity"))
        }
    }

    @Test("layer_norm_eps that is negative, zero, a string or true is refused", arguments: ["-1e-12", "0", "\"1e-12\"", "true"])
    func badEpsilon(value: String) throws {
        let folder = try TinyBERT.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: #""layer_norm_eps": 1e-12"#, with: "\"layer_norm_eps\": \(value)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(text.contains("\"layer_norm_eps\": \(value)"))
        do {
            _ = try BERTConfig.read(url)
            Issue.record("layer_norm_eps \(value) was accepted")
        } catch let error as EncoderError {
            #expect(error.message.contains("`layer_norm_eps` must be a number above 0 and below 1"))
        }
    }

    @Test("a key given twice in config.json is reported at the second one")
    func duplicateKey() throws {
        let folder = try TinyBERT.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "{\n", with: "{\n  \"hidden_size\": 16,\n")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try BERTConfig.read(url) }
        do { _ = try BERTConfig.read(url) } catch { #expect("\(error)".contains("the key \"hidden_size\" appears twice")) }
    }
}

@Test("a vocab.txt larger than config.json's vocab_size is blamed on vocab.txt, not model.safetensors")
func vocabularyMismatchBlamesVocab() throws {
    let folder = try TinyBERT.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let vocab = folder.appendingPathComponent("vocab.txt")
    try (String(contentsOf: vocab, encoding: .utf8) + "extra\n").write(to: vocab, atomically: true, encoding: .utf8)
    do {
        _ = try BERTEncoder(folder: folder)
        Issue.record("a mismatched vocabulary was accepted")
    } catch let error as EncoderError {
        #expect(error.path.hasSuffix("/vocab.txt"))
        #expect(error.message.contains("must come from the same model"))
    }
}
