import Foundation
import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("a bank reads every set folder, in a fixed order, with paths relative to the content root")
func bankReadsSets() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-bank-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    for set in ["beta", "alpha"] {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("exercises/\(set)"), withIntermediateDirectories: true)
        try """
        format: 1
        exercises:
          - id: \(set)-one
            kind: number
            prompt: Q?
            answer: 1
            explain: E.
        """.write(to: root.appendingPathComponent("exercises/\(set)/a.yaml"), atomically: true, encoding: .utf8)
    }
    try "not: [valid".write(to: root.appendingPathComponent("exercises/beta/broken.yml"), atomically: true, encoding: .utf8)
    let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
    #expect(bank.sets == ["alpha", "beta"])
    #expect(bank.exercises.map(\.id) == ["alpha-one", "beta-one"])
    #expect(bank.exercises(in: "beta").first?.set == "beta")
    #expect(bank.diagnostics.count == 1)
    #expect(bank.diagnostics.first?.location.path == "exercises/beta/broken.yml")
}
