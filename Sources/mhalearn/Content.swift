import AttentionCore
import ArgumentParser
import Foundation
import MarkdownTerminal
import Support

/// No folder holding `lessons/` and `exercises/` was found where the user or the install pointed.
struct ContentNotFound: Error, CustomStringConvertible {
    /// What was looked for and where, and how to point at the content.
    let message: String
    var description: String { message }
}

/// Finds the folder that holds `lessons/` and `exercises/`.
///
/// Order: `--content DIR`, then `$MHALEARN_HOME`, then `<prefix>/share/mhalearn` beside an installed
/// binary (`<prefix>/bin/mhalearn`), then the package root above a `swift build` binary
/// (`<root>/.build/<config>/mhalearn`), then the current directory.
enum ContentLocator {
    static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard holdsContent(url) else {
                throw ContentNotFound(message: "--content \(explicit): no lessons/ or exercises/ folder there.")
            }
            return url
        }
        if let home = environment["MHALEARN_HOME"], !home.isEmpty {
            let url = URL(fileURLWithPath: home)
            guard holdsContent(url) else {
                throw ContentNotFound(message: "MHALEARN_HOME=\(home): no lessons/ or exercises/ folder there. Unset it or point it at a content folder.")
            }
            return url
        }
        for candidate in candidatesNearExecutable() where holdsContent(candidate) {
            return candidate
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if holdsContent(cwd) { return cwd }
        throw ContentNotFound(message: "Could not find the lessons. Pass --content DIR or set MHALEARN_HOME to the folder that holds lessons/ and exercises/.")
    }

    static func holdsContent(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        for sub in ["lessons", "exercises"] {
            if fm.fileExists(atPath: url.appendingPathComponent(sub).path, isDirectory: &isDirectory), isDirectory.boolValue {
                return true
            }
        }
        return false
    }

    private static func candidatesNearExecutable() -> [URL] {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "mhalearn").resolvingSymlinksInPath()
        let resolved = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? executable
        var result: [URL] = []
        let bin = resolved.deletingLastPathComponent()
        result.append(bin.deletingLastPathComponent().appendingPathComponent("share/mhalearn"))
        var folder = bin
        for _ in 0..<5 {
            if folder.lastPathComponent.hasPrefix(".build") {
                result.append(folder.deletingLastPathComponent())
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        return result
    }
}

/// One lesson file: its name (the file name without `.md`), its title (first heading) and location.
struct LessonEntry: Equatable {
    var name: String
    var title: String
    var url: URL
}

/// The lessons under a content folder's `lessons/`.
enum LessonCatalog {
    /// Every `lessons/*.md`, sorted by name, with titles from each file's first heading.
    static func lessons(in root: URL) -> [LessonEntry] {
        let folder = root.appendingPathComponent("lessons")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter(isLessonFile)
            .map { url in
                let name = url.deletingPathExtension().lastPathComponent
                let title = (try? read(url)).flatMap { MarkdownDocument(parsing: $0).title } ?? name
                return LessonEntry(name: name, title: title, url: url)
            }
            .sorted { $0.name < $1.name }
    }

    /// Whether `url` is a `.md` regular file (a link to one counts; a link loop, folder or FIFO does
    /// not, as `check` skips them).
    static func isLessonFile(_ url: URL) -> Bool {
        var info = stat()
        return url.pathExtension == "md" && stat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The text of a lesson file (invalid UTF-8 bytes shown as `�`).
    static func read(_ url: URL) throws -> String {
        String(decoding: try AuthorFile.read(url), as: UTF8.self)
    }

}
