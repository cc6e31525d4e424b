import Foundation
@testable import MarkdownTerminal

/// Fixture files, read from the source tree so regenerated goldens are seen at once.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// True when goldens should be rewritten from the renderer (`MHALEARN_UPDATE_GOLDENS=1`).
    static var updating: Bool { ProcessInfo.processInfo.environment["MHALEARN_UPDATE_GOLDENS"] == "1" }

    static func write(_ text: String, to name: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}

extension String {
    /// The lines of rendered text, without the final empty piece after the last newline.
    var renderedLines: [String] {
        var lines = components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
