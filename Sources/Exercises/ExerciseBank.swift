import Foundation
import LiveValues
import ExpressionLanguage

/// Every exercise under an `exercises/` folder, grouped in sets (one folder a set).
public struct ExerciseBank: Sendable {
    /// The files read, sorted by path.
    public var files: [ExerciseFile]
    /// Every problem found, including ids used twice across files.
    public var diagnostics: [Diagnostic]

    /// Every well-formed exercise, in a fixed order: by file path, then file order.
    public var exercises: [Exercise] { files.flatMap(\.exercises) }

    /// The set names, sorted.
    public var sets: [String] { Array(Set(exercises.map(\.set))).sorted() }

    /// The exercises of one set.
    public func exercises(in set: String) -> [Exercise] { exercises.filter { $0.set == set } }

    /// Reads every `*.yaml`/`*.yml` file in the set folders under `root` (`root/<set>/*.yaml`).
    public static func load(root: URL, relativeTo base: URL? = nil) -> ExerciseBank {
        let fm = FileManager.default
        var urls: [URL] = []
        let sets = ((try? fm.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey])) ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        for folder in sets {
            let items = (try? fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            urls += items.filter { ["yaml", "yml"].contains($0.pathExtension) }
        }
        return load(files: urls, relativeTo: base)
    }

    /// Reads the given files (the set of each is its folder's name) and checks ids are unique across them.
    public static func load(files urls: [URL], relativeTo base: URL? = nil) -> ExerciseBank {
        let sorted = urls.sorted { $0.path < $1.path }
        var files: [ExerciseFile] = []
        var diagnostics: [Diagnostic] = []
        for url in sorted {
            let result = ExerciseLoader.load(fileAt: url, displayPath: displayPath(url, base: base))
            files.append(result.file)
            diagnostics += result.diagnostics
        }
        var firstUse: [String: SourceLocation] = [:]
        for index in files.indices {
            var kept: [Exercise] = []
            for exercise in files[index].exercises {
                if let first = firstUse[exercise.id] {
                    diagnostics.append(Diagnostic(at: exercise.location, "duplicate exercise id `\(exercise.id)`; it is already used at \(first)"))
                } else {
                    firstUse[exercise.id] = exercise.location
                    kept.append(exercise)
                }
            }
            files[index].exercises = kept
        }
        return ExerciseBank(files: files, diagnostics: diagnostics)
    }

    static func displayPath(_ url: URL, base: URL?) -> String {
        guard let base else { return url.path }
        let prefix = base.standardizedFileURL.path.hasSuffix("/") ? base.standardizedFileURL.path : base.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
