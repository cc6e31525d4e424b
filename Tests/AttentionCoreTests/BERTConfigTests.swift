import Foundation
import Testing
@testable import AttentionCore

private func config(_ json: String) throws -> BERTConfig {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-config-\(UUID().uuidString).json")
    try Data(json.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try BERTConfig.read(url)
}

private func failure(_ json: String) -> String? {
    do {
        _ = try config(json)
        return nil
    } catch let error as EncoderError {
        return error.message
    } catch let error as ConfigError {
        return error.description
    } catch {
        return "\(error)"
    }
}

@Test("a BERT config.json gives the sizes the encoder needs, with defaults for optional fields")
func readsBERTConfig() throws {
    let read = try config(#"{"model_type": "bert", "hidden_size": 384, "num_attention_heads": 12, "num_hidden_layers": 6, "intermediate_size": 1536, "vocab_size": 30522, "layer_norm_eps": 1e-12}"#)
    #expect(read == BERTConfig(hiddenSize: 384, heads: 12, layers: 6, intermediateSize: 1536, vocabSize: 30522))
    #expect(read.headDim == 32)
}

@Test("the config the writer produces reads back unchanged")
func writerConfigRoundTrips() throws {
    #expect(try config(BERTModelWriter.configJSON(TinyBERT.config)) == TinyBERT.config)
}

@Test("configs of other architectures, bad sizes or broken JSON are refused with the field named (through the shared config reader)")
func refusesBadConfigs() {
    let base = #""hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "intermediate_size": 4, "vocab_size": 10"#
    #expect(failure(#"{"model_type": "llama", "# + base + "}")?.contains("BERT encoders only") == true)
    #expect(failure(#"{"hidden_act": "relu", "# + base + "}")?.contains("gelu") == true)
    #expect(failure(#"{"num_attention_heads": 3, "hidden_size": 8, "num_hidden_layers": 1, "intermediate_size": 4, "vocab_size": 10}"#)?.contains("hidden_size") == true)
    #expect(failure(#"{"hidden_size": -8, "num_attention_heads": 2, "num_hidden_layers": 1, "intermediate_size": 4, "vocab_size": 10}"#)?.contains("hidden_size") == true)
    #expect(failure(#"{"num_attention_heads": 2}"#)?.contains("hidden_size") == true)
    #expect(failure(#"{"# + base.replacingOccurrences(of: #""intermediate_size": 4, "#, with: "") + "}")?.contains("`intermediate_size` is missing") == true)
    #expect(failure(#"{"num_key_value_heads": 1, "# + base + "}")?.contains("plain multi-head attention") == true)
    #expect(failure("[1, 2]")?.contains("JSON object") == true)
    #expect(failure("{nope")?.contains(":1:") == true)
}
