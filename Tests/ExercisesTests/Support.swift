import Foundation
import LiveValues
import ExpressionLanguage
@testable import Exercises

/// Test fixtures bundled with the test target.
enum Fixtures {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil) ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static var brokenFiles: [URL] {
        let folder = root.appendingPathComponent("broken")
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
    }

    /// The valid fixture's exercises, by id.
    static func valid() throws -> [String: Exercise] {
        let result = ExerciseLoader.load(fileAt: url("valid.yaml"), set: "fixtures")
        guard result.isClean else { throw ExerciseProblems(result.diagnostics) }
        return Dictionary(uniqueKeysWithValues: result.file.exercises.map { ($0.id, $0) })
    }

    /// A variant of the named valid exercise.
    static func question(_ id: String, seed: UInt64 = 1) throws -> Question {
        guard let exercise = try valid()[id] else { throw ExerciseProblems([]) }
        let space = try VariantSpace.build(for: exercise).get()
        return try Question.make(exercise, space: space, seed: seed).get()
    }
}

/// Loads exercises from YAML text written in a test.
func loadYAML(_ yaml: String, path: String = "test.yaml") -> ExerciseLoadResult {
    ExerciseLoader.load(yaml: yaml, path: path, set: "tests")
}
