import Foundation
import Testing
@testable import Exercises

@Test("tmp content check") func tmpContentCheck() {
    guard let dir = ProcessInfo.processInfo.environment["MHALEARN_CHECK_DIR"] else { return }
    let root = URL(fileURLWithPath: dir)
    let files = ((try? FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("exercises/multi-head"), includingPropertiesForKeys: nil)) ?? [])
    let report = ExerciseChecker.check(filesAt: files, seeds: 50, relativeTo: root)
    print("REPORT files \(report.files) exercises \(report.exercises) variants \(report.variants)")
    for d in report.diagnostics { print("DIAG \(d)") }
}
