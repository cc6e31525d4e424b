import Foundation
import Testing

@Suite("mhalearn export html")
struct ExportHTMLCommandTests {
    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-export-\(name)-\(UUID().uuidString)")
    }

    @Test("content that fails check is refused with check's located errors, and nothing is written")
    func refusesFailingContent() throws {
        let content = temporary("content"), site = temporary("site")
        defer { try? FileManager.default.removeItem(at: content); try? FileManager.default.removeItem(at: site) }
        try FileManager.default.createDirectory(at: content.appendingPathComponent("lessons"), withIntermediateDirectories: true)
        try Data("# Wrong\n\n```mha\nexpect 1 + 1 == 3\n```\n".utf8).write(to: content.appendingPathComponent("lessons/wrong.md"))
        let check = try CLI.run(["check", "--content", content.path])
        let result = try CLI.run(["export", "html", site.path, "--content", content.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("lessons/wrong.md:4:"), "\(result.stderr)")
        let located = check.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(!located.isEmpty && located.allSatisfy { result.stderr.contains($0) }, "the same errors as check")
        #expect(!FileManager.default.fileExists(atPath: site.path))
    }

    @Test("a folder that is not empty is refused without --force, naming the option")
    func refusesAFullFolder() throws {
        let content = temporary("content"), site = temporary("site")
        defer { try? FileManager.default.removeItem(at: content); try? FileManager.default.removeItem(at: site) }
        try FileManager.default.createDirectory(at: content.appendingPathComponent("lessons"), withIntermediateDirectories: true)
        try Data("# Tiny\n\nTwo is `= 1 + 1`.\n".utf8).write(to: content.appendingPathComponent("lessons/tiny.md"))
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: site.appendingPathComponent("keep.txt"))
        let refused = try CLI.run(["export", "html", site.path, "--content", content.path])
        #expect(refused.status == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
        let forced = try CLI.run(["export", "html", site.path, "--content", content.path, "--force", "--variants", "1"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("index.html"))
        let page = try String(contentsOf: site.appendingPathComponent("lessons/tiny.html"), encoding: .utf8)
        #expect(page.contains("Two is 2."))
    }

    @Test("--variants outside 1…200 is a usage error")
    func badVariants() throws {
        let result = try CLI.run(["export", "html", temporary("site").path, "--variants", "0"])
        #expect(result.status == 64 && result.stderr.contains("--variants"))
    }
}
