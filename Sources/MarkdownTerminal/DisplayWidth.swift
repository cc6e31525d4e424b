/// The number of terminal columns `text` occupies.
///
/// Wide East Asian characters and emoji count two, combining marks and other zero-width
/// characters count zero, and ANSI escape sequences (CSI and OSC) count zero.
public func displayWidth(_ text: String) -> Int {
    var total = 0
    for piece in ANSISequences.split(text) {
        if case let .text(visible) = piece {
            for character in visible { total += displayWidth(of: character) }
        }
    }
    return total
}

/// The number of terminal columns one character (grapheme cluster) occupies: 0, 1 or 2.
public func displayWidth(of character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.count > 1 {
        if scalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        if scalars.contains(where: { $0.value == 0x200D }) && first.properties.isEmoji { return 2 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
    }
    let base = ScalarWidth.width(of: first)
    if base == 0 {
        return scalars.dropFirst().map(ScalarWidth.width(of:)).max() ?? 0
    }
    return base
}

/// A small width table for single Unicode scalars.
enum ScalarWidth {
    /// Ranges of East Asian wide and fullwidth characters (Unicode 15 East_Asian_Width W and F).
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320,
        0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3,
        0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
        0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596,
        0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2,
        0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
        0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Ranges of zero-width scalars beyond the combining-mark categories.
    static let zero: [ClosedRange<UInt32>] = [
        0x1160...0x11FF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xD7B0...0xD7FF,
        0xFE00...0xFE0F, 0xFEFF...0xFEFF, 0xE0000...0xE0FFF,
    ]

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if contains(zero, value) { return 0 }
        return contains(wide, value) ? 2 : 1
    }

    private static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0, high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < ranges[middle].lowerBound {
                high = middle - 1
            } else if value > ranges[middle].upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}

/// Splits text into visible runs and the ANSI escape sequences between them.
enum ANSISequences {
    enum Piece: Equatable {
        case text(String)
        case escape(String)
    }

    /// Splits `text` at CSI (`ESC [ … final`) and OSC (`ESC ] … BEL or ESC \`) sequences.
    static func split(_ text: String) -> [Piece] {
        guard text.unicodeScalars.contains("\u{1B}") else { return [.text(text)] }
        var pieces: [Piece] = []
        var visible = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func flush() {
            if !visible.isEmpty { pieces.append(.text(String(visible))); visible = String.UnicodeScalarView() }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "\u{1B}", index + 1 < scalars.count else {
                visible.append(scalar)
                index += 1
                continue
            }
            var end = index + 1
            if scalars[end] == "[" {
                end += 1
                while end < scalars.count, !(0x40...0x7E).contains(scalars[end].value) { end += 1 }
                end = min(end + 1, scalars.count)
            } else if scalars[end] == "]" {
                end += 1
                while end < scalars.count {
                    if scalars[end] == "\u{07}" { end += 1; break }
                    if scalars[end] == "\u{1B}", end + 1 < scalars.count, scalars[end + 1] == "\\" { end += 2; break }
                    end += 1
                }
            } else {
                end += 1
            }
            flush()
            var sequence = String.UnicodeScalarView()
            sequence.append(contentsOf: scalars[index..<end])
            pieces.append(.escape(String(sequence)))
            index = end
        }
        flush()
        return pieces
    }
}
