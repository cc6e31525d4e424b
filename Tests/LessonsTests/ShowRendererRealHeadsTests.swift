import AttentionCore
import Foundation
import MarkdownTerminal
import Testing
import TestSupport
import ExpressionLanguage
import LiveValues
@testable import Lessons

@Suite("show real_heads") struct ShowRendererRealHeadsTests {
    private func evaluate(_ source: String, with model: RealModelSource) throws -> Value {
        try RealModelSource.$current.withValue(model) { try Evaluator(live: [:]).evaluate(source) }
    }

    @Test("`show` of the grid draws the layers × heads grid within the width")
    func gridShows() throws {
        let folder = try TestModels.writeTiny()
        defer { try? FileManager.default.removeItem(at: folder) }
        let value = try evaluate("real_heads(sentence: \"\(TestModels.sentence)\").grid", with: RealModelSource(folder: folder))
        guard case .custom(let block, _) = ShowRenderer.block(for: value, position: .init(line: 1, column: 1)) else {
            Issue.record("the grid did not render as a block")
            return
        }
        let lines = block.lines(width: 40, style: .init(color: false))
        #expect(lines.contains { $0.hasPrefix("layer 2 ") })
        #expect(lines.contains { $0.contains("head 2") })
        #expect(lines.allSatisfy { displayWidth($0) <= 40 })
    }
}
