import Foundation
import Testing

/// A content folder with a `numbers` set (d_k, in dims) and an `options` set (MHA, MQA, GQA).
func gradingSandbox() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-grading-\(UUID().uuidString)")
    let files = ["numbers": """
format: 1
exercises:
  - id: cli-dk
    kind: number
    unit: dims
    prompt: With d_model = 768 and 12 heads, what is d_k?
    answer: 768 / 12
    hints:
      - Split the width evenly between the heads.
    explain: Each head gets 768 / 12 = 64 dimensions.
""", "options": """
format: 1
exercises:
  - id: cli-kind
    kind: choice
    prompt: Which variant keeps a single key head for every query head?
    options:
      - text: MHA, multi-head attention
        correct: false
        feedback: Every query head has its own key head.
      - text: MQA, multi-query attention
        correct: true
        feedback: One key and value head serve every query head.
      - text: GQA, grouped-query attention
        correct: false
        feedback: Each group of query heads shares a key head, but there are several groups.
    explain: Multi-query attention keeps one key and value head.
  - id: cli-which
    kind: multi
    prompt: Which variants share key heads between query heads?
    options:
      - text: MHA, multi-head attention
        correct: false
        feedback: Every query head has its own key head.
      - text: MQA, multi-query attention
        correct: true
        feedback: All query heads share one.
      - text: GQA, grouped-query attention
        correct: true
        feedback: Each group shares one.
    explain: MQA and GQA share; MHA does not.
"""]
    for (set, text) in files {
        let folder = root.appendingPathComponent("content/exercises/\(set)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent("\(set).yaml"), atomically: true, encoding: .utf8)
    }
    return root
}

@Test("practice names a unit confusion, then reads `8 x 8` as right, with one Correct line")
func practiceReadsNotations() throws {
    let root = try gradingSandbox()
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["practice", "numbers", "--content", root.appendingPathComponent("content").path, "--seed", "1", "--count", "1"],
                             stdin: "64 heads\n8 x 8\n", environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path])
    #expect(result.stdout.contains("64 is the number, but the answer is a width in dimensions, not a count of"))
    #expect(result.stdout.contains("2 attempts left. Type `?` for a hint"))
    #expect(!result.stdout.contains("Hint 1 of 1"))
    #expect(result.stdout.components(separatedBy: "Correct").count == 2)
    #expect(result.status == 0)
}

@Test("practice picks options by phrase, lists matches for an ambiguous one, and ends with every option marked")
func practiceReadsOptions() throws {
    let root = try gradingSandbox()
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try CLI.run(["practice", "options", "--content", root.appendingPathComponent("content").path, "--seed", "3", "--count", "1"],
                             stdin: "attention\nall\nMQA\nmulti-query, grouped-query\n", environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path])
    #expect(result.stdout.contains("`attention` occurs in more than one option"))
    #expect(result.stdout.contains("and 1 that is not right"))
    #expect(result.stdout.contains("✓ Correct: all 2 right options and nothing else."))
    #expect(result.stdout.contains("multi-head attention — Every query head has its own key head."))
    #expect(result.stdout.contains("(your choice) — All query heads share one."))
    #expect(result.status == 0)
}

@Test("check proves every documented notation of each key, and fails a file whose unit is not in the vocabulary")
func checkNotationsAndUnits() throws {
    let root = try gradingSandbox()
    defer { try? FileManager.default.removeItem(at: root) }
    let good = try CLI.run(["check", root.appendingPathComponent("content/exercises").path])
    #expect(good.status == 0)
    let bad = root.appendingPathComponent("bad.yaml")
    try "format: 1\nexercises:\n  - id: x\n    kind: number\n    unit: furlongs\n    prompt: P\n    answer: '1'\n    explain: E\n"
        .write(to: bad, atomically: true, encoding: .utf8)
    let refused = try CLI.run(["check", bad.path])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("`unit` must be one of dims, heads, layers, bytes, params, computations, tokens, experts"))
}
