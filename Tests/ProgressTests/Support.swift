import Foundation
import Exercises

/// The exercise fixtures kept beside the Exercises tests.
enum Fixtures {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ExercisesTests/Fixtures")
    }

    /// The valid fixture's exercises, by id.
    static func valid() throws -> [String: Exercise] {
        let result = ExerciseLoader.load(fileAt: root.appendingPathComponent("valid.yaml"), set: "fixtures")
        guard result.isClean else { throw ExerciseProblems(result.diagnostics) }
        return Dictionary(uniqueKeysWithValues: result.file.exercises.map { ($0.id, $0) })
    }
}

/// Loads exercises from YAML text written in a test.
func loadYAML(_ yaml: String, path: String = "test.yaml") -> ExerciseLoadResult {
    ExerciseLoader.load(yaml: yaml, path: path, set: "tests")
}
