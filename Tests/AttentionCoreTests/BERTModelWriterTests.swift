import Foundation
import Testing
@testable import AttentionCore

@Test("the writer lays out a model folder the locator accepts, with every tensor the encoder needs")
func writesCompleteModelFolder() throws {
    let folder = try TinyBERT.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(EncoderModelLocator.isModel(folder))
    let file = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    #expect(file.tensors.count == 5 + 16 * TinyBERT.config.layers)
    #expect(try file.info("encoder.layer.1.intermediate.dense.weight").shape == [16, 8])
    let gamma = try file.floats("embeddings.LayerNorm.weight").array
    #expect(gamma.allSatisfy { abs($0 - 1) <= 0.1 })
}

@Test("the same seed writes the same weights and another seed different ones")
func seedsAreReproducible() {
    let a = BERTModelWriter.randomTensors(config: TinyBERT.config, seed: 1)
    let b = BERTModelWriter.randomTensors(config: TinyBERT.config, seed: 1)
    let c = BERTModelWriter.randomTensors(config: TinyBERT.config, seed: 2)
    #expect(a.map(\.values) == b.map(\.values))
    #expect(a.map(\.values) != c.map(\.values))
    #expect(a.allSatisfy { $0.values.count == $0.shape.reduce(1, *) })
}
