import Foundation
import MarkdownTerminal
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One lesson file: its name (the file name without `.md`), its title (first heading) and location.
public struct LessonEntry: Equatable, Sendable {
    /// The file name without `.md`, such as `multi-head`.
    public var name: String
    /// The text of the file's first heading (the name when it has none).
    public var title: String
    /// Where the file is.
    public var url: URL

    /// An entry for the lesson `name` titled `title` at `url`.
    public init(name: String, title: String, url: URL) {
        self.name = name
        self.title = title
        self.url = url
    }
}

/// The lessons under a content folder's `lessons/`.
public enum LessonCatalog {
    /// Every `lessons/*.md`, sorted by name, with titles from each file's first heading.
    public static func lessons(in root: URL) -> [LessonEntry] {
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
    public static func isLessonFile(_ url: URL) -> Bool {
        var info = stat()
        return url.pathExtension == "md" && stat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The text of a lesson file (invalid UTF-8 bytes shown as `�`).
    public static func read(_ url: URL) throws -> String {
        String(decoding: try AuthorFile.read(url), as: UTF8.self)
    }
}
