import Foundation
import Testing
@testable import Exercises

@Test("an exercise file over 8 MiB is refused before YAML reads it, as a lesson is")
func exerciseFileSizeLimit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("big.yaml")
    let line = "# " + String(repeating: "x", count: 1021) + "\n"
    try Data(("format: 1\nexercises: []\n" + String(repeating: line, count: 9 * 1024)).utf8).write(to: file)
    let start = Date()
    let result = ExerciseLoader.load(fileAt: file)
    #expect(Date().timeIntervalSince(start) < 2)
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics.first?.message.contains("more than the 8 MiB a lesson or exercise file may hold") == true,
            "\(result.diagnostics)")
}
