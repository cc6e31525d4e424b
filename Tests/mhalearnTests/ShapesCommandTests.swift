import Foundation
import MarkdownTerminal
import Testing

@Suite("mhalearn shapes")
struct ShapesCommandTests {
    private func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run(["shapes"] + arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("--json prints the configuration, counts and the steps with the shapes the run produced")
    func jsonReport() throws {
        let report = try json(["--d-model", "768", "--heads", "12", "--tokens", "11", "--layers", "12"])
        #expect(report["d_model"] as? Int == 768)
        #expect(report["heads"] as? Int == 12)
        #expect(report["kv_heads"] as? Int == 12)
        #expect(report["head_dim"] as? Int == 64)
        #expect(report["tokens"] as? Int == 11)
        #expect(report["layers"] as? Int == 12)
        #expect(report["attention_computations"] as? Int == 144)
        #expect(report["params_per_layer"] as? Int == 4 * (768 * 768 + 768))
        // 2 (K and V) · 12 heads · 64 · 2 bytes (bf16) · 12 layers
        #expect(report["kv_cache_bytes_per_token"] as? Int == 2 * 12 * 64 * 2 * 12)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["name"] as? String } == ["input", "q", "k", "v", "q_heads", "k_heads", "v_heads", "scores", "weights", "head_outputs", "concat", "output"])
        #expect(steps[4]["shape"] as? [Int] == [12, 11, 64])
        #expect(steps[7]["shape"] as? [Int] == [12, 11, 11])
    }

    @Test("GQA shows kv heads and the group size; the KV cache shrinks by h / kv")
    func gqa() throws {
        let report = try json(["--d-model", "8192", "--heads", "64", "--kv-heads", "8", "--tokens", "2", "--layers", "80", "--no-bias"])
        #expect(report["group_size"] as? Int == 8)
        #expect(report["kind"] as? String == "GQA")
        #expect(report["kv_cache_bytes_per_token"] as? Int == 327_680)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first { $0["name"] as? String == "k_heads" }?["shape"] as? [Int] == [8, 2, 128])
    }

    @Test("MLA reports the latent step and caches r + d_r numbers per token per layer")
    func latent() throws {
        let report = try json(["--d-model", "256", "--heads", "8", "--head-dim", "16", "--kv-lora-rank", "32", "--rope-dim", "8", "--tokens", "3", "--layers", "2"])
        #expect(report["kind"] as? String == "MLA")
        #expect(report["kv_cache_bytes_per_token"] as? Int == (32 + 8) * 2 * 2)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first { $0["name"] as? String == "latent" }?["shape"] as? [Int] == [3, 32])
    }

    @Test("the text report shows the flow, d_k, group size and KV cache, without escape codes when piped")
    func textReport() throws {
        let result = try CLI.run(["shapes", "--d-model", "768", "--heads", "12", "--kv-heads", "4"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("q_heads       [12, 8, 64]"))
        #expect(result.stdout.contains("d_k = 64"))
        #expect(result.stdout.contains("group size g = h / kv = 3"))
        #expect(result.stdout.contains("KV cache per token: 2 · kv · d_k = 2 · 4 · 64 = 512 numbers per layer"))
        #expect(!result.stdout.contains("\u{1B}["))
        let colored = try CLI.run(["shapes", "--d-model", "64", "--heads", "4", "--color", "always"])
        #expect(colored.stdout.contains("\u{1B}["))
    }

    @Test("cross-attention gives weights of shape [h, T, S]")
    func cross() throws {
        let report = try json(["--d-model", "64", "--heads", "4", "--tokens", "3", "--source-tokens", "7"])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first { $0["name"] as? String == "weights" }?["shape"] as? [Int] == [4, 3, 7])
    }

    @Test("invalid configurations exit 64 with a sentence on stderr and nothing on stdout",
          arguments: [
            (["--d-model", "768", "--heads", "7"], "not divisible by heads = 7"),
            (["--d-model", "768", "--heads", "12", "--kv-heads", "5"], "does not divide heads = 12"),
            (["--d-model", "0", "--heads", "12"], "d_model must be at least 1"),
            (["--d-model", "768", "--heads=-3"], "heads must be at least 1"),
            (["--d-model", "768", "--heads", "12", "--tokens", "0"], "tokens must be at least 1"),
            (["--d-model", "8192", "--heads", "64", "--tokens", "1000000"], "limit"),
            (["--d-model", "99999999999", "--heads", "1"], "absurdly large"),
          ])
    func invalid(arguments: [String], message: String) throws {
        let result = try CLI.run(["shapes"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

@Test("shapes text fits --width: every line within the width at 20, 40 and 80 columns, MLA included",
      arguments: [20, 40, 80])
func shapesFitsWidth(width: Int) throws {
    for arguments in [["--d-model", "768", "--heads", "12"], ["--d-model", "5120", "--heads", "128", "--kv-lora-rank", "512", "--rope-dim", "64", "--tokens", "2"]] {
        let result = try CLI.run(["shapes"] + arguments + ["--width", "\(width)", "--color", "never"])
        #expect(result.status == 0)
        let long = result.stdout.split(separator: "\n").filter { displayWidth(String($0)) > width }
        #expect(long.isEmpty, "wider than \(width): \(long)")
        #expect(result.stdout.contains("concat·W_O"))
    }
}

@Test("the heading of a cross-attention run says it runs from query tokens to source tokens")
func shapesCrossHeading() throws {
    let result = try CLI.run(["shapes", "--d-model", "16", "--heads", "2", "--tokens", "3", "--source-tokens", "5", "--width", "100"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("One MHA layer, run as cross-attention from 3 query tokens to 5 source tokens (seed 0)"))
}

@Test("a GQA layer's dimension flow keeps every step on one line at 80 columns")
func gqaFlowFitsEightyColumns() throws {
    let result = try CLI.run(["shapes", "--d-model", "768", "--heads", "12", "--kv-heads", "4", "--width", "80"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let k = try #require(lines.firstIndex { $0.hasPrefix("  k_heads") })
    #expect(lines[k].contains("each head serves g = 3"))
    #expect(lines[k + 1].hasPrefix("  v_heads"))
}
