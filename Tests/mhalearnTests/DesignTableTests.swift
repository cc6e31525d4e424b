import Foundation
import Testing

/// The "may import" column of docs/design.md's module table, by module.
private func designTable() throws -> [String: Set<String>] {
    let design = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/design.md"), encoding: .utf8)
    guard let start = design.range(of: "| module | what it is | may import |") else { return [:] }
    var table: [String: Set<String>] = [:]
    var above: Set<String> = []
    for line in design[start.upperBound...].split(separator: "\n").dropFirst() {
        guard line.hasPrefix("|") else { break }
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cells.count >= 3 else { continue }
        var allowed: Set<String> = []
        for item in cells[2].components(separatedBy: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if item == "all of the above" { allowed.formUnion(above) } else if item != "(nothing)" { allowed.insert(item) }
        }
        table[cells[0]] = allowed
        above.insert(cells[0])
    }
    return table
}

/// Every module each folder of Sources imports, system modules left out.
private func sourceImports() throws -> [String: Set<String>] {
    let system: Set<String> = ["Foundation", "Glibc", "Darwin", "Accelerate", "Dispatch", "Testing"]
    let sources = CLI.packageRoot.appendingPathComponent("Sources")
    var result: [String: Set<String>] = [:]
    for module in try FileManager.default.contentsOfDirectory(atPath: sources.path) {
        guard let files = FileManager.default.enumerator(atPath: sources.appendingPathComponent(module).path) else { continue }
        var imports: Set<String> = []
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(module).appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") }),
                      index + 1 < words.count else { continue }
                let name = String(words[index + 1].split(separator: ".")[0])
                if !system.contains(name) { imports.insert(name) }
            }
        }
        result[module] = imports
    }
    return result
}

@Test("docs/design.md's module table names every module in Sources and exactly the modules each one imports")
func designTableMatchesImports() throws {
    let table = try designTable()
    let imports = try sourceImports()
    #expect(!table.isEmpty)
    for (module, used) in imports where module != "CCmark" && module != "CBLAS" {
        let allowed = try #require(table[module], "\(module) is missing from docs/design.md's module table")
        #expect(used.subtracting(allowed).isEmpty, "\(module) imports \(used.subtracting(allowed).sorted()), which the table does not allow")
        if module != "mhalearn" {
            #expect(allowed.subtracting(used).isEmpty, "the table lets \(module) import \(allowed.subtracting(used).sorted()), which it does not")
        }
    }
    for module in table.keys { #expect(imports[module] != nil, "the table names \(module), which is not in Sources") }
}
