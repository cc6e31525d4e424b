import Foundation
import LiveValues
import ExpressionLanguage
import Support

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

extension ExerciseBank {
    /// The exercises `names` choose, each a set, a topic (tag) or an exercise id, in bank order
    /// without repeats; every name when `names` is empty. A name that is none of these is
    /// reported with the closest set, topic or id.
    public func select(_ names: [String]) -> Result<[Exercise], SelectionError> {
        guard !names.isEmpty else { return .success(exercises) }
        var chosen = Set<String>()
        for name in names {
            let matches = exercises.filter { $0.set == name || $0.tags.contains(name) || $0.id == name }
            guard !matches.isEmpty else {
                let candidates = sets + Array(Set(exercises.flatMap(\.tags))).sorted() + exercises.map(\.id)
                return .failure(SelectionError(name: name, closest: closest(name, in: candidates)))
            }
            chosen.formUnion(matches.map(\.id))
        }
        var seen = Set<String>()
        return .success(exercises.filter { chosen.contains($0.id) && seen.insert($0.id).inserted })
    }
}

/// A name that is not a set, topic or exercise id of the bank.
public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// The closest set, topic or id, if one is close.
    public var closest: String?

    public var description: String {
        "no set, topic or exercise called `\(name)`" + (closest.map { "; did you mean `\($0)`?" } ?? "")
    }
}
