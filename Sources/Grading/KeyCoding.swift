/// Answer keys as text, so an exported page can carry them as data and hand them to the
/// WebAssembly grader; grades as JSON for the page to draw. One record a line, fields separated
/// by tabs; text escaped (`\t`, `\n`, `\\`); numbers as the hexadecimal bits of the Double, so a key
/// survives the trip exactly.
public enum KeyCoding {
    /// `key` as text that `decode` reads back to an equal key.
    public static func encode(_ key: AnswerKey) -> String {
        var lines: [String] = ["kind\t" + key.kind.rawValue]
        if let unit = key.unit { lines.append("unit\t" + unit.rawValue) }
        switch key.expected {
        case .number(let value, let tolerance): lines.append("number\t" + bits(value) + "\t" + bits(tolerance))
        case .shape(let dims): lines.append("shape" + dims.map { "\t\($0)" }.joined())
        case .choice(let index): lines.append("choice\t\(index)")
        case .multi(let indices): lines.append("multi" + indices.sorted().map { "\t\($0)" }.joined())
        case .text(let accepted): lines.append("text" + accepted.sorted().map { "\t" + escape($0) }.joined())
        }
        for option in key.options {
            lines.append("option\t" + escape(option.text) + (option.feedback.map { "\t" + escape($0) } ?? ""))
        }
        for entry in key.wrong {
            let form: String = switch entry.form {
            case .number(let value): "number\t" + bits(value)
            case .shape(let dims): "shape\t" + dims.map { "\($0)" }.joined(separator: ",")
            case .text(let text): "text\t" + escape(text)
            }
            lines.append("wrong\t\(entry.index)\t" + escape(entry.feedback) + "\t" + form)
        }
        let parameters = key.slipParameters
        if let heads = parameters.heads { lines.append("h\t" + bits(heads)) }
        if let dModel = parameters.dModel { lines.append("d_model\t" + bits(dModel)) }
        if let layers = parameters.layers { lines.append("L\t" + bits(layers)) }
        return lines.joined(separator: "\n")
    }

    /// The key `text` encodes, or nil when it is not one `encode` wrote.
    public static func decode(_ text: String) -> AnswerKey? {
        var key = AnswerKey(kind: .number, expected: .number(0, tolerance: 0))
        var sawKind = false, sawExpected = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let tag = fields.first else { return nil }
            let rest = Array(fields.dropFirst())
            switch tag {
            case "kind":
                guard let raw = rest.first, let kind = AnswerKind(rawValue: raw) else { return nil }
                key.kind = kind
                sawKind = true
            case "unit":
                guard let raw = rest.first, let unit = AnswerUnit(rawValue: raw) else { return nil }
                key.unit = unit
            case "number":
                guard rest.count == 2, let value = double(rest[0]), let tolerance = double(rest[1]) else { return nil }
                key.expected = .number(value, tolerance: tolerance)
                sawExpected = true
            case "shape":
                let dims = rest.compactMap { Int($0) }
                guard dims.count == rest.count else { return nil }
                key.expected = .shape(dims)
                sawExpected = true
            case "choice":
                guard let raw = rest.first, let index = Int(raw) else { return nil }
                key.expected = .choice(index)
                sawExpected = true
            case "multi":
                let indices = rest.compactMap { Int($0) }
                guard indices.count == rest.count else { return nil }
                key.expected = .multi(Set(indices))
                sawExpected = true
            case "text":
                key.expected = .text(Set(rest.map(unescape)))
                sawExpected = true
            case "option":
                guard let first = rest.first else { return nil }
                key.options.append(KeyOption(text: unescape(first), feedback: rest.count > 1 ? unescape(rest[1]) : nil))
            case "wrong":
                guard rest.count == 4, let index = Int(rest[0]) else { return nil }
                let form: WrongEntry.Form
                switch rest[2] {
                case "number":
                    guard let value = double(rest[3]) else { return nil }
                    form = .number(value)
                case "shape":
                    let parts = rest[3].split(separator: ",").map(String.init)
                    let dims = parts.compactMap { Int($0) }
                    guard dims.count == parts.count else { return nil }
                    form = .shape(dims)
                case "text":
                    form = .text(unescape(rest[3]))
                default:
                    return nil
                }
                key.wrong.append(WrongEntry(form: form, feedback: unescape(rest[1]), index: index))
            case "h", "d_model", "L":
                guard let raw = rest.first, let value = double(raw) else { return nil }
                if tag == "h" { key.slipParameters.heads = value }
                else if tag == "d_model" { key.slipParameters.dModel = value }
                else { key.slipParameters.layers = value }
            default:
                return nil
            }
        }
        return sawKind && sawExpected ? key : nil
    }

    /// `grade` as a JSON object: `{"outcome":"wrong","score":0,"feedback":["…"],"matchedWrong":1}`.
    public static func json(_ grade: Grade) -> String {
        var text = "{\"outcome\":\"" + grade.outcome.rawValue + "\",\"score\":" + Numerals.decimal(grade.score, grouping: false)
        text += ",\"feedback\":[" + grade.feedback.map(jsonString).joined(separator: ",") + "]"
        text += ",\"matchedWrong\":" + (grade.matchedWrong.map { "\($0)" } ?? "null") + "}"
        return text
    }

    /// `text` as a JSON string literal.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "<" {
                    result += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func bits(_ value: Double) -> String { hex(UInt32(truncatingIfNeeded: value.bitPattern >> 32), digits: 8) + hex(UInt32(truncatingIfNeeded: value.bitPattern), digits: 8) }

    static func double(_ text: String) -> Double? {
        guard text.utf8.count == 16, let pattern = UInt64(text, radix: 16) else { return nil }
        return Double(bitPattern: pattern)
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        var text = String(value, radix: 16)
        while text.count < digits { text = "0" + text }
        return text
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping {
                result.append(scalar == "t" ? "\t" : scalar == "n" ? "\n" : scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
