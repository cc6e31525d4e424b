import Foundation
import LiveValues
import ExpressionLanguage

/// What a learner's typed answer was read as.
public enum Reading: Sendable, Equatable {
    /// A number.
    case number(Double)
    /// A shape.
    case shape([Int])
    /// Chosen options, as indices in presented order.
    case choices(Set<Int>)
    /// A phrase, normalised with `AnswerReader.textKey`.
    case text(String)
    /// The answer could not be read; the message says what form is expected. Costs no attempt.
    case unreadable(String)
}

/// Reads learners' answers generously: every reasonable way of writing a number, a shape or a choice.
public enum AnswerReader {
    /// Reads `input` as an answer to `question`.
    public static func read(_ input: String, for question: Question) -> Reading {
        guard input.count <= maximumLength else {
            return .unreadable("That answer is too long to be read; keep it under \(maximumLength) characters.")
        }
        switch question.exercise.kind {
        case .number: return number(input)
        case .shape: return shape(input)
        case .choice: return choice(input, options: question.options.map(\.text))
        case .multi: return choices(input, options: question.options.map(\.text))
        case .text: return text(input)
        }
    }

    /// The longest answer that is read at all.
    public static let maximumLength = 300

    static let numberHelp = "Type a number, such as 64, 64.0 or 768/12."

    /// Reads a number: `64`, ` 64.0 `, `d_k = 64`, `64 dims`, `1,024`, `768/12`, `12 × 64`.
    public static func number(_ input: String) -> Reading {
        var text = stripName(clean(input)).replacingOccurrences(of: "×", with: "*")
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + numberHelp) }
        if let unitRange = text.range(of: "\\s*[A-Za-z][A-Za-z_ ]*\\.?$", options: .regularExpression) {
            let unit = text[unitRange].trimmingCharacters(in: .whitespaces).lowercased()
            let beforeUnit = String(text[..<unitRange.lowerBound])
            if beforeUnit.trimmingCharacters(in: .whitespaces).isEmpty {
                return .unreadable("`\(input.trimmingCharacters(in: .whitespaces))` is not a number. " + numberHelp)
            }
            if ["k", "m", "g", "kb", "mb", "gb", "kib", "mib", "gib", "thousand", "million", "billion"].contains(unit) {
                return .unreadable("Write the whole number without `\(unit)` (for example 4096 rather than 4 KB).")
            }
            text = beforeUnit.trimmingCharacters(in: .whitespaces)
        }
        if text.range(of: "^[0-9]{1,3}([,_][0-9]{3})+(\\.[0-9]+)?$", options: .regularExpression) != nil {
            text.removeAll { $0 == "," || $0 == "_" }
        }
        if let value = Double(text), value.isFinite, text.rangeOfCharacter(from: .letters.subtracting(CharacterSet(charactersIn: "eE"))) == nil {
            return .number(value)
        }
        guard text.range(of: "^[0-9.+\\-*/%^() ]+$", options: .regularExpression) != nil, text.contains(where: \.isNumber) else {
            return .unreadable("`\(input.trimmingCharacters(in: .whitespaces))` is not a number. " + numberHelp)
        }
        switch Expressions.evaluate(text, bindings: [:]) {
        case .success(let value):
            if let number = value.number, number.isFinite { return .number(number) }
            return .unreadable("`\(text)` does not give a number. " + numberHelp)
        case .failure(let error):
            return .unreadable("Could not work out `\(text)`: \(error.message) " + numberHelp)
        }
    }

    static let shapeHelp = "Type a shape such as [11, 64], (11, 64) or 11x64."

    /// Reads a shape: `[11, 64]`, `(11, 64)`, `11x64`, `11 × 64`, `11,64`, `11 by 64`.
    public static func shape(_ input: String) -> Reading {
        var text = stripName(clean(input))
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + shapeHelp) }
        let pairs: [(Character, Character)] = [("[", "]"), ("(", ")"), ("{", "}"), ("<", ">")]
        for (open, close) in pairs where text.first == open && text.last == close {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            break
        }
        let separated = text.replacingOccurrences(of: "\\s*(,|;|[xX×]|\\bby\\b)\\s*|\\s+", with: "|", options: .regularExpression)
        let parts = separated.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else { return .unreadable("`\(input.trimmingCharacters(in: .whitespaces))` is not a shape. " + shapeHelp) }
        var dims: [Int] = []
        for part in parts {
            guard case .number(let value) = number(part) else {
                return .unreadable("`\(part)` is not a dimension. " + shapeHelp)
            }
            guard value >= 0 else {
                return .unreadable("Dimensions cannot be negative; `\(part)` is. " + shapeHelp)
            }
            guard value.rounded() == value, value < 1e15 else {
                return .unreadable("Dimensions are whole numbers; `\(part)` is not. " + shapeHelp)
            }
            dims.append(Int(value))
        }
        return .shape(dims)
    }

    /// Reads one option: by letter (`b`, `B`, `b)`, `(b)`) or by its text.
    public static func choice(_ input: String, options: [String]) -> Reading {
        let help = "Answer with a letter from a to \(PresentedOption.letter(max(options.count - 1, 0))), or with the option's text."
        let text = clean(input)
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + help) }
        if let index = letterIndex(text) {
            return index < options.count ? .choices([index]) : .unreadable("There is no option \(text). " + help)
        }
        let key = textKey(text)
        if let index = options.firstIndex(where: { textKey($0) == key }) { return .choices([index]) }
        return .unreadable("`\(text)` is not one of the options. " + help)
    }

    /// Reads several options: letters separated by commas, spaces or `and` (`a, c`, `a c`, `ac`), or one option's text.
    public static func choices(_ input: String, options: [String]) -> Reading {
        let help = "Answer with the letters of every option you choose, such as `a, c`."
        let text = clean(input)
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + help) }
        let tokens = text.lowercased()
            .replacingOccurrences(of: "\\band\\b|&|\\+", with: ",", options: .regularExpression)
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "/" })
            .map { String($0) }
        var picked = Set<Int>()
        var letters = true
        for token in tokens {
            if let index = letterIndex(token) {
                picked.insert(index)
            } else if token.count > 1, token.count <= options.count, token.allSatisfy({ $0.isLetter && $0.isASCII }) {
                token.compactMap { letterIndex(String($0)) }.forEach { picked.insert($0) }
            } else {
                letters = false
                break
            }
        }
        if letters, !picked.isEmpty {
            if let bad = picked.first(where: { $0 >= options.count }) {
                return .unreadable("There is no option \(PresentedOption.letter(bad)). " + help)
            }
            return .choices(picked)
        }
        let key = textKey(text)
        if let index = options.firstIndex(where: { textKey($0) == key }) { return .choices([index]) }
        return .unreadable("`\(text)` is not a list of option letters. " + help)
    }

    /// Reads a phrase; only an empty answer is unreadable.
    public static func text(_ input: String) -> Reading {
        let key = textKey(input)
        guard !key.isEmpty else { return .unreadable("Nothing to grade. Type your answer in a few words.") }
        return .text(key)
    }

    /// A phrase reduced to what matters: lower case, no accents, no leading article, no spaces or punctuation.
    public static func textKey(_ text: String) -> String {
        var folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        for article in ["the ", "a ", "an "] where folded.hasPrefix(article) {
            folded.removeFirst(article.count)
            break
        }
        return String(folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    private static func letterIndex(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "()[].: ")).lowercased()
        guard trimmed.count == 1, let scalar = trimmed.unicodeScalars.first, ("a"..."z").contains(scalar) else { return nil }
        return Int(scalar.value) - 97
    }

    private static func clean(_ input: String) -> String {
        input.replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: "÷", with: "/")
            .replacingOccurrences(of: "·", with: "*")
            .replacingOccurrences(of: "⋅", with: "*")
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "`"))
    }

    /// Drops a leading `name =` or `name:` (`d_k = 64`, `shape: [11, 64]`).
    private static func stripName(_ text: String) -> String {
        guard let range = text.range(of: "^[A-Za-z_][A-Za-z0-9_ .()]*\\s*(=|:)\\s*", options: .regularExpression) else { return text }
        return String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
}
