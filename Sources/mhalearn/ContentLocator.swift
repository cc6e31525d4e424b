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
