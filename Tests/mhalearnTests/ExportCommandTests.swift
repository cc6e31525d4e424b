import Foundation
import Testing

/// python3, or nil (with the reason printed) when it is not installed.
private func python() -> URL? {
    for path in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
    where FileManager.default.isExecutableFile(atPath: path) {
        return URL(fileURLWithPath: path)
    }
    print("skipped: python3 is not installed; the exported files are read back by scripts/export-check.py")
    return nil
}

/// What scripts/export-check.py read from `file`.
private func readBack(_ format: String, _ file: URL, python: URL) throws -> [String: Any] {
    let result = try CLI.run([CLI.packageRoot.appendingPathComponent("scripts/export-check.py").path, format, file.path], executable: python)
    #expect(result.status == 0, "\(format): \(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
}

/// The bundled answer sheet (at most `limit` variants an exercise), by exercise id.
private func sheet(limit: Int) throws -> [String: [String: Any]] {
    let result = try CLI.run(["check", "--sheet", "--json", "--limit", String(limit)])
    #expect(result.status == 0, "\(result.stderr)")
    let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: list.compactMap { item in (item["id"] as? String).map { ($0, item) } })
}

/// The exercise ids an export's standard error lists as skipped.
private func skippedIDs(_ stderr: String) -> Set<String> {
    Set(stderr.split(separator: "\n").compactMap { line in
        line.hasPrefix("skipped ") ? line.dropFirst("skipped ".count).split(separator: ":").first.map(String.init) : nil
    })
}

private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

/// Whether a key the importer read equals the sheet's key for that variant.
private func sameKey(_ read: Any?, _ sheetRow: [String: Any], kind: String) -> Bool {
    switch kind {
    case "number":
        guard let a = number(read), let b = number(sheetRow["key"]) else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(b))
    case "shape":
        guard let forms = read as? [String], let dims = sheetRow["key"] as? [NSNumber] else { return false }
        return forms.contains("[" + dims.map { String($0.intValue) }.joined(separator: ", ") + "]")
    case "choice", "multi":
        guard let texts = read as? [String], let key = sheetRow["key"] as? [String] else { return false }
        let plain = { (text: String) in text.replacingOccurrences(of: "`", with: "").split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return Set(texts.map(plain)) == Set(key.map(plain))
    default:
        guard let forms = read as? [String], let key = sheetRow["key"] as? [String] else { return false }
        return key.allSatisfy { forms.contains($0.lowercased()) }
    }
}

@Test("every bundled exercise exported to GIFT, Moodle XML and QTI reads back with check --sheet's key for each variant, or is listed as skipped")
func exportedKeysEqualTheSheet() throws {
    guard let python = python() else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let sheets = try sheet(limit: 2)
    for (format, name) in [("gift", "bank.gift"), ("moodle", "bank.xml"), ("qti", "bank.zip")] {
        let file = folder.appendingPathComponent(name)
        let export = try CLI.run(["export", format, "--variants", "2", "--out", file.path])
        #expect(export.status == 0, "\(format): \(export.stderr)")
        #expect(export.stderr.contains("Wrote "), "\(export.stderr)")
        let skipped = skippedIDs(export.stderr)
        let questions = try #require(try readBack(format, file, python: python)["questions"] as? [[String: Any]])
        var seen = Set<String>()
        for question in questions {
            let title = try #require(question["title"] as? String)
            // "id N", or for a Moodle calculated question "id item N": variant N of the sheet.
            let words = title.split(separator: " ")
            let id = String(words[0])
            let position = try #require(Int(words.last ?? "")) - 1
            let entry = try #require(sheets[id], "\(format): \(title) is not on the sheet")
            let kind = try #require(entry["kind"] as? String)
            let rows = try #require(entry["variants"] as? [[String: Any]])
            #expect(sameKey(question["key"], rows[position], kind: kind), "\(format) \(title): \(question["key"] ?? "none") against \(rows[position]["key"] ?? "none")")
            if kind == "number" {
                let read = number(question["tolerance"]) ?? .nan, stated = number(rows[position]["tolerance"]) ?? 0
                #expect(abs(read - stated) <= 1e-9 * max(1, abs(number(rows[position]["key"]) ?? 1)), "\(format) \(title): tolerance \(read), not \(stated)")
            }
            seen.insert(id)
        }
        #expect(seen.isDisjoint(with: skipped))
        #expect(seen.union(skipped) == Set(sheets.keys), "\(format): \(Set(sheets.keys).subtracting(seen.union(skipped)).sorted()) neither exported nor listed as skipped")
    }
}

@Test("export anki writes an .apkg that opens as genanki's schema, one note per variant with the key on the back, and its TSV")
func exportAnki() throws {
    guard let python = python() else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-anki-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("deck.apkg")
    let export = try CLI.run(["export", "anki", "attention", "--variants", "2", "--out", file.path])
    #expect(export.status == 0, "\(export.stderr)")
    let read = try readBack("anki", file, python: python)
    if read["schema"] as? String != "genanki" { print("note: \(read["schema"] ?? "")") }
    let notes = try #require(read["questions"] as? [[String: Any]])
    let sheets = try sheet(limit: 2).filter { ($0.value["path"] as? String)?.contains("exercises/attention/") == true }
    #expect(notes.count == sheets.values.map { ($0["variants"] as? [Any])?.count ?? 0 }.reduce(0, +))
    #expect(notes.allSatisfy { ($0["deck"] as? String) == "mhalearn::attention" })
    for (id, entry) in sheets where entry["kind"] as? String == "number" {
        let backs = notes.filter { ($0["tags"] as? [String])?.contains(id) == true }.compactMap { $0["back"] as? String }
        let rows = entry["variants"] as? [[String: Any]] ?? []
        #expect(backs.count == rows.count, "\(id)")
        for (back, row) in zip(backs, rows) {
            let strong = back.components(separatedBy: "<strong>").dropFirst().first?.components(separatedBy: "</strong>").first ?? ""
            let value = Double(strong.split(separator: " ").first.map { $0.replacingOccurrences(of: ",", with: "") } ?? "")
            #expect(value.map { abs($0 - (number(row["key"]) ?? .nan)) <= 1e-6 * max(1, abs($0)) } == true, "\(id): \(strong)")
        }
    }
    let tsv = try String(contentsOf: folder.appendingPathComponent("deck.tsv"), encoding: .utf8)
    #expect(tsv.hasPrefix("#separator:tab\n#html:true\n#tags column:3\n"))
    #expect(tsv.split(separator: "\n").count == 3 + notes.count)
    #expect(tsv.split(separator: "\n").dropFirst(3).allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 3 })
}

@Test("export names what it cannot express and why; a name that is no set, topic or id is bad usage with a suggestion")
func exportSkipsAndUsage() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-export-usage-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let bad = try CLI.run(["export", "gift", "atention", "--out", folder.appendingPathComponent("x.gift").path])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("no set, topic or exercise called `atention`; did you mean `attention`?"), "\(bad.stderr)")
    let range = try CLI.run(["export", "gift", "--variants", "0", "--out", folder.appendingPathComponent("x.gift").path])
    #expect(range.status == 64)
    let gift = try CLI.run(["export", "gift", "--variants", "1", "--out", folder.appendingPathComponent("all.gift").path])
    for line in gift.stderr.split(separator: "\n") where line.hasPrefix("skipped ") {
        #expect(line.contains(": "), "a skipped exercise is listed with its reason: \(line)")
    }
}
