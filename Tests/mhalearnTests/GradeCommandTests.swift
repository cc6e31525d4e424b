import Foundation
import Testing

/// A folder of answer files, by name.
private func classFolder(_ files: [String: Data]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-grade-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for (name, data) in files { try data.write(to: root.appendingPathComponent(name)) }
    return root
}

/// The seed at which `dk-from-d-model` of the valid fixture asks about d_model = 512 and h = 8 is
/// not needed: the answers below are graded against whatever variant the seed draws, so each test
/// reads the key from `check --sheet --seed`.
private func key(_ id: String, seed: UInt64, content: URL) throws -> String {
    let sheet = try CLI.run(["check", "--sheet", "--id", id, "--seed", String(seed), "exercises"], cwd: content)
    let line = try #require(sheet.stdout.split(separator: "\n").first { $0.hasPrefix("    key: ") })
    return String(line.dropFirst("    key: ".count))
}

/// A content folder holding the valid fixture as set `basics`.
private func content() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-grade-content-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("exercises/basics"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml"),
                                     to: root.appendingPathComponent("exercises/basics/valid.yaml"))
    return root
}

@Test("grade reads transcripts and plain answer files, writes one CSV row per learner and a report of first tries and mistakes")
func gradeClass() throws {
    let home = try content()
    defer { try? FileManager.default.removeItem(at: home) }
    let right = try key("dk-from-d-model", seed: 5, content: home)
    let transcript = """
    {"type":"question","id":"dk-from-d-model","seed":5}
    {"type":"result","id":"dk-from-d-model","seed":5,"attempts":[{"answer":"\(right)","grade":"correct"}]}
    {"type":"result","id":"name-of-concat","seed":9,"attempts":[{"answer":"addition"},{"answer":"concat"}]}
    """
    let plain = """
    # Bob's answers
    seed: 5
    dk-from-d-model: 99999
    dk-from-d-model: \(right)
    name-of-concat: addition
    """
    let folder = try classFolder(["alice.jsonl": Data(transcript.utf8), "bob.txt": Data(plain.utf8)])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["grade", folder.path], environment: ["MHALEARN_HOME": home.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == """
    learner,score,first_try,dk-from-d-model,name-of-concat
    alice,2,1,1,1
    bob,1,0,1,0

    """, "\(result.stdout)")
    #expect(result.stderr.contains("Graded 2 learners."))
    #expect(result.stderr.contains("dk-from-d-model: 1 of 2 right first try; most common mistake: unanticipated (1×)"), "\(result.stderr)")
    #expect(result.stderr.contains("name-of-concat: 0 of 2 right first try; most common mistake: wrong: addition (2×)"), "\(result.stderr)")
}

@Test("a claimed grade is never trusted: a transcript that says `correct` for a wrong answer scores 0")
func gradeIgnoresClaimedGrades() throws {
    let home = try content()
    defer { try? FileManager.default.removeItem(at: home) }
    let folder = try classFolder(["mallory.jsonl": Data(#"{"type":"result","id":"name-of-concat","seed":1,"attempts":[{"answer":"addition","grade":"correct","score":1}]}"#.utf8)])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["grade", folder.path], environment: ["MHALEARN_HOME": home.path])
    #expect(result.stdout.contains("mallory,0,0,0\n"), "\(result.stdout)")
}

@Test("hostile and malformed files are named with the reason and skipped; the rest are graded, --csv writes the file, exit 1")
func gradeSkipsBadFiles() throws {
    let home = try content()
    defer { try? FileManager.default.removeItem(at: home) }
    let folder = try classFolder([
        "good.txt": Data("seed: 3\nname-of-concat: concatenation\n".utf8),
        "binary.bin": Data([0xff, 0xfe, 0x00, 0x9f]),
        "broken.jsonl": Data("{\"type\":\"result\",\n".utf8),
        "noseed.txt": Data("name-of-concat: concat\n".utf8),
        "unknown.txt": Data("seed: 1\nno-such-exercise: 3\n".utf8),
        "huge.txt": Data(repeating: 0x61, count: (4 << 20) + 1),
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = folder.appendingPathComponent("out.csv").path
    let result = try CLI.run(["grade", folder.path, "--csv", csv], environment: ["MHALEARN_HOME": home.path])
    #expect(result.status == 1)
    #expect(try String(contentsOfFile: csv, encoding: .utf8) == "learner,score,first_try,name-of-concat\ngood,1,1,1\n")
    #expect(result.stdout.hasPrefix("Graded 1 learner; skipped 5 files.\n"), "\(result.stdout)")
    for (name, reason) in [("binary.bin", "not UTF-8 text"), ("broken.jsonl", "line 1: not a JSON object"),
                           ("noseed.txt", "line 1: an answer before any `seed: N` line"),
                           ("unknown.txt", "exercise `no-such-exercise` is not in the exercise files"),
                           ("huge.txt", "larger than 4 MB")] {
        #expect(result.stderr.contains("\(name): skipped: \(reason)"), "\(name): \(result.stderr)")
    }
}

@Test("grade on something that is not a folder, or an empty folder, is bad usage")
func gradeUsage() throws {
    #expect(try CLI.run(["grade", "/no/such/folder"]).status == 64)
    let empty = try classFolder([:])
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CLI.run(["grade", empty.path])
    #expect(result.status == 64)
    #expect(result.stderr.contains("no answer files"))
}
