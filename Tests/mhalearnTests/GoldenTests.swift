import Foundation
import Testing

/// Whole outputs of the deterministic commands, compared with golden files (see `Golden`).
@Suite("golden outputs")
struct GoldenTests {
    /// Standard output of `mhalearn ARGS` (with standard error after it, under a marker, when `withErrors`).
    private func output(_ arguments: [String], status: Int32 = 0, withErrors: Bool = false) throws -> String {
        let result = try CLI.run(arguments, environment: ["MHALEARN_THREADS": "1"], cwd: CLI.packageRoot)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        return withErrors ? result.stdout + "--- standard error ---\n" + result.stderr : result.stdout
    }

    @Test("mhalearn --help lists every command with its abstract, exactly as the golden file has it")
    func help() throws {
        try Golden.expect(try output(["--help"]), matches: "help.txt")
    }

    @Test("shapes of a 768-wide, 12-head layer, as text and as JSON")
    func shapes() throws {
        try Golden.expect(try output(["shapes", "--d-model", "768", "--heads", "12"]), matches: "shapes-768-12.txt")
        try Golden.expect(try output(["shapes", "--d-model", "768", "--heads", "12", "--json"]), matches: "shapes-768-12.json")
    }

    @Test("shapes of a GQA layer (kv heads and group size)")
    func shapesGQA() throws {
        try Golden.expect(try output(["shapes", "--d-model", "4096", "--heads", "32", "--kv-heads", "8", "--tokens", "4"]),
                          matches: "shapes-gqa.txt")
    }

    @Test("model llama-2-70b explained, as text and as JSON")
    func model() throws {
        try Golden.expect(try output(["model", "llama-2-70b"]), matches: "model-llama-2-70b.txt")
        try Golden.expect(try output(["model", "llama-2-70b", "--json"]), matches: "model-llama-2-70b.json")
    }

    @Test("model --list names every catalog model")
    func modelList() throws {
        try Golden.expect(try output(["model", "--list"]), matches: "model-list.txt")
    }

    @Test("check of fixtures with mistakes prints every diagnostic and the summary")
    func checkFixtures() throws {
        let files = ["Tests/LessonsTests/Fixtures/two-mistakes.md", "Tests/ExercisesTests/Fixtures/valid.yaml"]
        try Golden.expect(try output(["check"] + files, status: 1, withErrors: true), matches: "check-fixtures.txt")
        try Golden.expect(try output(["check", "--json"] + files, status: 1, withErrors: true), matches: "check-fixtures.json")
    }
}
