import Foundation
import Exercises
import Progress

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

/// A progress store in a fresh temporary folder (not created until the first write).
func temporaryStore() throws -> ProgressStore {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-progress-\(UUID().uuidString)")
    return ProgressStore(directory: folder)
}

/// The bundled exercise bank (exercises/ at the package root).
func bundledBank() -> ExerciseBank {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
}
