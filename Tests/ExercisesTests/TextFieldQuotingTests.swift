import Testing
@testable import Exercises

@Test("an unquoted `: ` in a hint gets the quoting advice, and the exercise's other problems are still reported")
func hintWithColonAdvised() {
    let result = loadYAML("""
    format: 1
    exercises:
      - id: colon-hint
        kind: number
        prompt: What is d_k?
        answer: 512 / 8
        hints:
          - Divide by h: each head gets a slice
        attempts: 99
        explain: Each head gets 64.
    """)
    let messages = result.diagnostics.map(\.description)
    #expect(messages.contains { $0.contains("test.yaml:8:") && $0.contains("YAML read the `: ` in it as a key and a value. Quote text that contains `: `, as in \"Divide by h: each head gets a slice\"") }, "\(messages)")
    #expect(messages.contains { $0.contains("attempts") }, "the other problem is reported too: \(messages)")
}
