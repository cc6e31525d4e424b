import Foundation
import Testing
@testable import AttentionCore

/// A deliberately plain, loop-by-loop BERT forward pass in `Double`, written independently of
/// `BERTEncoder`, for the tiny model.
private func naiveForward(folder: URL, ids: [Int]) throws -> (attention: [[[[Double]]]], hidden: [[Double]]) {
    let config = try BERTConfig.read(folder.appendingPathComponent("config.json"))
    let file = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    func w(_ name: String) throws -> [Double] { try file.floats(name).array.map(Double.init) }
    let d = config.hiddenSize, h = config.heads, dk = d / h, T = ids.count
    func norm(_ x: [[Double]], _ name: String) throws -> [[Double]] {
        let g = try w(name + ".weight"), b = try w(name + ".bias")
        let eps = Double(config.layerNormEps)
        var result: [[Double]] = []
        for row in x {
            let mean: Double = row.reduce(0, +) / Double(d)
            var variance: Double = 0
            for value in row { variance += (value - mean) * (value - mean) }
            let deviation: Double = (variance / Double(d) + eps).squareRoot()
            var normalized: [Double] = []
            for i in 0..<d { normalized.append((row[i] - mean) / deviation * g[i] + b[i]) }
            result.append(normalized)
        }
        return result
    }
    func dense(_ x: [[Double]], _ name: String) throws -> [[Double]] {
        let weight = try w(name + ".weight"), bias = try w(name + ".bias")
        let out = bias.count, input = weight.count / out
        var result: [[Double]] = []
        for row in x {
            var y: [Double] = []
            for o in 0..<out {
                var total: Double = bias[o]
                for i in 0..<input { total += row[i] * weight[o * input + i] }
                y.append(total)
            }
            result.append(y)
        }
        return result
    }
    let word = try w("embeddings.word_embeddings.weight"), position = try w("embeddings.position_embeddings.weight")
    let type = try w("embeddings.token_type_embeddings.weight")
    var x = (0..<T).map { t in (0..<d).map { word[ids[t] * d + $0] + position[t * d + $0] + type[$0] } }
    x = try norm(x, "embeddings.LayerNorm")
    var attention: [[[[Double]]]] = []
    for layer in 0..<config.layers {
        let p = "encoder.layer.\(layer)."
        let q = try dense(x, p + "attention.self.query"), k = try dense(x, p + "attention.self.key"), v = try dense(x, p + "attention.self.value")
        var heads: [[[Double]]] = []
        var context = [[Double]](repeating: [Double](repeating: 0, count: d), count: T)
        for head in 0..<h {
            var weights: [[Double]] = []
            for i in 0..<T {
                let scores = (0..<T).map { j in (0..<dk).reduce(0.0) { $0 + q[i][head * dk + $1] * k[j][head * dk + $1] } / Double(dk).squareRoot() }
                let top = scores.max() ?? 0
                let e = scores.map { Foundation.exp($0 - top) }
                let total = e.reduce(0, +)
                weights.append(e.map { $0 / total })
                for c in 0..<dk { context[i][head * dk + c] = (0..<T).reduce(0.0) { $0 + weights[i][$1] * v[$1][head * dk + c] } }
            }
            heads.append(weights)
        }
        attention.append(heads)
        let attended = try dense(context, p + "attention.output.dense")
        x = try norm((0..<T).map { t in (0..<d).map { x[t][$0] + attended[t][$0] } }, p + "attention.output.LayerNorm")
        let inner = try dense(x, p + "intermediate.dense").map { $0.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) } }
        let out = try dense(inner, p + "output.dense")
        x = try norm((0..<T).map { t in (0..<d).map { x[t][$0] + out[t][$0] } }, p + "output.LayerNorm")
    }
    return (attention, x)
}

/// The largest difference between a run and reference attention and hidden states.
private func worstDifference(_ run: BERTRun, _ reference: (attention: [[[[Double]]]], hidden: [[Double]])) -> (attention: Double, hidden: Double) {
    var attention = 0.0, hidden = 0.0
    for layer in 0..<run.layers {
        for head in 0..<run.heads {
            for i in 0..<run.count {
                for j in 0..<run.count {
                    attention = max(attention, abs(Double(run.weight(layer: layer, head: head, query: i, key: j)) - reference.attention[layer][head][i][j]))
                }
            }
        }
    }
    for t in 0..<run.count {
        for c in 0..<run.width { hidden = max(hidden, abs(Double(run.hidden[t * run.width + c]) - reference.hidden[t][c])) }
    }
    return (attention, hidden)
}

@Test("a tiny random BERT written as safetensors runs end to end and matches a plain reference within 1e-4")
func tinyModelMatchesNaiveReference() throws {
    let folder = try TinyBERT.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let encoder = try BERTEncoder(folder: folder)
    let run = try encoder.run(text: "The cat sat on the mat because it was tired.")
    #expect(run.tokens.map(\.text) == ["[CLS]", "the", "cat", "sat", "on", "the", "mat", "because", "it", "was", "tired", ".", "[SEP]"])
    #expect(run.attention.count == 2 && run.attention[0].count == 2 * 13 * 13)
    let (attention, hidden) = worstDifference(run, try naiveForward(folder: folder, ids: run.tokens.map(\.id)))
    #expect(attention < 1e-4)
    #expect(hidden < 1e-4)
    for layer in 0..<run.layers {
        for head in 0..<run.heads {
            #expect(abs(run.row(layer: layer, head: head, query: 3).reduce(0, +) - 1) < 1e-5)
        }
    }
}

@Test("the tiny BERT agrees with the numpy reference script within 1e-4",
      .enabled(if: NumpyReference.available, Comment(rawValue: NumpyReference.skipNotice)))
func tinyModelMatchesNumpy() throws {
    let folder = try TinyBERT.write(seed: 11)
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try BERTEncoder(folder: folder).run(text: "the dog sat, it was tired")
    let (attention, hidden) = worstDifference(run, try NumpyReference.forward(model: folder, ids: run.tokens.map(\.id)))
    #expect(attention < 1e-4)
    #expect(hidden < 1e-4)
}

@Test("all-MiniLM-L6-v2's attention weights and final hidden states agree with numpy within 1e-4",
      .enabled(if: RealModel.folder != nil, Comment(rawValue: RealModel.skipNotice)),
      .enabled(if: NumpyReference.available, Comment(rawValue: NumpyReference.skipNotice)))
func realModelMatchesNumpy() throws {
    let folder = try #require(RealModel.folder)
    let encoder = try BERTEncoder(folder: folder)
    let run = try encoder.run(text: "The animal didn't cross the street because it was too tired.")
    #expect(run.count == 16 && run.layers == 6 && run.heads == 12 && run.width == 384)
    let (attention, hidden) = worstDifference(run, try NumpyReference.forward(model: folder, ids: run.tokens.map(\.id)))
    print("all-MiniLM-L6-v2 vs numpy float64: max |Δ attention| = \(attention), max |Δ hidden| = \(hidden)")
    #expect(attention < 1e-4)
    #expect(hidden < 1e-4)
}

@Test("weights stored as F16 and BF16 load and give nearly the F32 model's attention")
func halfPrecisionWeightsRun() throws {
    let full = try TinyBERT.write(seed: 3)
    let half = try TinyBERT.write(seed: 3, dtype: .f16)
    let brain = try TinyBERT.write(seed: 3, dtype: .bf16)
    defer { for f in [full, half, brain] { try? FileManager.default.removeItem(at: f) } }
    let text = "the cat sat on the mat"
    let reference = try BERTEncoder(folder: full).run(text: text)
    for (folder, tolerance) in [(half, Float(0.01)), (brain, Float(0.05))] {
        let run = try BERTEncoder(folder: folder).run(text: text)
        let worst = zip(run.attention.joined(), reference.attention.joined()).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < tolerance)
        #expect(worst > 0)
    }
}

@Test("a weight whose shape disagrees with config.json is refused, naming the tensor")
func refusesMismatchedWeights() throws {
    let folder = try TinyBERT.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    var config = TinyBERT.config
    config.intermediateSize = 12
    let weights = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    let tokenizer = try WordPieceTokenizer(vocabulary: TinyBERT.vocabulary)
    do {
        _ = try BERTEncoder(config: config, weights: weights, tokenizer: tokenizer)
        Issue.record("a mismatched model was accepted")
    } catch let error as SafetensorsError {
        #expect(error.message.contains("encoder.layer.0.intermediate.dense.weight"))
        #expect(error.message.contains("expected [12, 8]"))
    }
}

@Test("text longer than the model's positions, or ids outside the vocabulary, are refused")
func refusesOversizedInput() throws {
    let folder = try TinyBERT.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let encoder = try BERTEncoder(folder: folder)
    #expect(throws: EncoderError.self) { try encoder.run(text: Array(repeating: "cat", count: 20).joined(separator: " ")) }
    #expect(throws: EncoderError.self) { try encoder.run(tokens: [WordPieceToken(id: 99, text: "?")]) }
    #expect(throws: EncoderError.self) { try encoder.run(tokens: []) }
}

@Test("weights are transposed exactly, including sizes that are not multiples of the 8 × 8 tile")
func transposesAnyShape() throws {
    for (rows, columns) in [(1, 1), (3, 5), (8, 8), (9, 17), (16, 8), (13, 24)] {
        let values = (0..<rows * columns).map { Float($0) }
        let file = try SafetensorsFile(bytes: SafetensorsWriter.bytes([.init(name: "w", shape: [rows, columns], values: values)]))
        let transposed = BERTEncoder.transposed(try file.floats("w"))
        let expected = (0..<columns).flatMap { c in (0..<rows).map { r in values[r * columns + c] } }
        #expect(transposed == expected, "\(rows) × \(columns)")
    }
}
