/// A place in a JSON text: 1-based line and column (columns count Unicode scalars).
struct JSONPosition: Equatable, Sendable {
    var line: Int
    var column: Int
}

/// A parsed JSON value that remembers where each object member was written.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double, integer: Int?)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's type for messages ("a string", "true", "an object").
    var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value, let integer): return integer.map(String.init) ?? String(value)
        case .string(let text): return "the string \"\(text)\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object: its members by key, each with the position of its key.
struct JSONObject: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var value: JSONValue
        var position: JSONPosition
    }

    private(set) var members: [String: Member] = [:]

    subscript(key: String) -> Member? { members[key] }

    /// Adds a member; a repeated key keeps its last value, as JSON readers in Python do.
    mutating func set(_ key: String, _ member: Member) { members[key] = member }
}

/// A JSON syntax error at a position.
struct JSONSyntaxError: Error, Equatable {
    var position: JSONPosition
    var message: String
}

/// A small JSON reader that reports syntax errors with line and column and keeps member positions.
///
/// Foundation's decoders say only that data "was not valid JSON"; authors need to know where.
struct JSONReader {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private let maximumDepth = 256

    /// Parses a complete JSON document.
    static func parse(_ text: String) throws -> JSONValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        reader.skipWhitespace()
        let value = try reader.parseValue(depth: 0)
        reader.skipWhitespace()
        if reader.index < reader.bytes.count {
            throw reader.error("unexpected text after the end of the JSON value")
        }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var position: JSONPosition { JSONPosition(line: line, column: column) }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(position: position, message: message) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
    }

    private mutating func expect(_ literal: String) throws {
        let start = position
        for byte in literal.utf8 {
            guard current == byte else { throw JSONSyntaxError(position: start, message: "expected '\(literal)'") }
            advance()
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < maximumDepth else { throw error("values are nested more than \(maximumDepth) deep") }
        guard let byte = current else { throw error("the file ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "N"): try expect("NaN"); return .number(.nan, integer: nil)
        case UInt8(ascii: "I"): try expect("Infinity"); return .number(.infinity, integer: nil)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(byte)))' where a value was expected")
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONObject {
        advance()
        var object = JSONObject()
        skipWhitespace()
        if current == UInt8(ascii: "}") { advance(); return object }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let keyPosition = position
            let key = try parseString()
            if object[key] != nil {
                throw JSONSyntaxError(position: keyPosition, message: "the key \"\(key)\" appears twice in this object; give each key once")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
            advance()
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            object.set(key, JSONObject.Member(value: value, position: keyPosition))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"): advance(); return object
            case nil: throw error("the file ends inside an object (missing '}')")
            default: throw error("expected ',' or '}' after a member")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> [JSONValue] {
        advance()
        var values: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { advance(); return values }
        while true {
            skipWhitespace()
            values.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "]"): advance(); return values
            case nil: throw error("the file ends inside a list (missing ']')")
            default: throw error("expected ',' or ']' after a list element")
            }
        }
    }

    private mutating func parseString() throws -> String {
        advance()
        var scalars = String.UnicodeScalarView()
        var pending: [UInt8] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            guard let text = String(validating: pending, as: UTF8.self) else {
                throw error("a string holds bytes that are not UTF-8")
            }
            scalars.append(contentsOf: text.unicodeScalars)
            pending.removeAll()
        }
        while true {
            guard let byte = current else { throw error("the file ends inside a string (missing '\"')") }
            if byte == UInt8(ascii: "\"") {
                try flush()
                advance()
                return String(scalars)
            }
            if byte < 0x20 { throw error("a string holds a raw control character; write it as an escape") }
            if byte == UInt8(ascii: "\\") {
                try flush()
                advance()
                scalars.append(try parseEscape())
                continue
            }
            pending.append(byte)
            advance()
        }
    }

    private mutating func parseEscape() throws -> Unicode.Scalar {
        guard let byte = current else { throw error("the file ends inside an escape") }
        advance()
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800..<0xDC00).contains(high) {
                guard current == UInt8(ascii: "\\") else { throw error("a \\u escape opens a surrogate pair it does not close") }
                advance()
                guard current == UInt8(ascii: "u") else { throw error("a \\u escape opens a surrogate pair it does not close") }
                advance()
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low),
                      let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                else { throw error("a \\u surrogate pair is not valid") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw error("a \\u escape names no character") }
            return scalar
        default:
            throw error("unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw error("expected four hex digits after \\u") }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = position
        var text = ""
        if current == UInt8(ascii: "-") {
            text.append("-")
            advance()
            if current == UInt8(ascii: "I") {
                try expect("Infinity")
                return .number(-.infinity, integer: nil)
            }
        }
        var isInteger = true
        while let byte = current {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                text.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                isInteger = false
                text.append(Character(Unicode.Scalar(byte)))
            default:
                return try finishNumber(text, isInteger: isInteger, at: start)
            }
            advance()
        }
        return try finishNumber(text, isInteger: isInteger, at: start)
    }

    private func finishNumber(_ text: String, isInteger: Bool, at start: JSONPosition) throws -> JSONValue {
        guard let value = Double(text) else { throw JSONSyntaxError(position: start, message: "'\(text)' is not a number") }
        if isInteger, let integer = Int(text) { return .number(value, integer: integer) }
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e15 { return .number(value, integer: Int(value)) }
        return .number(value, integer: nil)
    }
}
