/// The few text operations the answer reader needs, written without Foundation or regular
/// expressions so the reader compiles to WebAssembly. Each says which pattern it replaces.
enum TextScan {
    /// Whether `scalar` is white space (Unicode's White_Space: spaces, tabs, line breaks, thin spaces).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// Whether `scalar` is a word character as regular expressions' `\w` reads it.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || isAlphanumeric(scalar)
    }

    /// Whether `scalar` is a letter, a mark or a number (Foundation's `CharacterSet.alphanumerics`).
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 65 && scalar.value <= 90) || (scalar.value >= 97 && scalar.value <= 122)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    /// `text` without white space at either end.
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        trimmed(text) { isSpace($0) }
    }

    /// `text` without the scalars `drop` accepts at either end.
    static func trimmed<S: StringProtocol>(_ text: S, where drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        var start = 0, end = scalars.count
        while start < end, drop(scalars[start]) { start += 1 }
        while end > start, drop(scalars[end - 1]) { end -= 1 }
        return string(scalars[start..<end])
    }

    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// `text` with every scalar `map` names replaced by its text.
    static func mapScalars(_ text: String, _ map: (Unicode.Scalar) -> String?) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if let replacement = map(scalar) { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Whether `scalars` from `index` on start with `word`, ASCII case ignored.
    static func hasWord(_ scalars: [Unicode.Scalar], at index: Int, _ word: String, ignoringCase: Bool = true) -> Bool {
        let letters = Array(word.unicodeScalars)
        guard index + letters.count <= scalars.count else { return false }
        for (offset, letter) in letters.enumerated() {
            let scalar = scalars[index + offset]
            if scalar == letter { continue }
            if ignoringCase, isASCIILetter(scalar), scalar.value | 0x20 == letter.value | 0x20 { continue }
            return false
        }
        return true
    }

    /// Replaces whole words (maximal runs of word characters, as `\bWORD\b` finds them) found in
    /// `words` with `replacement`; `words` are lower case and compared ignoring ASCII case.
    static func replaceWords(_ text: String, _ words: [String], with replacement: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard isWordScalar(scalars[index]) else {
                result.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
            let run = scalars[index..<end]
            if words.contains(where: { word in word.unicodeScalars.count == run.count && hasWord(scalars, at: index, word) }) {
                result.append(contentsOf: replacement.unicodeScalars)
            } else {
                result.append(contentsOf: run)
            }
            index = end
        }
        return String(result)
    }

    /// Folds case, accents and full-width forms (Foundation's `folding(options: [.caseInsensitive,
    /// .diacriticInsensitive, .widthInsensitive])` followed by `lowercased()`), for Latin text:
    /// accented Latin letters lose their accents and combining marks are dropped.
    static func folded(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value >= 0x0300 && value <= 0x036F { continue }
            if value >= 0xFF01 && value <= 0xFF5E, let narrow = Unicode.Scalar(value - 0xFEE0) {
                result.append(narrow)
            } else if value == 0x3000 {
                result.append(" ")
            } else if let base = latinBase(scalar) {
                result.append(base)
            } else {
                result.append(scalar)
            }
        }
        return String(result).lowercased()
    }

    /// The unaccented letter of an accented Latin letter (Latin-1 Supplement and Latin Extended-A).
    static func latinBase(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        if value >= 0xC0 && value <= 0xFF {
            let bases = latin1Bases
            let base = bases[Int(value - 0xC0)]
            return base == "_" ? nil : base
        }
        if value >= 0x100 && value <= 0x17F {
            let bases = latinExtendedABases
            let offset = Int(value - 0x100)
            guard offset < bases.count else { return nil }
            let base = bases[offset]
            return base == "_" ? nil : base
        }
        return nil
    }

    private static let latin1Bases = Array("AAAAAA_CEEEEIIII_NOOOOO__UUUUY__aaaaaa_ceeeeiiii_nooooo__uuuuy_y".unicodeScalars)
    private static let latinExtendedABases = Array("AaAaAaCcCcCcCcDd__EeEeEeEeEeGgGgGgGgHh__IiIiIiIiI___JjKk_LlLlLl____NnNnNn___OoOoOo__RrRrRrSsSsSsSsTtTt__UuUuUuUuUuUuWwYyYZzZzZz_".unicodeScalars)
}
