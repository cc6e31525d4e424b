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
func sheetKey(_ id: String, seed: UInt64, content: URL) throws -> String {
    let sheet = try CLI.run(["check", "--sheet", "--id", id, "--seed", String(seed), "exercises"], cwd: content)
    let line = try #require(sheet.stdout.split(separator: "\n").first { $0.hasPrefix("    key: ") })
    return String(line.dropFirst("    key: ".count))
}

/// A content folder holding the valid fixture as set `basics`.
func validFixtureContent() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-grade-content-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("exercises/basics"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Tests/ExercisesTests/Fixtures/valid.yaml"),
                                     to: root.appendingPathComponent("exercises/basics/valid.yaml"))
    return root
}

@Test("grade reads transcripts and plain answer files, writes one CSV row per learner and a report of first tries and mistakes")
func gradeClass() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    let right = try sheetKey("dk-from-d-model", seed: 5, content: home)
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
    // Credit halves for each retry, as in practice: bob's right second try counts 0.5.
    #expect(result.stdout == """
    learner,score,first_try,dk-from-d-model,name-of-concat
    alice,1.50,1,1,0.50
    bob,0.50,0,0.50,0

    """, "\(result.stdout)")
    #expect(result.stderr.hasPrefix("Graded 2 learners.\n"))
    #expect(result.stderr.contains("dk-from-d-model (number, 2 learners)\n  difficulty: 1 of 2 right at the first try (0.50), mean credit 0.75\n"), "\(result.stderr)")
    #expect(result.stderr.contains("  unanticipated: 99999 with "), "\(result.stderr)")
    #expect(result.stderr.contains("name-of-concat (text, 2 learners)\n  difficulty: 0 of 2 right at the first try (0.00), mean credit 0.25\n"), "\(result.stderr)")
    #expect(result.stderr.contains("  wrong: addition  2 learners\n"), "\(result.stderr)")
}

@Test("a claimed grade is never trusted: a transcript that says `correct` for a wrong answer scores 0")
func gradeIgnoresClaimedGrades() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    let folder = try classFolder(["mallory.jsonl": Data(#"{"type":"result","id":"name-of-concat","seed":1,"attempts":[{"answer":"addition","grade":"correct","score":1}]}"#.utf8)])
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CLI.run(["grade", folder.path], environment: ["MHALEARN_HOME": home.path])
    #expect(result.stdout.contains("mallory,0,0,0\n"), "\(result.stdout)")
}

@Test("hostile and malformed files are named with the reason and skipped; the rest are graded, --csv writes the file, exit 1")
func gradeSkipsBadFiles() throws {
    let home = try validFixtureContent()
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
    #expect(try String(contentsOfFile: csv, encoding: .utf8) == "learner,score,first_try,name-of-concat\ngood,1,1,1\nunknown,0,0,\n")
    #expect(result.stdout.hasPrefix("Graded 2 learners; skipped 4 files.\n"), "\(result.stdout)")
    for (name, reason) in [("binary.bin", "not UTF-8 text"), ("broken.jsonl", "line 1: not a JSON object"),
                           ("noseed.txt", "line 1: an answer before any seed line"),
                           ("huge.txt", "larger than 4 MB")] {
        #expect(result.stderr.contains("\(name): skipped: \(reason)"), "\(name): \(result.stderr)")
    }
    #expect(result.stderr.contains("unknown.txt:2: warning: exercise `no-such-exercise` is not in the exercise files; its answers were not graded"), "\(result.stderr)")
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

@Test("grade reads subfolders, leaves out dotfiles and README files, and reports a learner id given twice")
func gradeFolderRules() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    let folder = try classFolder([
        "README.md": Data("# Week 3 answers\n".utf8),
        ".alice.txt.swp": Data("binary".utf8),
        "alice.txt": Data("seed: 3\nname-of-concat: concatenation\n".utf8),
        "alice.jsonl": Data(#"{"type":"result","id":"name-of-concat","seed":3,"attempts":[{"answer":"concat"}]}"#.utf8),
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("section-b"), withIntermediateDirectories: true)
    try Data("variant-seed: 3\nname-of-concat: addition\n".utf8).write(to: folder.appendingPathComponent("section-b/bob.txt"))
    let result = try CLI.run(["grade", folder.path], environment: ["MHALEARN_HOME": home.path])
    #expect(result.status == 1)
    #expect(result.stdout == "learner,score,first_try,name-of-concat\nalice,1,1,1\nbob,0,0,0\n", "\(result.stdout)")
    #expect(result.stderr.contains("alice.txt: skipped: learner id `alice` is also alice.jsonl's"), "\(result.stderr)")
    #expect(!result.stderr.contains("README"))
    #expect(!result.stderr.contains(".swp"))
}

@Test("grade --json gives the item analysis with numbers as numbers; --items writes one CSV row per exercise")
func gradeJSONAndItems() throws {
    let home = try validFixtureContent()
    defer { try? FileManager.default.removeItem(at: home) }
    let folder = try classFolder([
        "a.txt": Data("seed: 3\nname-of-concat: concatenation\n".utf8),
        "b.txt": Data("seed: 3\nname-of-concat: addition\nname-of-concat: sum of heads\n".utf8),
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let items = folder.appendingPathComponent("items.csv").path
    let csv = folder.appendingPathComponent("grades.csv").path
    let result = try CLI.run(["grade", folder.path, "--csv", csv, "--items", items, "--json"], environment: ["MHALEARN_HOME": home.path])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["learners"] as? Int == 2)
    let item = try #require((object["items"] as? [[String: Any]])?.first)
    #expect(item["id"] as? String == "name-of-concat")
    #expect(item["right_first_try"] as? Int == 1)
    #expect(item["difficulty"] as? Double == 0.5)
    let unanticipated = try #require(item["unanticipated"] as? [[String: Any]])
    #expect(unanticipated.first?["entry"] as? String == "- {text: 'sum of heads', feedback: '(what this answer misunderstands, for the learner)'}")
    let rows = try String(contentsOfFile: items, encoding: .utf8).split(separator: "\n")
    #expect(rows.first == "id,kind,learners,right_first_try,difficulty,mean_credit,point_biserial,upper_lower,flags,most_common_mistake")
    #expect(rows.count == 2)
}
