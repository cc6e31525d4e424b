import Foundation
import Testing

/// Whole-output comparisons against the files in `Tests/mhalearnTests/Golden/`.
///
/// When an output changes on purpose, regenerate its file in the same commit:
/// `MHALEARN_UPDATE_GOLDEN=1 swift test --filter GoldenTests` writes every golden file from the
/// current build (and still fails the run, so a regeneration is never mistaken for a pass).
enum Golden {
    /// The folder of golden files.
    static let folder = CLI.packageRoot.appendingPathComponent("Tests/mhalearnTests/Golden")

    /// Whether this run rewrites the golden files instead of comparing with them.
    static var updating: Bool { ProcessInfo.processInfo.environment["MHALEARN_UPDATE_GOLDEN"] == "1" }

    /// Expects `actual` to equal the golden file `name` byte for byte (or writes it, when updating).
    static func expect(_ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            Issue.record("wrote \(name); rerun without MHALEARN_UPDATE_GOLDEN to compare", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(name); create it with MHALEARN_UPDATE_GOLDEN=1 swift test --filter GoldenTests",
                         sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
            let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            let got = line < a.count ? a[line] : "(end of output)"
            let wanted = line < e.count ? e[line] : "(end of file)"
            Issue.record("""
                output differs from \(name) at line \(line + 1):
                  got:      \(got)
                  expected: \(wanted)
                (if the change is meant, regenerate with MHALEARN_UPDATE_GOLDEN=1 swift test --filter GoldenTests)
                """, sourceLocation: sourceLocation)
        }
    }
}
