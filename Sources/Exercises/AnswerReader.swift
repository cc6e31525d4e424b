import Foundation
import LiveValues
import ExpressionLanguage

/// What a learner's typed answer was read as.
public enum Reading: Sendable, Equatable {
    /// A number.
    case number(Double)
    /// A number with the suffix or unit the learner wrote (number questions).
    case quantity(Quantity)
    /// A shape.
    case shape([Int])
    /// Chosen options, as indices in presented order.
    case choices(Set<Int>)
    /// A phrase, normalised with `AnswerReader.textKey`.
    case text(String)
    /// The answer could not be read; the message says what form is expected. Costs no attempt.
    case unreadable(String)
}

/// A number as the learner wrote it: its value, and what the words after it said.
public struct Quantity: Sendable, Equatable {
    /// The value, with any suffix or byte unit applied (`1.5M` is 1,500,000; `16 KiB` is 16,384).
    public var value: Double
    /// The unit the learner's words name, if any.
    public var unit: AnswerUnit?
    /// The suffix or unit word as written, lower-cased (`m`, `kib`, `heads`).
    public var written: String?
    /// What the suffix or byte unit multiplied the written number by (1 without one).
    public var scale: Double = 1
    /// Whether a decimal byte unit (`KB`, `MB`, `GB`, `TB`) was used.
    public var decimalBytes = false
    /// The place value of the last digit written, when a suffix scaled it (`1.05M`: 10,000), so
    /// an answer within half of it is the right count rounded.
    public var step: Double?
    /// Significant figures written.
    public var figures = 1

    /// A number with nothing written after it.
    public init(value: Double) {
        self.value = value
    }
}

/// The unit an exercise's number answer is counted in (`unit:` in an exercise file).
public enum AnswerUnit: String, Sendable, CaseIterable {
    /// A width in dimensions (d_model, d_k, a concatenation's width).
    case dims
    /// A count of attention heads.
    case heads
    /// A count of layers.
    case layers
    /// A size in bytes.
    case bytes
    /// A count of parameters (weights and biases).
    case params
    /// A count of attention computations (one head in one layer).
    case computations
    /// A count of tokens.
    case tokens
    /// A count of mixture-of-experts experts.
    case experts
    /// A size in KiB (1024 bytes); a learner's byte units are converted to it.
    case kib = "KiB"
    /// A size in MiB (2²⁰ bytes); a learner's byte units are converted to it.
    case mib = "MiB"
    /// A size in GiB (2³⁰ bytes); a learner's byte units are converted to it.
    case gib = "GiB"
    /// A share of a whole, between 0 and 1; `36%` reads as 0.36.
    case fraction

    /// How many bytes one of the unit is, for a size (`bytes`, `KiB`, `MiB`, `GiB`); nil otherwise.
    public var bytesPerUnit: Double? {
        switch self {
        case .bytes: 1
        case .kib: 1024
        case .mib: 1_048_576
        case .gib: 1_073_741_824
        default: nil
        }
    }

    /// The words a learner may write for the unit, singular and plural.
    public var words: [String] {
        switch self {
        case .dims: ["dim", "dims", "dimension", "dimensions", "dimensional", "features", "wide"]
        case .heads: ["head", "heads"]
        case .layers: ["layer", "layers", "block", "blocks"]
        case .bytes: ["byte", "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "tb", "tib"]
        case .params: ["param", "params", "parameter", "parameters", "weight", "weights"]
        case .computations: ["computation", "computations", "attentions"]
        case .tokens: ["token", "tokens", "position", "positions"]
        case .experts: ["expert", "experts"]
        case .kib: ["kib"]
        case .mib: ["mib"]
        case .gib: ["gib"]
        case .fraction: ["fraction"]
        }
    }

    /// What an answer in the unit is, for feedback: "a width in dimensions".
    public var meaning: String {
        switch self {
        case .dims: "a width in dimensions"
        case .heads: "a count of heads"
        case .layers: "a count of layers"
        case .bytes: "a size in bytes"
        case .params: "a count of parameters"
        case .computations: "a count of attention computations"
        case .tokens: "a count of tokens"
        case .experts: "a count of experts"
        case .kib: "a size in KiB"
        case .mib: "a size in MiB"
        case .gib: "a size in GiB"
        case .fraction: "a fraction of 1"
        }
    }

    /// The unit a learner's word names, if any.
    public static func named(_ word: String) -> AnswerUnit? {
        let word = word.lowercased()
        return allCases.first { $0.words.contains(word) }
    }
}

/// Reads learners' answers generously: every reasonable way of writing a number, a shape or a choice.
public enum AnswerReader {
    /// Reads `input` as an answer to `question`.
    public static func read(_ input: String, for question: Question) -> Reading {
        guard input.count <= maximumLength else {
            return .unreadable("That answer is too long to be read; keep it under \(maximumLength) characters.")
        }
        switch question.exercise.kind {
        case .number:
            switch quantity(input, unit: question.exercise.unit) {
            case .success(let quantity): return .quantity(quantity)
            case .failure(let problem): return .unreadable(problem.message)
            }
        case .shape: return shape(input)
        case .choice: return choice(input, options: question.options.map(\.text))
        case .multi: return choices(input, options: question.options.map(\.text))
        case .text: return text(input)
        }
    }

    /// The longest answer that is read at all.
    public static let maximumLength = 300

    static let numberHelp = "Type a number, such as 64, 64.0, 768/12, 12 x 64, sqrt(64), 38 400 or 1.5M."

    /// Reads a number: `64`, ` 64.0 `, `d_k = 64`, `64 dims`, `1,024`, `38 400`, `768/12`, `12 × 64`,
    /// `12 x 64`, `sqrt(64)`, `√64`, `twelve`, `1.5M`, `16 KiB`. Unit words are dropped here;
    /// `quantity` keeps them.
    public static func number(_ input: String) -> Reading {
        switch quantity(input) {
        case .success(let quantity): return .number(quantity.value)
        case .failure(let problem): return .unreadable(problem.message)
        }
    }

    /// Why an answer could not be read.
    public struct Unreadable: Error, Sendable, Equatable {
        /// What to tell the learner.
        public var message: String
    }

    /// Reads a number with whatever suffix or unit the learner wrote after it. `unit` is the unit
    /// the question asks for: with `bytes`, a lone `B` means bytes rather than billion.
    public static func quantity(_ input: String, unit: AnswerUnit? = nil) -> Result<Quantity, Unreadable> {
        let shown = input.trimmingCharacters(in: .whitespacesAndNewlines)
        func refuse(_ text: String) -> Result<Quantity, Unreadable> { .failure(Unreadable(message: text)) }
        var text = stripName(clean(input))
        guard !text.isEmpty else { return refuse("Nothing to grade. " + numberHelp) }
        if text.hasSuffix("%") {
            text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) + " percent"
        }
        if text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }), let value = Double(text), value.isFinite {
            var plain = Quantity(value: value)
            plain.figures = significantFigures(text)
            return .success(plain)
        }
        text = spellDigits(text)
        if text.contains("√") {
            text = text.replacingOccurrences(of: "√\\s*([0-9][0-9.]*)", with: "sqrt($1)", options: .regularExpression)
                .replacingOccurrences(of: "√", with: "sqrt")
        }
        if text.contains(where: { $0 == "x" || $0 == "X" || $0 == "×" }) {
            text = text.replacingOccurrences(of: "([0-9)])\\s*[xX×]\\s*(?=[0-9(]|sqrt)", with: "$1*", options: .regularExpression)
        }
        var quantity = Quantity(value: 0)
        if text.contains(where: \.isLetter), let wordsRange = AnswerPatterns.trailingWords.range(in: text) {
            let words = text[wordsRange].lowercased()
                .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
            text = String(text[..<wordsRange.lowerBound]).trimmingCharacters(in: .whitespaces)
            var rest = words[...]
            let sized = unit?.bytesPerUnit != nil
            if let first = rest.first, !(sized && first == "b"), let scale = scaleWords[first] {
                quantity.scale = scale
                quantity.written = first
                rest = rest.dropFirst()
            }
            if let first = rest.first, let bytes = byteUnits[first] ?? (sized && first == "b" ? 1 : nil) {
                quantity.scale *= bytes
                quantity.unit = .bytes
                quantity.decimalBytes = [1e3, 1e6, 1e9, 1e12].contains(bytes)
                quantity.written = quantity.written.map { $0 + " " + first } ?? first
                rest = rest.dropFirst()
            }
            if quantity.unit == nil, let last = rest.last, let named = AnswerUnit.named(last) {
                quantity.unit = named
                quantity.written = last
            }
        } else if let first = text.first, first.isASCII, first.isLetter, !text.hasPrefix("sqrt") {
            return refuse("`\(shown)` is not a number. " + numberHelp)
        }
        text = ungroup(text)
        guard !text.isEmpty else { return refuse("`\(shown)` is not a number. " + numberHelp) }
        if let value = Double(text), value.isFinite, text.rangeOfCharacter(from: .letters.subtracting(CharacterSet(charactersIn: "eE"))) == nil {
            quantity.value = value * quantity.scale
            guard quantity.value.isFinite else { return refuse("`\(shown)` is too large to be a count. " + numberHelp) }
            quantity.figures = significantFigures(text)
            if quantity.scale != 1, !text.lowercased().contains("e") {
                let decimals = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
                quantity.step = quantity.scale / pow(10, Double(decimals))
            }
            return .success(quantity)
        }
        guard AnswerPatterns.arithmetic.range(in: text) != nil, text.contains(where: \.isNumber) else {
            return refuse("`\(shown)` is not a number. " + numberHelp)
        }
        switch Expressions.evaluate(text, bindings: [:]) {
        case .success(let value):
            if let number = value.number, number.isFinite, (number * quantity.scale).isFinite {
                quantity.value = number * quantity.scale
                return .success(quantity)
            }
            return refuse("`\(text)` does not give a number. " + numberHelp)
        case .failure(let error):
            return refuse("Could not work out `\(text)`: \(error.message) " + numberHelp)
        }
    }

    /// Scale words and suffixes a learner may write after a number.
    static let scaleWords: [String: Double] = [
        "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
        "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
        "percent": 0.01,
    ]

    /// Byte units with their real values: `KB` is 1000 bytes, `KiB` 1024.
    /// Bits are read as an eighth of a byte, so that the right quantity in bits can be told apart.
    static let byteUnits: [String: Double] = [
        "bit": 0.125, "bits": 0.125, "byte": 1, "bytes": 1,
        "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
    ]

    /// Number words a learner may write instead of digits.
    static let numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                              "eighteen", "nineteen", "twenty"]

    /// `text` with the words zero to twenty (and `none`, `no`) as digits, when they stand alone.
    static func spellDigits(_ text: String) -> String {
        guard text.contains(where: \.isLetter) else { return text }
        let lowered = text.lowercased()
        if lowered == "none" || lowered == "no" { return "0" }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (index, word) in words.enumerated() {
            if let value = numberWords.firstIndex(of: word.lowercased()) { words[index] = String(value) }
            else if index == 0, word.lowercased() == "none" { words[index] = "0" }
        }
        return words.joined(separator: " ")
    }

    /// Removes the separators of digit groups: `1,024`, `38 400`, `2_359_296`, `1 000 000` (thin spaces too).
    static func ungroup(_ text: String) -> String {
        let separators = CharacterSet(charactersIn: ",_ '\u{2009}\u{202F}\u{00A0}")
        guard text.unicodeScalars.contains(where: separators.contains), text.range(of: "^-?[0-9]{1,3}([,_ '\u{2009}\u{202F}\u{00A0}][0-9]{3})+(\\.[0-9]+)?$", options: .regularExpression) != nil else { return text }
        return String(text.unicodeScalars.filter { !separators.contains($0) }.map(Character.init))
    }

    /// How many significant figures a written number has: `1.05` has 3, `56.7` has 3, `2` has 1.
    static func significantFigures(_ text: String) -> Int {
        let digits = text.filter(\.isNumber).drop { $0 == "0" }
        return max(digits.count, 1)
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

    /// Reads one option: by letter (`b`, `B`, `b)`, `(b)`, `option b`), by its whole text, by `yes` or
    /// `no` when exactly one option begins so, or by any word or phrase found in exactly one option
    /// (`MQA`, `multi-query`), case and punctuation ignored.
    public static func choice(_ input: String, options: [String]) -> Reading {
        let help = "Answer with a letter from a to \(PresentedOption.letter(max(options.count - 1, 0))), or with the option's text."
        let text = clean(input)
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + help) }
        switch option(text, options: options) {
        case .found(let index): return .choices([index])
        case .noSuchLetter(let letter): return .unreadable("There is no option \(letter). " + help)
        case .ambiguous(let indices): return .unreadable(ambiguity(text, indices: indices, options: options))
        case .none: return .unreadable("`\(text)` is not one of the options. " + help)
        }
    }

    /// What one piece of an answer names among the options.
    enum OptionMatch: Equatable {
        case found(Int)
        case noSuchLetter(String)
        case ambiguous([Int])
        case none
    }

    /// Finds the one option `text` names: letter, `option b`, whole text, yes/no, or a phrase in one option only.
    static func option(_ text: String, options: [String]) -> OptionMatch {
        var text = text
        if let range = text.range(of: "^(option|answer|choice)\\s+", options: [.regularExpression, .caseInsensitive]) {
            text.removeSubrange(range)
        }
        if let index = letterIndex(text) {
            return index < options.count ? .found(index) : .noSuchLetter(text.trimmingCharacters(in: CharacterSet(charactersIn: "()[].: ")))
        }
        let key = textKey(text)
        guard !key.isEmpty else { return .none }
        if let index = options.firstIndex(where: { textKey($0) == key }) { return .found(index) }
        let words = wordsOf(text)
        if words == ["yes"] || words == ["no"] {
            let starting = options.indices.filter { wordsOf(options[$0]).first == words[0] }
            if starting.count == 1 { return .found(starting[0]) }
        }
        var containing = options.indices.filter { contains(wordsOf(options[$0]), words) }
        if containing.isEmpty, words.count == 1 {
            containing = options.indices.filter { abbreviates(words[0], options[$0]) }
        }
        switch containing.count {
        case 1: return .found(containing[0])
        case 0: return .none
        default: return .ambiguous(containing)
        }
    }

    /// Whether `word` (three letters or more) is the initials of consecutive words of `option`,
    /// with hyphenated words counted whole or by part: `mqa` and `gqa` for "Multi-query attention"
    /// and "Grouped-query attention", `mla` for "Multi-head latent attention", `mha` for "multi-head attention".
    static func abbreviates(_ word: String, _ option: String) -> Bool {
        guard word.count >= 3, word.allSatisfy({ $0.isLetter && $0.isASCII }) else { return false }
        let folded = option.lowercased()
        let whole = folded.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
            .compactMap { $0.first(where: \.isLetter) }
        let parts = wordsOf(option).compactMap(\.first)
        let target = Array(word)
        return [whole, parts].contains { initials in
            initials.count >= target.count
                && (0...(initials.count - target.count)).contains { Array(initials[$0..<($0 + target.count)]) == target }
        }
    }

    /// The message for a phrase that occurs in several options.
    static func ambiguity(_ text: String, indices: [Int], options: [String]) -> String {
        let listed = indices.map { "\(PresentedOption.letter($0))) \(options[$0])" }.joined(separator: "; ")
        return "`\(text)` occurs in more than one option: \(listed). Answer with the letter, or a phrase only one of them has."
    }

    /// Lower-case words of `text`, without punctuation or accents: `Multi-query attention` is [multi, query, attention].
    static func wordsOf(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Whether `phrase` occurs as consecutive words of `words`.
    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        return (0...(words.count - phrase.count)).contains { Array(words[$0..<($0 + phrase.count)]) == phrase }
    }

    /// Reads several options: letters separated by commas, spaces or `and` (`a, c`, `a c`, `ac`),
    /// `all` or `none`, or pieces each naming one option as `choice` reads it (`MQA, GQA`).
    public static func choices(_ input: String, options: [String]) -> Reading {
        let help = "Answer with the letters of every option you choose, such as `a, c`, or `all` or `none`."
        let text = clean(input)
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + help) }
        let whole = wordsOf(text)
        if whole == ["all"] || whole == ["all", "of", "them"] || whole == ["all", "of", "the", "above"] || whole == ["every", "option"] {
            return .choices(Set(options.indices))
        }
        if whole == ["none"] || whole == ["none", "of", "them"] || whole == ["none", "of", "the", "above"] || whole == ["nothing"] {
            return .choices([])
        }
        let tokens = text.lowercased()
            .replacingOccurrences(of: "\\band\\b|&|\\+", with: ",", options: .regularExpression)
            .replacingOccurrences(of: "\\b(options?|answers?)\\b", with: " ", options: .regularExpression)
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "/" })
            .map { String($0) }
        var picked = Set<Int>()
        var letters = !tokens.isEmpty
        for token in tokens {
            if let index = letterIndex(token) {
                picked.insert(index)
            } else if token.count > 1, token.count <= options.count, token.allSatisfy({ $0.isLetter && $0.isASCII }),
                      !options.contains(where: { wordsOf($0).contains(token) || abbreviates(token, $0) }) {
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
        let pieces = text.replacingOccurrences(of: "\\s+and\\s+|&|\\+", with: ",", options: [.regularExpression, .caseInsensitive])
            .split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "/" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var named = Set<Int>()
        for piece in pieces {
            switch option(piece, options: options) {
            case .found(let index): named.insert(index)
            case .noSuchLetter(let letter): return .unreadable("There is no option \(letter). " + help)
            case .ambiguous(let indices): return .unreadable(ambiguity(piece, indices: indices, options: options))
            case .none: return .unreadable("`\(text)` is not a list of option letters. " + help)
            }
        }
        return named.isEmpty ? .unreadable("`\(text)` is not a list of option letters. " + help) : .choices(named)
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
        guard text.contains(where: { $0 == "=" || $0 == ":" }), let range = text.range(of: "^[A-Za-z_][A-Za-z0-9_ .()]*\\s*(=|:)\\s*", options: .regularExpression) else { return text }
        return String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
}

/// The answer reader's regular expressions, compiled once (compiling one on every answer was the
/// larger part of `check`'s time, which grades every key in every notation).
enum AnswerPatterns {
    /// Words after a number: a suffix, a byte unit or a unit word (`1.5 MiB`, `64 heads`).
    static let trailingWords = CompiledPattern("(?<=[0-9)])\\s*[A-Za-z][A-Za-z_ .\\-]*$")
    /// Plain arithmetic a learner may type (`768/12`, `sqrt(64)`).
    static let arithmetic = CompiledPattern("^([0-9.+\\-*/%^() ]|sqrt)+$")
}

/// A regular expression compiled once; an invalid pattern (a programming error) matches nothing.
struct CompiledPattern: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and safe to use from several threads.
    private let regex: NSRegularExpression?

    init(_ pattern: String) { regex = try? NSRegularExpression(pattern: pattern) }

    /// The first match in `text`, as a range of it.
    func range(in text: String) -> Range<String.Index>? {
        guard let regex, let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return Range(match.range, in: text)
    }
}
