import Foundation
import Testing
@testable import Reports

@Suite("JSONText") struct JSONTextTests {
    private struct Sample: Encodable {
        let zeta: Int
        let alpha: String
    }

    @Test("keys come out sorted and slashes are not escaped")
    func sortedAndSlashes() throws {
        let text = try JSONText.encode(Sample(zeta: 1, alpha: "a/b"))
        let alpha = try #require(text.range(of: "\"alpha\""))
        let zeta = try #require(text.range(of: "\"zeta\""))
        #expect(alpha.lowerBound < zeta.lowerBound)
        #expect(text.contains("\"a/b\""))
    }

    @Test("pretty output is indented over several lines; compact output is one line")
    func prettyAndCompact() throws {
        #expect(try JSONText.encode(Sample(zeta: 1, alpha: "x")) == "{\n  \"alpha\" : \"x\",\n  \"zeta\" : 1\n}")
        #expect(try JSONText.encode(Sample(zeta: 1, alpha: "x"), pretty: false) == "{\"alpha\":\"x\",\"zeta\":1}")
    }
}
