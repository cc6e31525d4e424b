import Foundation
import Testing
@testable import AttentionCore

/// A safetensors file made of a raw header string and `dataBytes` zero bytes.
private func crafted(_ header: String, dataBytes: Int, claimedLength: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (claimedLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + json + [UInt8](repeating: 0, count: dataBytes)
}

private func message(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as SafetensorsError {
        return error.message
    } catch {
        return "unexpected error type: \(error)"
    }
}

private func temporaryFile(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-st-\(UUID().uuidString).safetensors")
    try Data(bytes).write(to: url)
    return url
}

@Test("F32, F16 and BF16 tensors written by the writer read back as the same floats")
func roundTripsFloatTypes() throws {
    let values: [Float] = [0, 1, -2, 0.5, 3.25, -0.125]
    let bytes = SafetensorsWriter.bytes([
        .init(name: "a", shape: [2, 3], values: values),
        .init(name: "b", shape: [6], values: values, dtype: .f16),
        .init(name: "c", shape: [3, 2], values: values, dtype: .bf16),
    ], metadata: ["format": "pt"])
    let file = try SafetensorsFile(bytes: bytes)
    #expect(file.metadata == ["format": "pt"])
    #expect(file.names == ["a", "b", "c"])
    #expect(try file.floats("a").array == values)
    #expect(try file.floats("b").array == values)
    #expect(try file.floats("c", shape: [3, 2]).array == values)
    #expect(try file.info("b").dtype == .f16)
    #expect(try file.info("c").byteRange == 36..<48)
}

@Test("a file on disk is read into memory and its F32 rows are readable")
func mapsFilesFromDisk() throws {
    let values = (0..<12).map { Float($0) / 4 }
    let url = try temporaryFile(SafetensorsWriter.bytes([.init(name: "w", shape: [3, 4], values: values)]))
    defer { try? FileManager.default.removeItem(at: url) }
    let file = try SafetensorsFile(contentsOf: url)
    let tensor = try file.floats("w")
    #expect(tensor.shape == [3, 4])
    #expect(Array(tensor.row(1)) == [1, 1.25, 1.5, 1.75])
}

@Test("half-precision bit patterns convert to the right floats, subnormals and infinities included")
func convertsHalfPrecision() {
    #expect(SafetensorsFile.halfToFloat(0x3C00) == 1)
    #expect(SafetensorsFile.halfToFloat(0xC000) == -2)
    #expect(SafetensorsFile.halfToFloat(0x7BFF) == 65504)
    #expect(SafetensorsFile.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    #expect(SafetensorsFile.halfToFloat(0x7C00) == .infinity)
    #expect(SafetensorsFile.halfToFloat(0x7E00).isNaN)
    #expect(SafetensorsFile.halfToFloat(0x8000) == 0 && SafetensorsFile.halfToFloat(0x8000).sign == .minus)
}

@Test("a truncated file is refused with a message that says so")
func refusesTruncatedFiles() throws {
    let bytes = SafetensorsWriter.bytes([.init(name: "w", shape: [4, 4], values: [Float](repeating: 1, count: 16))])
    let cut = Array(bytes.dropLast(10))
    #expect(message { _ = try SafetensorsFile(bytes: cut) }?.contains("truncated") == true)
    #expect(message { _ = try SafetensorsFile(bytes: Array(bytes.prefix(5))) }?.contains("8-byte header length") == true)
    #expect(message { _ = try SafetensorsFile(bytes: Array(bytes.prefix(20))) }?.contains("truncated") == true)
    let empty = try temporaryFile([])
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(message { _ = try SafetensorsFile(contentsOf: empty) }?.contains("empty") == true)
}

@Test("a header length beyond the file or the format's limit is refused without allocating it")
func refusesHugeHeaderLengths() {
    let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    #expect(message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: 4, claimedLength: UInt64.max)) }?.contains("limit") == true)
    #expect(message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: 4, claimedLength: 1 << 40)) }?.contains("limit") == true)
    #expect(message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: 4, claimedLength: 5_000)) }?.contains("truncated") == true)
    #expect(message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: 4, claimedLength: 20)) }?.contains("JSON") == true)
}

@Test("tensors whose byte ranges overlap are refused, naming both")
func refusesOverlaps() {
    let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    let text = message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: 12)) }
    #expect(text?.contains("overlap") == true)
    #expect(text?.contains("`a`") == true && text?.contains("`b`") == true)
}

@Test("headers that lie about shapes, offsets or dtypes are refused with the tensor's name")
func refusesInconsistentHeaders() {
    let cases: [(String, Int, String)] = [
        (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "span 8 bytes"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 4, "truncated"),
        (#"{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, 8, "unknown dtype"),
        (#"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, 8, "non-negative integer"),
        (#"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}"#, 8, "non-negative integer"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, 8, "begin must be"),
        (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, 8, "data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}"#, 8, "overflows"),
        (#"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,8]}}"#, 8, "too many"),
        (#"{"w":[1,2,3]}"#, 0, "object"),
        (#"{"w":{"shape":[2],"data_offsets":[0,8]}}"#, 8, "dtype"),
        (#"{"__metadata__":{"x":1}}"#, 0, "string"),
        (#"[1,2]      "#, 0, "'{'"),
        (#"{"w": nope}"#, 0, "not valid JSON"),
    ]
    for (header, data, expected) in cases {
        let text = message { _ = try SafetensorsFile(bytes: crafted(header, dataBytes: data)) }
        #expect(text?.contains(expected) == true, "header \(header) gave \(text ?? "no error"), expected “\(expected)”")
    }
}

@Test("integer tensors, missing names and wrong shapes are refused when asked for floats")
func refusesWrongRequests() throws {
    let header = #"{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#
    let file = try SafetensorsFile(bytes: crafted(header, dataBytes: 24))
    #expect(message { _ = try file.floats("ids") }?.contains("I64") == true)
    #expect(message { _ = try file.floats("nope") }?.contains("no tensor named `nope`") == true)
    #expect(message { _ = try file.floats("w", shape: [3]) }?.contains("expected [3]") == true)
    #expect(try file.floats("w").array == [0, 0])
}

@Test("errors print as path: error: message")
func errorsPrintWithPath() throws {
    let url = try temporaryFile([1, 2, 3])
    defer { try? FileManager.default.removeItem(at: url) }
    do {
        _ = try SafetensorsFile(contentsOf: url)
        Issue.record("a 3-byte file was accepted")
    } catch let error as SafetensorsError {
        #expect(String(describing: error).hasPrefix("\(url.path): error: "))
    }
}

@Test("a model file truncated or copied over after opening keeps its values and cannot kill the process")
func fileChangedUnderTheReader() throws {
    let values = (0..<65_536).map { Float($0) * 0.5 }
    let url = try temporaryFile(SafetensorsWriter.bytes([.init(name: "a", shape: [65_536], values: values), .init(name: "b", shape: [65_536], values: values)]))
    defer { try? FileManager.default.removeItem(at: url) }
    let file = try SafetensorsFile(contentsOf: url)
    #expect(truncate(url.path, 0) == 0)
    #expect(try file.floats("b").array == values)
    try Data(repeating: 0xFF, count: 100).write(to: url)
    #expect(try file.floats("a").array == values)
}

@Test("a folder or FIFO given as model.safetensors is refused by name, not read forever")
func refusesNonRegularFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(contentsOf: folder) }
    let fifo = folder.appendingPathComponent("model.safetensors")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    do {
        _ = try SafetensorsFile(contentsOf: fifo)
        Issue.record("a FIFO was accepted")
    } catch let error as SafetensorsError {
        #expect(error.message.contains("not a regular file"))
    }
}

@Test("deeply nested or enormous numbers in the header are refused, not trusted or crashed on")
func refusesPathologicalJSON() {
    let deep = #"{"w":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
    #expect(message { _ = try SafetensorsFile(bytes: crafted(deep, dataBytes: 0)) } != nil)
    let huge = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[1e300,4e300]}}"#
    #expect(message { _ = try SafetensorsFile(bytes: crafted(huge, dataBytes: 4)) }?.contains("data_offsets") == true)
}
