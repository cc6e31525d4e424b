/// Makes control characters in author text harmless before it reaches a terminal.
///
/// C0 controls (ESC, BEL, backspace, carriage return, …) become their visible Unicode control
/// pictures (`␛`, `␇`, …), DEL becomes `␡`, and C1 controls (U+0080–U+009F, which some terminals
/// treat like ESC sequences) become `�`. Tabs become spaces up to the next multiple of 4 columns.
/// Nothing an author writes can therefore move the cursor, set a title or reach the clipboard.
public func sanitize(_ text: String) -> String {
    ControlCharacters.sanitize(text)
}

enum ControlCharacters {
    /// True for C0, DEL and C1 control characters (line feed included).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        var column = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09:
                let spaces = 4 - column % 4
                result.append(contentsOf: repeatElement(" ", count: spaces))
                column += spaces
                continue
            case 0x0A:
                result.append(scalar)
                column = 0
                continue
            case 0x00..<0x20:
                result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F:
                result.append("\u{2421}")
            case 0x80...0x9F:
                result.append("\u{FFFD}")
            default:
                result.append(scalar)
            }
            column += 1
        }
        return String(result)
    }
}
