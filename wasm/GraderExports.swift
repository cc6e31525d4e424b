// The WebAssembly face of the Grading module: strings in, JSON out. Only scripts/build-wasm.sh
// compiles this file, together with Sources/Grading/*.swift, for wasm32-unknown-none-wasm.
// A page writes UTF-8 into memory from `grader_alloc`, calls `grader_grade`, reads the result
// (a 4-byte little-endian length, then UTF-8 JSON) and releases it with `grader_free`.

@_cdecl("grader_alloc")
public func graderAlloc(_ size: Int32) -> UnsafeMutableRawPointer? {
    UnsafeMutableRawPointer.allocate(byteCount: Int(max(size, 1)), alignment: 16)
}

@_cdecl("grader_free")
public func graderFree(_ pointer: UnsafeMutableRawPointer?) {
    pointer?.deallocate()
}

func text(_ pointer: UnsafeRawPointer?, _ count: Int32) -> String {
    guard let pointer, count > 0 else { return "" }
    let bytes = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: Int(count))
    return String(decoding: bytes, as: UTF8.self)
}

func result(_ json: String) -> UnsafeMutableRawPointer? {
    let utf8 = Array(json.utf8)
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: utf8.count + 4, alignment: 16)
    let count = UInt32(utf8.count)
    for index in 0..<4 { buffer.storeBytes(of: UInt8(truncatingIfNeeded: count >> (8 * UInt32(index))), toByteOffset: index, as: UInt8.self) }
    for (index, byte) in utf8.enumerated() { buffer.storeBytes(of: byte, toByteOffset: index + 4, as: UInt8.self) }
    return buffer
}

/// Grades `answer` against the key `KeyCoding.encode` wrote.
@_cdecl("grader_grade")
public func graderGrade(_ key: UnsafeRawPointer?, _ keyCount: Int32, _ answer: UnsafeRawPointer?, _ answerCount: Int32) -> UnsafeMutableRawPointer? {
    guard let decoded = KeyCoding.decode(text(key, keyCount)) else {
        return result("{\"error\":\"the answer key could not be read\"}")
    }
    return result(KeyCoding.json(Grader.grade(text(answer, answerCount), key: decoded)))
}
