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

/// Makes text safe for a terminal while keeping the styling this program writes: SGR sequences
/// (`ESC [ … m`: colour, bold) and OSC 8 hyperlinks (`ESC ] 8 ; ; URI ESC \`) whose URI holds no
/// control character. Line feeds and tabs are kept; every other C0 control, DEL and C1 control
/// (U+009B is a one-character CSI on many terminals) becomes visible as `sanitize` shows it.
///
/// Every write to standard output goes through this, so a name or path quoted from a file, folder
/// or argument cannot clear the screen, set the title or reach the clipboard (OSC 52), whatever path
/// it took to the output and whatever `--color` says.
public func terminalSafe(_ text: String) -> String {
    ControlCharacters.terminalSafe(text)
}

extension ControlCharacters {
    static func terminalSafe(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let end = styleSequenceEnd(scalars, from: index) {
                result.append(contentsOf: scalars[index..<end])
                index = end
                continue
            }
            switch scalar.value {
            case 0x09, 0x0A: result.append(scalar)
            case 0x00..<0x20: result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F: result.append("\u{2421}")
            case 0x80...0x9F: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
            index += 1
        }
        return String(result)
    }

    /// The end of the SGR or OSC 8 sequence starting at `start` (an ESC), or nil when it is neither.
    private static func styleSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "[" {
            index += 1
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == ";" { index += 1 }
            return index < scalars.count && scalars[index] == "m" ? index + 1 : nil
        }
        if scalars[index] == "]", index + 2 < scalars.count, scalars[index + 1] == "8", scalars[index + 2] == ";" {
            index += 3
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\u{1B}" {
                    return index + 1 < scalars.count && scalars[index + 1] == "\\" ? index + 2 : nil
                }
                if isControl(scalar) { return nil }
                index += 1
            }
        }
        return nil
    }
}
