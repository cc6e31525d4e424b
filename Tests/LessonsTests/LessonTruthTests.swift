import Foundation
import MarkdownTerminal
import Testing
import LiveValues
@testable import Lessons

/// The corrections of issue 13: each test reads the bundled lessons and fails on the text they had before.
@Suite("The lessons tell the truth") struct LessonTruthTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func source(_ name: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent("lessons/\(name).md"), encoding: .utf8)
    }

    /// The multi-head lesson evaluated once without the real model, shared by the tests.
    private static let multiHeadDocument: MarkdownDocument? = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("lessons/multi-head.md"), encoding: .utf8) else { return nil }
        return RealModelSource.$current.withValue(.absent) { LessonEvaluation(source: text, path: "lessons/multi-head.md").document }
    }()

    /// The lesson as a learner reads it, in plain text at `width`, without the real model.
    private func rendered(_ name: String, width: Int = 60) throws -> String {
        let document = try #require(name == "multi-head" ? Self.multiHeadDocument : nil)
        return TerminalRenderer(width: width, color: false).render(document)
    }

    /// The text with line breaks and runs of spaces made single spaces, so phrases match across wrapping.
    private func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
    }

    @Test("every bundled lesson holds for every catalog model (check --models all)")
    func everyLessonForEveryModel() throws {
        let lessons = try FileManager.default.contentsOfDirectory(at: Self.root.appendingPathComponent("lessons"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        let models = LessonChecker.catalogModels()
        #expect(models.count >= 20)
        let reports = RealModelSource.$current.withValue(.absent) {
            lessons.map { LessonChecker.check(fileAt: $0, displayPath: "lessons/" + $0.lastPathComponent, models: models) }
        }
        for report in reports { #expect(report.passed, "\(report.diagnostics)") }
        #expect(reports.contains { $0.bindings == models.count + 1 }, "at least one lesson is recomputed for every model")
    }

    @Test("both lessons prove more claims than the 35 the multi-head lesson had")
    func moreClaims() throws {
        let reports = RealModelSource.$current.withValue(.absent) {
            ["multi-head", "attention"].map { LessonChecker.check(fileAt: Self.root.appendingPathComponent("lessons/\($0).md")) }
        }
        for report in reports { #expect(report.passed, "\(report.diagnostics)") }
        #expect(reports[0].claimsProved > 35)
        #expect(reports.map(\.claimsProved).reduce(0, +) > 70)
    }

    @Test("point 2: head counts are not taught as 8 to 32 for all models, and the catalog backs the rule")
    func headCounts() throws {
        let text = flat(try source("multi-head"))
        #expect(!text.contains("Typical layers use between 8 and 32 heads"))
        #expect(!text.contains("usually set between 8 and 32 per layer"))
        #expect(text.contains("catalog_count(\"head_dim\", among: [64, 128, 256])"))
    }

    @Test("point 3: d_k = d_model / h is called a convention, with Gemma and DeepSeek as counter-examples")
    func convention() throws {
        let text = flat(try rendered("multi-head", width: 100))
        #expect(text.contains("It is a convention, not a law"))
        #expect(text.contains("Gemma 7B runs 16 heads of 256 on a d_model of 3072"))
        #expect(text.contains("192 for q and k, 128 for v"))
    }

    @Test("points 4 and 5: heads run batched in training and inference; at fixed d_model only the softmaxes grow")
    func cost() throws {
        let text = flat(try rendered("multi-head", width: 100))
        #expect(!text.contains("At inference each head separately"))
        #expect(text.contains("In training and at inference alike, the heads of a layer run as one batched operation"))
        #expect(text.contains("Only the number of softmaxes grows with the heads"))
        #expect(!text.contains("more separate attention work"))
    }

    @Test("point 6: a width-1 head is severely limited, not useless, with the low-rank bottleneck cited")
    func widthOne() throws {
        let text = flat(try source("multi-head"))
        #expect(!text.contains("A head of width 1 is useless"))
        #expect(text.contains("severely limited") && text.contains("Bhojanapalli et al. (2020)"))
    }

    @Test("points 7 to 9: MQA and GQA have their own origins, pruning keeps the named heads, the verb governs")
    func research() throws {
        let text = flat(try source("multi-head"))
        #expect(!text.contains("Such redundancy is one motive behind"))
        #expect(text.contains("Shazeer 2019") && text.contains("Ainslie et al. 2023"))
        #expect(text.contains("38 of 48 encoder heads"))
        #expect(!text.contains("a verb to its subject"))
        #expect(text.contains("different \"head\" from an attention head"))
    }

    @Test("point 10: parking no longer counts it attending to itself, and the previous-token head is named and proved")
    func parking() throws {
        let text = try source("multi-head")
        #expect(text.contains("parked = real.heads_attending(to: [\"[CLS]\", \"[SEP]\", \".\"])"))
        #expect(text.contains("expect real.top(layer: 1, head: 3) == real.tokens[real.token_index - 1]"))
    }

    @Test("point 11: biases are a choice, not the standard")
    func biases() throws {
        let text = flat(try rendered("multi-head", width: 100))
        #expect(text.contains("Llama, Mistral and Gemma, leave them out"))
    }

    @Test("point 12: the shape symbols are defined and no heading prints as ###")
    func shapesAndHeadings() throws {
        let plain = try rendered("multi-head")
        #expect(!plain.contains("###"))
        let text = flat(plain)
        #expect(text.contains("S the number of key/value tokens"))
        #expect(text.contains("kv the number of key/value heads"))
    }

    @Test("point 13: without the model, the lesson neither shows nor describes the grid")
    func withoutModel() throws {
        let plain = flat(try rendered("multi-head"))
        #expect(!plain.contains("In layer 4, head 2"))
        #expect(!plain.contains("textbook positional head"))
        #expect(plain.contains("not installed here"))
    }

    @Test("point 14: both lessons end with their sources, and no claim goes uncited")
    func sources() throws {
        for name in ["multi-head", "attention"] {
            let text = try source(name)
            #expect(text.contains("\n## Sources\n"), "\(name)")
            #expect(!text.contains("Study after study"))
            #expect(!text.contains("Researchers usually read"))
        }
    }

    @Test("the multi-head lesson's opening reminder points to the attention lesson")
    func prerequisite() throws {
        let text = flat(try rendered("multi-head", width: 100))
        #expect(text.contains("start with `mhalearn lesson attention`"))
    }
}
