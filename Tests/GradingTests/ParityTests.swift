import Foundation
import Testing
@testable import Exercises
import ExpressionLanguage
import Grading
import MarkdownTerminal
import TestSupport

/// The package root (this file is Tests/GradingTests/ParityTests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs `executable` with `arguments`, feeding `input`; returns the exit status, stdout and stderr.
func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> (status: Int32, output: Data, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let errorBox = DataBox()
    let errorReader = Thread { errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
    errorReader.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while errorReader.isExecuting { usleep(1000) }
    return (process.terminationStatus, output, String(decoding: errorBox.data, as: UTF8.self))
}

final class DataBox: @unchecked Sendable {
    // Written by one reader thread, read after it finished.
    var data = Data()
}

/// Builds grader.wasm from Sources/Grading with scripts/build-wasm.sh, or says why it cannot.
struct WasmUnavailable: Error { var reason: String }

func buildWasm() throws -> Result<URL, WasmUnavailable> {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-wasm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let out = folder.appendingPathComponent("grader.wasm")
    let built = try run("bash", [packageRoot.appendingPathComponent("scripts/build-wasm.sh").path, out.path])
    if built.status == 3 { return .failure(WasmUnavailable(reason: built.error)) }
    #expect(built.status == 0, "scripts/build-wasm.sh failed: Sources/Grading must compile with Embedded Swift (no Foundation, no key paths, no `any` existentials, Int64 where a number may pass 2^31):\n\(built.error)")
    return built.status == 0 ? .success(out) : .failure(WasmUnavailable(reason: "build failed"))
}

/// Every answer the parity test sends for `question`: each documented notation of the key, each
/// wrong entry, each built-in slip, the options by letter and text, probes, and fuzzed versions.
func answers(for question: Question, fuzz: inout FuzzMutator) -> [String] {
    var forms = ExerciseChecker.notations(of: question) + [question.answerText, question.answerDescription]
    for entry in question.wrong {
        switch entry.form {
        case .number(let value): forms += [ValueText.decimal(value), NumberText.decimal(value)]
        case .shape(let dims): forms.append(ValueText.plain(.shape(dims)))
        case .text(let text): forms.append(text)
        }
    }
    if question.exercise.kind == .text { forms += question.exercise.accept.map(\.value) }
    if case .number(let key, _) = question.expected {
        for candidate in Slip.candidates(key: key, question: question) {
            forms += [ValueText.decimal(candidate.value), NumberText.decimal(candidate.value)]
        }
        forms += ["\(ValueText.decimal(key)) bytes", "\(ValueText.decimal(key)) heads", "\(ValueText.decimal(key / 1024)) KiB",
                  "\(ValueText.decimal(key / 1000)) KB", "\(ValueText.decimal(key / 1e6))M", "\(ValueText.decimal(key)) dims"]
    }
    for (index, option) in question.options.enumerated() {
        forms += [PresentedOption.letter(index), "(\(PresentedOption.letter(index)))", "option \(PresentedOption.letter(index))", option.text,
                  option.text.split(separator: " ").first.map(String.init) ?? ""]
    }
    if question.options.count > 2 { forms += ["a, c", "a and c", "ac", "all", "none", "b c", "z"] }
    forms += ExerciseChecker.unreadableProbes(for: question.exercise.kind)
    forms += ["", "  ", "sixty four", "1e3", "2^70", "2**10", "7 % 0", "7 // 2", "-7 % 3", "√4096", "√ 64", "1,024", "38 400", "1 000 000",
              "64 dims", "16 KB", "1.05M", "1.5 MiB", "Café", "multi-query", "b)", "option b", "12 x 64", "12×64", "(2+3)x4", "sqrt(-1)",
              "0.1+0.2", "-0", "1e308*10", "99999999999999999999", "６４", "d_k = 64", "shape: [11, 64]", "[11, 64]", "11 by 64",
              "11x64x2", "yes", "no", "none of the above", "The concatenation", "3000000000", "[3000000000, 2]", "2.5 ^ 2", "4 ^ 0.5"]
    let seeds = forms.filter { !$0.isEmpty }.prefix(6)
    for form in seeds {
        for _ in 0..<3 { forms.append(fuzz.mutate(form)) }
    }
    return forms.filter { $0.count <= 400 }
}

struct ParityCase: Encodable {
    var key: String
    var answer: String
}

@Suite("One grader, compiled twice")
struct ParityTests {
    @Test("every notation of every key, every wrong entry, every slip and fuzzed answers get identical grades natively and from grader.wasm under Node")
    func nativeAndWasmAgree() throws {
        let wasm: URL
        switch try buildWasm() {
        case .success(let url): wasm = url
        case .failure(let reason):
            print("skipped: the wasm parity test needs the Embedded Swift wasm32 target: \(reason.reason)")
            return
        }
        defer { try? FileManager.default.removeItem(at: wasm.deletingLastPathComponent()) }
        let size = try FileManager.default.attributesOfItem(atPath: wasm.path)[.size] as? Int ?? 0
        #expect(size < 1_000_000, "grader.wasm is \(size) bytes; the budget is 1 MB")

        let bank = ExerciseBank.load(root: packageRoot.appendingPathComponent("exercises"), relativeTo: packageRoot)
        #expect(bank.exercises.count > 50)
        var fuzz = FuzzMutator(seed: 23)
        var cases: [ParityCase] = []
        var native: [String] = []
        for exercise in bank.exercises {
            guard case .success(let space) = VariantSpace.build(for: exercise) else { continue }
            for seed: UInt64 in [1, 2, 7] {
                guard case .success(let question) = Question.make(exercise, space: space, seed: seed) else { continue }
                let key = question.answerKey
                let encoded = KeyCoding.encode(key)
                #expect(KeyCoding.decode(encoded) == key, "\(exercise.id) seed \(seed): the key does not survive KeyCoding")
                for answer in answers(for: question, fuzz: &fuzz) {
                    cases.append(ParityCase(key: encoded, answer: answer))
                    native.append(KeyCoding.json(Grader.grade(answer, key: key)))
                    #expect(Grader.grade(answer, key: key) == Grader.grade(answer, for: question))
                }
            }
        }
        #expect(cases.count > 5000)
        let encoder = JSONEncoder()
        var input = Data()
        for item in cases {
            input += try encoder.encode(item)
            input.append(0x0A)
        }
        let committed = packageRoot.appendingPathComponent("Sources/WebExport/Resources/grader.wasm")
        for module in [wasm, committed] {
            let graded = try run("node", [packageRoot.appendingPathComponent("scripts/wasm-grade.mjs").path, module.path], input: input)
            try #require(graded.status == 0, "node could not run \(module.path): \(graded.error)")
            let lines = String(decoding: graded.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            try #require(lines.count >= cases.count, "\(module.lastPathComponent) answered \(lines.count) of \(cases.count) cases")
            var mismatches = 0
            for index in cases.indices where lines[index] != native[index] {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record(Comment(rawValue: "\(module.path): `\(cases[index].answer)`\nnative: \(native[index])\nwasm:   \(lines[index])"))
                }
            }
            let advice = module == committed ? "; rebuild it with scripts/build-wasm.sh and commit it" : ""
            #expect(mismatches == 0, "\(mismatches) of \(cases.count) answers graded differently by \(module.path)\(advice)")
        }
    }
}
