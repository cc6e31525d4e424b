import Foundation
import Testing
@testable import AttentionCore
import Support

/// The package root, three folders above this file.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Whether `python3` with numpy is available to run the reference implementation.
private let numpyAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

@Suite("ReferenceDump")
struct ReferenceDumpTests {
    @Test("a dump holds the configuration, every weight and every recorded tensor of the run")
    func dumpContents() throws {
        let variant = try #require(ReferenceDump.variants.first { $0.name == "mla_rope" })
        let object = try #require(try JSONSerialization.jsonObject(with: ReferenceDump.json(variant, seed: 1)) as? [String: Any])
        #expect(object["rope_dim"] as? Int == 6)
        let weights = try #require(object["weights"] as? [String: Any])
        #expect(Set(weights.keys) == ["W_Q", "W_QR", "W_DKV", "W_UK", "W_UV", "W_KR", "W_O"])
        let tensors = try #require(object["tensors"] as? [String: [String: Any]])
        #expect(tensors["latent"]?["shape"] as? [Int] == [8, 12])
        #expect(tensors["weights"]?["shape"] as? [Int] == [4, 8, 8])
    }

    @Test("an independent numpy implementation reproduces every tensor of every variant within 1e-4",
          .enabled(if: numpyAvailable, "needs python3 with numpy"))
    func numpyAgrees() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-reference-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ReferenceDump.write(to: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/reference_attention.py").path, folder.path, "--tolerance", "1e-4"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(ReferenceDump.variants.count) passed, 0 failed"), "\(text)")
    }
}
