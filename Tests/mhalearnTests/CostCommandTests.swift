import Foundation
import Testing

@Suite("mhalearn cost")
struct CostCommandTests {
    private struct Variant: Decodable {
        let kind: String
        let own: Bool
        let kv_heads: Int
        let context: Int
        let kv_cache_bytes_per_token_per_layer: Int
        let bytes_read_per_token: Int
        let decode_ms_per_token: Double
        let achieved_gbps: Double
    }
    private struct Record: Decodable {
        let bandwidth_gbps: Double
        let contexts: [Int]
        let variants: [Variant]
    }

    @Test("--json reports the bandwidth and, per variant and context, the cache, bytes read, time and achieved bandwidth")
    func jsonFields() throws {
        let result = try CLI.run(["cost", "--d-model", "64", "--heads", "4", "--kv-heads", "2", "--context", "16,32", "--json", "--triad-mib", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        let record = try JSONDecoder().decode(Record.self, from: Data(result.stdout.utf8))
        #expect(record.bandwidth_gbps > 0 && record.bandwidth_gbps.isFinite)
        #expect(record.contexts == [16, 32])
        #expect(record.variants.map(\.kind) == ["MHA", "GQA", "MQA", "MLA", "MHA", "GQA", "MQA", "MLA"])
        #expect(record.variants.filter(\.own).map(\.kv_heads) == [2, 2])
        let gqa = try #require(record.variants.first { $0.kind == "GQA" && $0.context == 32 })
        #expect(gqa.kv_cache_bytes_per_token_per_layer == 2 * 2 * 16 * 4)
        #expect(gqa.bytes_read_per_token == 32 * 2 * 2 * 16 * 4)
        #expect(record.variants.allSatisfy { $0.decode_ms_per_token > 0 && $0.achieved_gbps > 0 && $0.achieved_gbps.isFinite })
    }

    @Test("The text shows a table and a bar chart of milliseconds per token, and a progress line on stderr")
    func textAndProgress() throws {
        let result = try CLI.run(["cost", "--d-model", "64", "--heads", "4", "--context", "16", "--triad-mib", "4"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ms per decoded token"))
        #expect(result.stdout.contains("MHA kv=4 *"))
        #expect(result.stdout.contains("█"))
        #expect(result.stderr.contains("measuring 1/5: memory bandwidth"))
    }

    @Test("Invalid sizes exit 64 with a sentence, before anything is measured", arguments: [
        ["--d-model", "0", "--heads", "4"],
        ["--d-model", "64", "--heads", "5"],
        ["--d-model", "64", "--heads", "4", "--kv-heads", "3"],
        ["--d-model", "64", "--heads", "4", "--context", "12,x"],
        ["--d-model", "64", "--heads", "4", "--context", "0"],
        ["--d-model", "64", "--heads", "4", "--rope-dim", "8"],
        ["llama-2-7b", "--heads", "4"],
        ["no-such-model"],
    ])
    func invalidSizes(arguments: [String]) throws {
        let result = try CLI.run(["cost"] + arguments)
        #expect(result.status == 64)
        #expect(!result.stderr.contains("measuring"))
        #expect(result.stderr.contains("rror"))
    }

    @Test("A context whose cache would not fit is refused with the bytes it would need")
    func tooBigCache() throws {
        let result = try CLI.run(["cost", "llama-2-7b", "--context", "1000000"])
        #expect(result.status == 64)
        // MHA: 2 · 32 · 128 numbers · 4 bytes · 10⁶ tokens
        #expect(result.stderr.contains("32768000000 bytes"))
        #expect(!result.stderr.contains("measuring"))
    }
}
