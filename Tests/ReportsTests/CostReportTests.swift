import AttentionCore
import Foundation
import Testing
@testable import Reports

@Suite("CostReport")
struct CostReportTests {
    private func result() throws -> CostLabResult {
        try CostLabResult.measure(name: "tiny", config: AttentionConfig(dModel: 32, heads: 4, kvHeads: 2, layers: 3),
                                  contexts: [8, 24], minimumSeconds: 0, triadCount: 1 << 14, gemmSize: 64, footprint: 0)
    }

    @Test("The text has one row and one bar per variant and context, and says it was measured on this machine")
    func text() throws {
        let text = CostReport(try result()).text(width: 100)
        #expect(text.replacingOccurrences(of: "\n  ", with: " ").contains("measured on this machine"))
        #expect(text.contains("context 24"))
        for label in ["MHA kv=4", "GQA kv=2 *", "MQA kv=1", "MLA r=32+4"] {
            #expect(text.components(separatedBy: label).count - 1 == 4, "\(label)")
        }
    }

    @Test("The JSON record counts whole-model cache bytes over all layers and the fraction of bandwidth")
    func record() throws {
        let record = CostReport(try result()).record
        #expect(record.variants.count == 8)
        #expect(record.layers == 3)
        let gqa = try #require(record.variants.first { $0.kind == "GQA" })
        #expect(gqa.kv_cache_bytes_per_token == 3 * gqa.kv_cache_bytes_per_token_per_layer)
        #expect(record.variants.allSatisfy { abs($0.fraction_of_bandwidth - $0.achieved_gbps / record.bandwidth_gbps) < 1e-9 })
    }
}
