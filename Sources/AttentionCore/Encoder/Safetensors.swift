import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found while reading a safetensors file, with the file it came from.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file that was being read ("<memory>" for in-memory bytes).
    public var path: String
    /// What is wrong, in a sentence.
    public var message: String

    /// Creates an error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: error: message`, the form printed to the user.
    public var description: String { "\(path): error: \(message)" }
}

/// The element types a safetensors header may name, with their sizes in bytes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// Whether `SafetensorsFile.floats` can convert this type to `Float`.
    public var isFloatingPoint: Bool { self == .f32 || self == .f16 || self == .bf16 || self == .f64 }
}

/// One tensor described by a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name, such as `encoder.layer.0.attention.self.query.weight`.
    public var name: String
    /// Its element type.
    public var dtype: SafetensorsDType
    /// Its shape, outermost dimension first.
    public var shape: [Int]
    /// Its bytes, relative to the start of the data section.
    public var byteRange: Range<Int>

    /// The number of elements (the product of the shape).
    public var count: Int { shape.reduce(1, *) }
}

/// The bytes of a file, read into memory the process owns.
///
/// The file is read, not memory-mapped: a mapped file that is truncated or copied over while in
/// use (a package update during a lesson) kills the process with SIGBUS on the next touch of a
/// page past the new end, and no check made before the touch can rule that out, since the file can
/// change between the check and the access. A read copy cannot change under the process; a file
/// that shrinks while it is read ends the read early and is reported. The cost is one pass over
/// the file (about 20 ms for the 90.9 MB all-MiniLM-L6-v2) and its size in memory, counted against
/// the process's `MemoryBudget`.
final class FileBytes: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
    private let release: () -> Void

    init(base: UnsafeRawPointer, count: Int, release: @escaping () -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    deinit { release() }

    /// Reads all of `path` into memory.
    static func open(path: String) throws -> FileBytes {
        let fd = openReadOnly(path)
        guard fd >= 0 else {
            throw SafetensorsError(path: path, message: "cannot open the file (\(String(cString: strerror(errno)))).")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError(path: path, message: "cannot read the file's size (\(String(cString: strerror(errno)))).")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SafetensorsError(path: path, message: "not a regular file (a folder, FIFO or device); give the model's model.safetensors.")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw SafetensorsError(path: path, message: "the file is empty; a safetensors file starts with an 8-byte header length.")
        }
        do {
            try MemoryBudget.shared.reserve(size, for: "reading \(URL(fileURLWithPath: path).lastPathComponent)")
        } catch let error as MemoryBudget.Exceeded {
            throw SafetensorsError(path: path, message: error.description)
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        var done = 0
        while done < size {
            let got = read(fd, buffer + done, size - done)
            if got < 0, errno == EINTR { continue }
            if got <= 0 {
                let reason = got < 0 ? String(cString: strerror(errno)) : "it ended after \(done) of \(size) bytes; did it change while being read?"
                buffer.deallocate()
                MemoryBudget.shared.release(size)
                throw SafetensorsError(path: path, message: "cannot read the file (\(reason)).")
            }
            done += got
        }
        return FileBytes(base: UnsafeRawPointer(buffer), count: size) {
            buffer.deallocate()
            MemoryBudget.shared.release(size)
        }
    }

    /// Copies `bytes` into memory owned by the result.
    static func copying(_ bytes: [UInt8]) -> FileBytes {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { buffer.copyMemory(from: from, byteCount: bytes.count) }
        }
        return FileBytes(base: UnsafeRawPointer(buffer), count: bytes.count) { buffer.deallocate() }
    }
}

private func openReadOnly(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_NONBLOCK)   // a FIFO must not block the open; fstat then refuses it
}

/// A contiguous run of `Float`s that stays valid as long as this value lives.
///
/// For F32 tensors it points straight into the file's bytes read into memory (no copy); other float types
/// are converted once into memory the value owns.
public struct FloatTensor: @unchecked Sendable {
    /// The tensor's shape, outermost dimension first.
    public let shape: [Int]
    /// The first element; `count` elements follow, row-major.
    public let pointer: UnsafePointer<Float>
    /// Keeps the memory behind `pointer` alive.
    let owner: AnyObject

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements as a buffer (valid while this value lives).
    public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }

    /// Copies the elements into an array.
    public var array: [Float] { Array(buffer) }

    /// Copies row `index` of a 2-D tensor.
    public func row(_ index: Int) -> ArraySlice<Float> {
        let width = shape.last ?? 1
        return ArraySlice(UnsafeBufferPointer(start: pointer + index * width, count: width))
    }
}

/// Memory a converted tensor owns.
private final class FloatStorage {
    let pointer: UnsafeMutablePointer<Float>
    init(count: Int) { pointer = .allocate(capacity: max(count, 1)) }
    deinit { pointer.deallocate() }
}

/// A safetensors file whose header has been checked before any tensor is trusted.
///
/// The format: 8 bytes little-endian header length N, N bytes of UTF-8 JSON mapping tensor names
/// to `{dtype, shape, data_offsets: [begin, end]}` (plus optional `__metadata__`), then the data.
/// Checks: N fits in the file and is at most 100 MB, the JSON is an object, every dtype is known,
/// every shape is a list of non-negative integers whose element count × dtype size equals the
/// byte range, every range lies inside the data section, and no two ranges overlap.
public final class SafetensorsFile: @unchecked Sendable {
    /// The largest header accepted (the format's own limit).
    public static let maximumHeaderLength = 100_000_000

    /// Where the bytes came from.
    public let path: String
    /// Every tensor, by name.
    public let tensors: [String: SafetensorsTensorInfo]
    /// The header's `__metadata__` strings.
    public let metadata: [String: String]
    private let bytes: FileBytes
    private let dataStart: Int

    /// The tensors' names in file order.
    public var names: [String] { tensors.values.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }.map(\.name) }

    /// Reads and validates the file at `url` (read into memory, not mapped: see `FileBytes`).
    public convenience init(contentsOf url: URL) throws {
        try self.init(bytes: FileBytes.open(path: url.path), path: url.path)
    }

    /// Validates safetensors `bytes` held in memory (used for tests and small files).
    public convenience init(bytes: [UInt8], path: String = "<memory>") throws {
        try self.init(bytes: FileBytes.copying(bytes), path: path)
    }

    private init(bytes: FileBytes, path: String) throws {
        self.path = path
        self.bytes = bytes
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(path: path, message: message) }
        guard bytes.count >= 8 else {
            throw fail("the file is \(bytes.count) bytes long; a safetensors file starts with an 8-byte header length.")
        }
        var rawLength: UInt64 = 0
        withUnsafeMutableBytes(of: &rawLength) { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes.base, count: 8)) }
        let headerLength = UInt64(littleEndian: rawLength)
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw fail("the header claims \(headerLength) bytes, more than the format's limit of \(Self.maximumHeaderLength); the file is corrupt or not safetensors.")
        }
        guard Int(headerLength) <= bytes.count - 8 else {
            throw fail("the header claims \(headerLength) bytes but only \(bytes.count - 8) follow the length; the file is truncated or not safetensors.")
        }
        guard headerLength >= 2 else {
            throw fail("the header is \(headerLength) bytes long; it must be a JSON object.")
        }
        let n = Int(headerLength)
        dataStart = 8 + n
        let dataLength = bytes.count - dataStart
        let headerData = Data(bytes: bytes.base + 8, count: n)
        guard bytes.base.load(fromByteOffset: 8, as: UInt8.self) == UInt8(ascii: "{") else {
            throw fail("the header does not start with '{'; it must be a JSON object.")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw fail("the header is not valid JSON (\(error.localizedDescription)).")
        }
        guard let object = json as? [String: Any] else {
            throw fail("the header must be a JSON object mapping tensor names to their descriptions.")
        }
        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensorInfo] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any] else { throw fail("`__metadata__` must be an object of strings.") }
                for (key, entry) in entries {
                    guard let text = entry as? String else { throw fail("`__metadata__.\(key)` must be a string.") }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.describe(name: name, value: value, dataLength: dataLength, fail: fail)
        }
        let ordered = tensors.values.sorted {
            ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound)
        }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where later.byteRange.lowerBound < earlier.byteRange.upperBound {
            throw fail("tensors `\(earlier.name)` (bytes \(earlier.byteRange.lowerBound)..<\(earlier.byteRange.upperBound)) and `\(later.name)` (bytes \(later.byteRange.lowerBound)..<\(later.byteRange.upperBound)) overlap.")
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func describe(name: String, value: Any, dataLength: Int, fail: (String) -> SafetensorsError) throws -> SafetensorsTensorInfo {
        guard let entry = value as? [String: Any] else { throw fail("tensor `\(name)` must be described by an object.") }
        guard let dtypeName = entry["dtype"] as? String else { throw fail("tensor `\(name)` has no `dtype` string.") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw fail("tensor `\(name)` has unknown dtype `\(dtypeName)`; known: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let shapeList = entry["shape"] as? [Any] else { throw fail("tensor `\(name)` has no `shape` list.") }
        var shape: [Int] = []
        var elements = 1
        for dimension in shapeList {
            guard let number = dimension as? NSNumber, let size = exactInteger(number), size >= 0 else {
                throw fail("tensor `\(name)` has a shape entry `\(dimension)` that is not a non-negative integer.")
            }
            shape.append(size)
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("tensor `\(name)` has shape \(shapeList) whose element count overflows.") }
            elements = product
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let beginNumber = offsets[0] as? NSNumber, let endNumber = offsets[1] as? NSNumber,
              let begin = exactInteger(beginNumber), let end = exactInteger(endNumber) else {
            throw fail("tensor `\(name)` needs `data_offsets` as two integers [begin, end].")
        }
        guard begin >= 0, begin <= end else { throw fail("tensor `\(name)` has data_offsets [\(begin), \(end)]; begin must be ≥ 0 and ≤ end.") }
        guard end <= dataLength else {
            throw fail("tensor `\(name)` ends at byte \(end) of the data section, which holds only \(dataLength) bytes; the file is truncated.")
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, byteCount == end - begin else {
            throw fail("tensor `\(name)` has shape \(shape) of \(dtype.rawValue) (\(overflow ? "too many" : String(byteCount)) bytes) but its data_offsets span \(end - begin) bytes.")
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    private static func exactInteger(_ number: NSNumber) -> Int? {
        number as? Int
    }

    /// The info for `name`, or an error naming the missing tensor.
    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = tensors[name] else {
            throw SafetensorsError(path: path, message: "the file has no tensor named `\(name)`.")
        }
        return info
    }

    /// Tensor `name` as `Float`s, checked against `shape` when given.
    ///
    /// F32 data aligned to 4 bytes is not copied: the result points into the file's bytes.
    /// F16, BF16 and F64 are converted. Integer tensors are refused.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> FloatTensor {
        let info = try info(name)
        if let expected, expected != info.shape {
            throw SafetensorsError(path: path, message: "tensor `\(name)` has shape \(info.shape); expected \(expected).")
        }
        let start = bytes.base + dataStart + info.byteRange.lowerBound
        let count = info.count
        switch info.dtype {
        case .f32 where Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0:
            return FloatTensor(shape: info.shape, pointer: start.assumingMemoryBound(to: Float.self), owner: bytes)
        case .f32:
            let storage = FloatStorage(count: count)
            UnsafeMutableRawPointer(storage.pointer).copyMemory(from: start, byteCount: count * 4)
            return FloatTensor(shape: info.shape, pointer: UnsafePointer(storage.pointer), owner: storage)
        case .f16:
            let storage = FloatStorage(count: count)
            for i in 0..<count {
                storage.pointer[i] = Self.halfToFloat(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
            return FloatTensor(shape: info.shape, pointer: UnsafePointer(storage.pointer), owner: storage)
        case .bf16:
            let storage = FloatStorage(count: count)
            for i in 0..<count {
                let bits = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                storage.pointer[i] = Float(bitPattern: UInt32(bits) << 16)
            }
            return FloatTensor(shape: info.shape, pointer: UnsafePointer(storage.pointer), owner: storage)
        case .f64:
            let storage = FloatStorage(count: count)
            for i in 0..<count {
                storage.pointer[i] = Float(Double(bitPattern: UInt64(littleEndian: start.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
            return FloatTensor(shape: info.shape, pointer: UnsafePointer(storage.pointer), owner: storage)
        default:
            throw SafetensorsError(path: path, message: "tensor `\(name)` holds \(info.dtype.rawValue) integers, not floating-point weights.")
        }
    }


    /// Converts an IEEE 754 half-precision bit pattern to `Float`.
    public static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
        }
    }
}

/// Writes tensors in the safetensors format (used to build small models, e.g. in tests).
public enum SafetensorsWriter {
    /// One tensor to write: name, shape and its values stored as `dtype` (F32, F16 or BF16).
    public struct Entry: Sendable {
        /// The tensor's name.
        public var name: String
        /// Its shape.
        public var shape: [Int]
        /// Its values, row-major.
        public var values: [Float]
        /// How to store them.
        public var dtype: SafetensorsDType

        /// Creates an entry; `values.count` must equal the shape's element count.
        public init(name: String, shape: [Int], values: [Float], dtype: SafetensorsDType = .f32) {
            self.name = name
            self.shape = shape
            self.values = values
            self.dtype = dtype
        }
    }

    /// The bytes of a safetensors file holding `entries` in order, header padded to 8 bytes.
    public static func bytes(_ entries: [Entry], metadata: [String: String] = [:]) -> [UInt8] {
        var header: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }
            header.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var data: [UInt8] = []
        for entry in entries {
            let begin = data.count
            for value in entry.values {
                switch entry.dtype {
                case .bf16:
                    appendLittleEndian(UInt16(truncatingIfNeeded: value.bitPattern >> 16), to: &data)
                case .f16:
                    appendLittleEndian(Float16Bits.from(value), to: &data)
                default:
                    appendLittleEndian(value.bitPattern, to: &data)
                }
            }
            let shape = entry.shape.map(String.init).joined(separator: ",")
            header.append("\(quote(entry.name)):{\"dtype\":\"\(entry.dtype == .bf16 || entry.dtype == .f16 ? entry.dtype.rawValue : "F32")\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        var json = Array("{\(header.joined(separator: ","))}".utf8)
        while (8 + json.count) % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        appendLittleEndian(UInt64(json.count), to: &out)
        return out + json + data
    }

    private static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Rounds a `Float` to the nearest half-precision bit pattern.
enum Float16Bits {
    static func from(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 31 { return sign | 0x7C00 }
        if halfExponent <= 0 {
            if halfExponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - halfExponent)
            let half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let midpoint = UInt32(1) << (shift - 1)
            let rounded = half + ((remainder > midpoint || (remainder == midpoint && half & 1 == 1)) ? 1 : 0)
            return sign | UInt16(rounded)
        }
        let half = (UInt32(halfExponent) << 10) | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        let rounded = half + ((remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1)) ? 1 : 0)
        return sign | UInt16(rounded)
    }
}
