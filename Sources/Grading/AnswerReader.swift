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

/// Reads learners' answers generously: every reasonable way of writing a number, a shape or a choice.
/// Foundation-free: the same code reads answers in the terminal and, compiled to WebAssembly, in a browser.
public enum AnswerReader {
    /// Reads `input` as an answer to a question with `key`.
    public static func read(_ input: String, key: AnswerKey) -> Reading {
        guard input.count <= maximumLength else {
            return .unreadable("That answer is too long to be read; keep it under \(maximumLength) characters.")
        }
        switch key.kind {
        case .number:
            switch quantity(input, unit: key.unit) {
            case .success(let quantity): return .quantity(quantity)
            case .failure(let problem): return .unreadable(problem.message)
            }
        case .shape: return shape(input)
        case .choice: return choice(input, options: key.options.map { $0.text })
        case .multi: return choices(input, options: key.options.map { $0.text })
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
        let shown = TextScan.trimmed(input)
        func refuse(_ text: String) -> Result<Quantity, Unreadable> { .failure(Unreadable(message: text)) }
        var text = stripName(clean(input))
        guard !text.isEmpty else { return refuse("Nothing to grade. " + numberHelp) }
        if text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }), let value = Numerals.parse(text), value.isFinite {
            var plain = Quantity(value: value)
            plain.figures = significantFigures(text)
            return .success(plain)
        }
        text = spellDigits(text)
        if text.unicodeScalars.contains("√") { text = rootsAsCalls(text) }
        if text.unicodeScalars.contains(where: { $0 == "x" || $0 == "X" || $0 == "×" }) { text = timesAsStars(text) }
        var quantity = Quantity(value: 0)
        if text.contains(where: { $0.isLetter }), let wordsStart = trailingWordsStart(text) {
            let scalars = Array(text.unicodeScalars)
            let words = TextScan.string(scalars[wordsStart...]).lowercased()
                .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0 == "." || $0.isWhitespace }).map(String.init)
            text = TextScan.trimmed(TextScan.string(scalars[..<wordsStart]))
            var rest = words[...]
            if let first = rest.first, !(unit == .bytes && first == "b"), let scale = scaleWords[first] {
                quantity.scale = scale
                quantity.written = first
                rest = rest.dropFirst()
            }
            if let first = rest.first, let bytes = byteUnits[first] ?? (unit == .bytes && first == "b" ? 1 : nil) {
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
        } else if let first = text.unicodeScalars.first, TextScan.isASCIILetter(first), !text.hasPrefix("sqrt") {
            return refuse("`\(shown)` is not a number. " + numberHelp)
        }
        text = ungroup(text)
        guard !text.isEmpty else { return refuse("`\(shown)` is not a number. " + numberHelp) }
        if let value = Numerals.parse(text), !value.isFinite {
            return refuse("`\(shown)` is too large: no count or size comes near it. " + numberHelp)
        }
        if let value = Numerals.parse(text), value.isFinite {
            quantity.value = value * quantity.scale
            guard quantity.value.isFinite else { return refuse("`\(shown)` is too large to be a count. " + numberHelp) }
            quantity.figures = significantFigures(text)
            if quantity.scale != 1, !text.lowercased().contains("e") {
                let decimals = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
                quantity.step = quantity.scale / Numerals.powerOfTen(min(decimals, 22))
            }
            return .success(quantity)
        }
        guard isArithmetic(text), text.contains(where: { $0.isNumber }) else {
            return refuse("`\(shown)` is not a number. " + numberHelp)
        }
        switch AnswerArithmetic.evaluate(text) {
        case .success(let number):
            if number.isFinite, (number * quantity.scale).isFinite {
                quantity.value = number * quantity.scale
                return .success(quantity)
            }
            return refuse("`\(text)` does not give a number. " + numberHelp)
        case .failure(let problem):
            return refuse("Could not work out `\(text)`: \(problem.message) " + numberHelp)
        }
    }

    /// Scale words and suffixes a learner may write after a number.
    static let scaleWords: [String: Double] = [
        "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
        "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
    ]

    /// Byte units with their real values: `KB` is 1000 bytes, `KiB` 1024.
    static let byteUnits: [String: Double] = [
        "byte": 1, "bytes": 1,
        "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
    ]

    /// Number words a learner may write instead of digits.
    public static let numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                     "eighteen", "nineteen", "twenty"]

    /// `text` with the words zero to twenty (and `none`, `no`) as digits, when they stand alone.
    static func spellDigits(_ text: String) -> String {
        guard text.contains(where: { $0.isLetter }) else { return text }
        let lowered = text.lowercased()
        if lowered == "none" || lowered == "no" { return "0" }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (index, word) in words.enumerated() {
            if let value = numberWords.firstIndex(of: word.lowercased()) { words[index] = String(value) }
            else if index == 0, word.lowercased() == "none" { words[index] = "0" }
        }
        return words.joined(separator: " ")
    }

    /// `√64` and `√ 64` as `sqrt(64)`, and any other `√` as `sqrt` (`√(768/12)`).
    static func rootsAsCalls(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "√" else {
                result.append(scalars[index])
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, TextScan.isSpace(scalars[end]) { end += 1 }
            if end < scalars.count, TextScan.isDigit(scalars[end]) {
                var last = end
                while last < scalars.count, TextScan.isDigit(scalars[last]) || scalars[last] == "." { last += 1 }
                result.append(contentsOf: "sqrt(".unicodeScalars)
                result.append(contentsOf: scalars[end..<last])
                result.append(")")
                index = last
            } else {
                result.append(contentsOf: "sqrt".unicodeScalars)
                index += 1
            }
        }
        return String(result)
    }

    /// `12 x 64`, `12×64` and `(a) X 3` as products: an `x` between a digit or `)` and a digit, `(` or `sqrt`.
    static func timesAsStars(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let c = scalars[index]
            result.append(c)
            index += 1
            guard TextScan.isDigit(c) || c == ")" else { continue }
            var sign = index
            while sign < scalars.count, TextScan.isSpace(scalars[sign]) { sign += 1 }
            guard sign < scalars.count, scalars[sign] == "x" || scalars[sign] == "X" || scalars[sign] == "×" else { continue }
            var next = sign + 1
            while next < scalars.count, TextScan.isSpace(scalars[next]) { next += 1 }
            guard next < scalars.count, TextScan.isDigit(scalars[next]) || scalars[next] == "(" || TextScan.hasWord(scalars, at: next, "sqrt", ignoringCase: false) else { continue }
            result.append("*")
            index = next
        }
        return String(result)
    }

    /// Where words after a number begin: right after a digit or `)`, optional space, then a letter and
    /// only letters, spaces, `_`, `.` and `-` to the end (`1.5 MiB`, `64 heads`).
    static func trailingWordsStart(_ text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        func isWordTail(_ s: Unicode.Scalar) -> Bool { TextScan.isASCIILetter(s) || s == "_" || s == " " || s == "." || s == "-" }
        var lastBad = -1
        for index in scalars.indices.reversed() where !isWordTail(scalars[index]) {
            lastBad = index
            break
        }
        for start in 1...max(scalars.count, 1) where start <= scalars.count {
            let before = scalars[start - 1]
            guard TextScan.isDigit(before) || before == ")" else { continue }
            var letter = start
            while letter < scalars.count, TextScan.isSpace(scalars[letter]) { letter += 1 }
            guard letter < scalars.count, TextScan.isASCIILetter(scalars[letter]), letter > lastBad else { continue }
            return start
        }
        return nil
    }

    /// Whether `text` is plain arithmetic a learner may type: digits, `. + - * / % ^ ( )`, spaces and `sqrt`.
    static func isArithmetic(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return false }
        var index = 0
        while index < scalars.count {
            if TextScan.hasWord(scalars, at: index, "sqrt", ignoringCase: false) {
                index += 4
                continue
            }
            // An exponent (`8.192e3`) right after a digit and before a digit or a signed digit.
            if scalars[index] == "e" || scalars[index] == "E", index > 0, TextScan.isDigit(scalars[index - 1]) || scalars[index - 1] == ".",
               index + 1 < scalars.count, TextScan.isDigit(scalars[index + 1]) || "+-".unicodeScalars.contains(scalars[index + 1]) {
                index += 1
                continue
            }
            guard TextScan.isDigit(scalars[index]) || ".+-*/%^() ".unicodeScalars.contains(scalars[index]) else { return false }
            index += 1
        }
        return true
    }

    static let groupSeparators: [Unicode.Scalar] = [",", "_", " ", "'", "\u{2009}", "\u{202F}", "\u{00A0}"]

    /// Removes the separators of digit groups: `1,024`, `38 400`, `2_359_296`, `1 000 000` (thin spaces too).
    static func ungroup(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: groupSeparators.contains) else { return text }
        var index = 0
        if index < scalars.count, scalars[index] == "-" { index += 1 }
        var lead = 0
        while index < scalars.count, TextScan.isDigit(scalars[index]) { index += 1; lead += 1 }
        guard (1...3).contains(lead) else { return text }
        var groups = 0
        while index + 3 < scalars.count, groupSeparators.contains(scalars[index]),
              scalars[(index + 1)...(index + 3)].allSatisfy(TextScan.isDigit) {
            index += 4
            groups += 1
            if index < scalars.count, TextScan.isDigit(scalars[index]) { return text }
        }
        guard groups > 0 else { return text }
        if index < scalars.count {
            guard scalars[index] == ".", index + 1 < scalars.count, scalars[(index + 1)...].allSatisfy(TextScan.isDigit) else { return text }
        }
        return TextScan.string(scalars.filter { !groupSeparators.contains($0) })
    }

    /// How many significant figures a written number has: `1.05` has 3, `56.7` has 3, `2` has 1.
    static func significantFigures(_ text: String) -> Int {
        let digits = text.filter { $0.isNumber }.drop { $0 == "0" }
        return max(digits.count, 1)
    }

    static let shapeHelp = "Type a shape such as [11, 64], (11, 64) or 11x64."

    /// Reads a shape: `[11, 64]`, `(11, 64)`, `11x64`, `11 × 64`, `11,64`, `11 by 64`.
    public static func shape(_ input: String) -> Reading {
        var text = stripName(clean(input))
        guard !text.isEmpty else { return .unreadable("Nothing to grade. " + shapeHelp) }
        let pairs: [(Character, Character)] = [("[", "]"), ("(", ")"), ("{", "}"), ("<", ">")]
        for (open, close) in pairs where text.first == open && text.last == close {
            text = TextScan.trimmed(String(text.dropFirst().dropLast()))
            break
        }
        let parts = dimensionParts(text).map { TextScan.trimmed($0) }
        guard !parts.isEmpty, !parts.contains(where: { $0.isEmpty }) else { return .unreadable("`\(TextScan.trimmed(input))` is not a shape. " + shapeHelp) }
        var dims: [Int] = []
        for part in parts {
            guard case .number(let value) = number(part) else {
                return .unreadable("`\(part)` is not a dimension. " + shapeHelp)
            }
            guard value >= 0 else {
                return .unreadable("Dimensions cannot be negative; `\(part)` is. " + shapeHelp)
            }
            guard value.rounded() == value else {
                return .unreadable("Dimensions are whole numbers; `\(part)` is not. " + shapeHelp)
            }
            guard value <= Double(Int32.max) else {
                return .unreadable("Dimensions are at most \(Int32.max); `\(part)` is larger. " + shapeHelp)
            }
            dims.append(Int(value))
        }
        return .shape(dims)
    }

    /// A shape's text split at `,`, `;`, `x`, `×`, the word `by` (with any space around) or a run of space.
    static func dimensionParts(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        func isSeparator(at position: Int) -> Int? {
            guard position < scalars.count else { return nil }
            let c = scalars[position]
            if c == "," || c == ";" || c == "x" || c == "X" || c == "×" { return 1 }
            if c == "b", TextScan.hasWord(scalars, at: position, "by", ignoringCase: false),
               position == 0 || !TextScan.isWordScalar(scalars[position - 1]),
               position + 2 >= scalars.count || !TextScan.isWordScalar(scalars[position + 2]) { return 2 }
            return nil
        }
        while index < scalars.count {
            var afterSpace = index
            while afterSpace < scalars.count, TextScan.isSpace(scalars[afterSpace]) { afterSpace += 1 }
            if let length = isSeparator(at: afterSpace) {
                var end = afterSpace + length
                while end < scalars.count, TextScan.isSpace(scalars[end]) { end += 1 }
                parts.append(String(current))
                current = String.UnicodeScalarView()
                index = end
            } else if afterSpace > index {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                index = afterSpace
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        parts.append(String(current))
        return parts
    }

    /// Reads one option: by letter (`b`, `B`, `b)`, `(b)`, `option b`), by its whole text, by `yes` or
    /// `no` when exactly one option begins so, or by any word or phrase found in exactly one option
    /// (`MQA`, `multi-query`), case and punctuation ignored.
    public static func choice(_ input: String, options: [String]) -> Reading {
        let help = "Answer with a letter from a to \(KeyOption.letter(max(options.count - 1, 0))), or with the option's text."
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

    static let letterPunctuation: [Unicode.Scalar] = ["(", ")", "[", "]", ".", ":", " "]

    /// Finds the one option `text` names: letter, `option b`, whole text, yes/no, or a phrase in one option only.
    static func option(_ text: String, options: [String]) -> OptionMatch {
        var text = text
        let scalars = Array(text.unicodeScalars)
        for word in ["option", "answer", "choice"] where TextScan.hasWord(scalars, at: 0, word) {
            var end = word.unicodeScalars.count
            guard end < scalars.count, TextScan.isSpace(scalars[end]) else { continue }
            while end < scalars.count, TextScan.isSpace(scalars[end]) { end += 1 }
            text = TextScan.string(scalars[end...])
            break
        }
        if let index = letterIndex(text) {
            return index < options.count ? .found(index) : .noSuchLetter(TextScan.trimmed(text, where: letterPunctuation.contains))
        }
        let key = textKey(text)
        guard !key.isEmpty else { return .none }
        if let index = options.firstIndex(where: { textKey($0) == key }) { return .found(index) }
        let words = wordsOf(text)
        if words == ["yes"] || words == ["no"] {
            let starting = options.indices.filter { wordsOf(options[$0]).first == words[0] }
            if starting.count == 1 { return .found(starting[0]) }
        }
        let containing = options.indices.filter { contains(wordsOf(options[$0]), words) }
        switch containing.count {
        case 1: return .found(containing[0])
        case 0: return .none
        default: return .ambiguous(containing)
        }
    }

    /// The message for a phrase that occurs in several options.
    static func ambiguity(_ text: String, indices: [Int], options: [String]) -> String {
        let listed = indices.map { "\(KeyOption.letter($0))) \(options[$0])" }.joined(separator: "; ")
        return "`\(text)` occurs in more than one option: \(listed). Answer with the letter, or a phrase only one of them has."
    }

    /// Lower-case words of `text`, without punctuation or accents: `Multi-query attention` is [multi, query, attention].
    static func wordsOf(_ text: String) -> [String] {
        TextScan.folded(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
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
        let joined = TextScan.replaceWords(text.lowercased(), ["and"], with: ",")
        let symbolsJoined = TextScan.mapScalars(joined) { $0 == "&" || $0 == "+" ? "," : nil }
        let tokens = TextScan.replaceWords(symbolsJoined, ["option", "options", "answer", "answers"], with: " ")
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "/" })
            .map { String($0) }
        var picked = Set<Int>()
        var letters = !tokens.isEmpty
        for token in tokens {
            if let index = letterIndex(token) {
                picked.insert(index)
            } else if token.count > 1, token.count <= options.count, token.allSatisfy({ $0.isLetter && $0.isASCII }),
                      !options.contains(where: { wordsOf($0).contains(token) }) {
                token.compactMap { letterIndex(String($0)) }.forEach { picked.insert($0) }
            } else {
                letters = false
                break
            }
        }
        if letters, !picked.isEmpty {
            if let bad = picked.filter({ $0 >= options.count }).min() {
                return .unreadable("There is no option \(KeyOption.letter(bad)). " + help)
            }
            return .choices(picked)
        }
        let key = textKey(text)
        if let index = options.firstIndex(where: { textKey($0) == key }) { return .choices([index]) }
        let pieces = splitOnAnd(text)
            .split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "/" })
            .map { TextScan.trimmed($0) }.filter { !$0.isEmpty }
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

    /// `text` with ` and ` (any case, space on both sides), `&` and `+` as commas.
    static func splitOnAnd(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let c = scalars[index]
            if c == "&" || c == "+" {
                result.append(",")
                index += 1
                continue
            }
            if TextScan.isSpace(c) {
                var word = index
                while word < scalars.count, TextScan.isSpace(scalars[word]) { word += 1 }
                if TextScan.hasWord(scalars, at: word, "and"), word + 3 < scalars.count, TextScan.isSpace(scalars[word + 3]) {
                    var end = word + 3
                    while end < scalars.count, TextScan.isSpace(scalars[end]) { end += 1 }
                    result.append(",")
                    index = end
                    continue
                }
            }
            result.append(c)
            index += 1
        }
        return String(result)
    }

    /// Reads a phrase; only an empty answer is unreadable.
    public static func text(_ input: String) -> Reading {
        let key = textKey(input)
        guard !key.isEmpty else { return .unreadable("Nothing to grade. Type your answer in a few words.") }
        return .text(key)
    }

    /// A phrase reduced to what matters: lower case, no accents, no leading article, no spaces or punctuation.
    public static func textKey(_ text: String) -> String {
        var folded = TextScan.trimmed(TextScan.folded(text))
        for article in ["the ", "a ", "an "] where folded.hasPrefix(article) {
            folded.removeFirst(article.count)
            break
        }
        return TextScan.string(folded.unicodeScalars.filter(TextScan.isAlphanumeric))
    }

    private static func letterIndex(_ text: String) -> Int? {
        let trimmed = TextScan.trimmed(text, where: letterPunctuation.contains).lowercased()
        guard trimmed.unicodeScalars.count == 1, let scalar = trimmed.unicodeScalars.first, scalar.value >= 97, scalar.value <= 122 else { return nil }
        return Int(scalar.value) - 97
    }

    private static func clean(_ input: String) -> String {
        let replaced = TextScan.mapScalars(input) { scalar in
            switch scalar {
            case "−": "-"
            case "÷": "/"
            case "·", "⋅": "*"
            default: nil
            }
        }
        return TextScan.trimmed(TextScan.trimmed(replaced), where: { $0 == "`" })
    }

    /// Drops a leading `name =` or `name:` (`d_k = 64`, `shape: [11, 64]`).
    private static func stripName(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { $0 == "=" || $0 == ":" }), let first = scalars.first,
              TextScan.isASCIILetter(first) || first == "_" else { return text }
        var index = 1
        while index < scalars.count {
            let c = scalars[index]
            guard TextScan.isASCIILetter(c) || TextScan.isDigit(c) || c == "_" || c == " " || c == "." || c == "(" || c == ")" else { break }
            index += 1
        }
        while index < scalars.count, TextScan.isSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] == "=" || scalars[index] == ":" else { return text }
        index += 1
        while index < scalars.count, TextScan.isSpace(scalars[index]) { index += 1 }
        return TextScan.trimmed(TextScan.string(scalars[index...]))
    }
}
