import Foundation

/// A vocabulary token compared by its exact UTF-8 bytes.
///
/// Swift's `String` equality uses canonical equivalence; BERT vocabularies are compared byte for
/// byte, so `é` and `e` + U+0301 must stay different keys.
struct VocabularyKey: Hashable {
    let text: String

    static func == (lhs: VocabularyKey, rhs: VocabularyKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        let hashed: Bool? = text.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
            return true
        }
        if hashed == nil {
            Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}

/// A problem with a vocabulary file.
public struct VocabularyError: Error, Equatable, CustomStringConvertible {
    /// The file being read.
    public var path: String
    /// What is wrong.
    public var message: String

    /// `path: error: message`.
    public var description: String { "\(path): error: \(message)" }
}

/// One token of a tokenized text: its vocabulary id and its text (such as `##s`).
public struct WordPieceToken: Equatable, Sendable {
    /// The token's id in the vocabulary.
    public var id: Int
    /// The token's text as the vocabulary spells it.
    public var text: String

    /// A token with this id and text.
    public init(id: Int, text: String) {
        self.id = id
        self.text = text
    }
}

/// BERT's uncased tokenizer: `BertNormalizer` + `BertPreTokenizer` + WordPiece, as the Hugging Face
/// `tokenizers` library runs them for all-MiniLM-L6-v2 and bert-base-uncased.
///
/// 1. Clean: drop NUL, U+FFFD and control characters (categories Cc, Cf, Cs, Co, Cn other than
///    tab, newline, return); turn every other White_Space character into a space.
/// 2. Put spaces around CJK ideographs.
/// 3. Strip accents: NFD, then drop non-spacing marks (Mn).
/// 4. Lower-case each scalar with its full Unicode mapping.
/// 5. Split on whitespace; isolate every punctuation character (Unicode P* or ASCII punctuation,
///    which includes symbols such as `$`, `+`, `^`).
/// 6. WordPiece each word greedily, longest match first, continuation pieces prefixed `##`; a word
///    longer than 100 scalars, or one that cannot be covered, becomes `[UNK]`.
/// 7. Wrap in `[CLS]` … `[SEP]`.
public struct WordPieceTokenizer: Sendable {
    /// Token texts by id.
    public let vocabulary: [String]
    private let ids: [VocabularyKey: Int]
    /// Whether to lower-case and strip accents (true for uncased models).
    public let lowercase: Bool
    /// Words longer than this many Unicode scalars become `[UNK]`.
    public let maxCharactersPerWord: Int
    /// Id of `[UNK]`.
    public let unknownID: Int
    /// Id of `[CLS]`.
    public let classifierID: Int
    /// Id of `[SEP]`.
    public let separatorID: Int

    /// A tokenizer over `vocabulary` (index = id), which must hold `[UNK]`, `[CLS]` and `[SEP]`.
    public init(vocabulary: [String], lowercase: Bool = true, maxCharactersPerWord: Int = 100) throws {
        var ids: [VocabularyKey: Int] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() { ids[VocabularyKey(text: token)] = id }
        func special(_ name: String) throws -> Int {
            guard let id = ids[VocabularyKey(text: name)] else {
                throw VocabularyError(path: "<vocabulary>", message: "the vocabulary has no \(name) token.")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.ids = ids
        self.lowercase = lowercase
        self.maxCharactersPerWord = maxCharactersPerWord
        unknownID = try special("[UNK]")
        classifierID = try special("[CLS]")
        separatorID = try special("[SEP]")
    }

    /// Reads `vocab.txt`: one token a line, the line number (from 0) being its id; trailing
    /// whitespace (and a final newline) is dropped; every line must be valid UTF-8.
    public init(vocabularyFile url: URL, lowercase: Bool = true) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VocabularyError(path: url.path, message: "cannot read the vocabulary (\(error.localizedDescription)).")
        }
        var lines: [String] = []
        lines.reserveCapacity(data.count / 6)
        var badLine: Int?
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var index = 0
            while start < bytes.count {
                var newline = start
                while newline < bytes.count && bytes[newline] != 0x0A { newline += 1 }
                var end = newline
                while end > start, bytes[end - 1] == 0x20 || (0x09...0x0D).contains(bytes[end - 1]) { end -= 1 }
                guard var line = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) else {
                    badLine = index + 1
                    return
                }
                if let last = line.unicodeScalars.last, last.value >= 0x80, last.properties.isWhitespace {
                    var scalars = Substring(line).unicodeScalars
                    while let final = scalars.last, final.properties.isWhitespace { scalars.removeLast() }
                    line = String(scalars)
                }
                lines.append(line)
                index += 1
                start = newline + 1
            }
        }
        if let badLine {
            throw VocabularyError(path: url.path, message: "line \(badLine) is not valid UTF-8.")
        }
        do {
            try self.init(vocabulary: lines, lowercase: lowercase)
        } catch let error as VocabularyError {
            throw VocabularyError(path: url.path, message: error.message)
        }
    }

    /// The id of `token`, if the vocabulary has it.
    public func id(of token: String) -> Int? { ids[VocabularyKey(text: token)] }

    /// `text` as tokens, wrapped in `[CLS]` and `[SEP]`.
    public func encode(_ text: String) -> [WordPieceToken] {
        var tokens = [WordPieceToken(id: classifierID, text: vocabulary[classifierID])]
        for word in words(text) {
            for id in wordPieces(word) { tokens.append(WordPieceToken(id: id, text: vocabulary[id])) }
        }
        tokens.append(WordPieceToken(id: separatorID, text: vocabulary[separatorID]))
        return tokens
    }

    /// The normalized text (steps 1–4), before splitting into words.
    public func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        guard lowercase else { return String(cleaned) }
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var result = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The words of `text` after normalizing and splitting (step 5), as scalar arrays.
    func words(_ text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in normalize(text).unicodeScalars {
            if Self.isWhitespace(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The pre-tokenized words of `text` as strings (for display and tests).
    public func splitWords(_ text: String) -> [String] {
        words(text).map { String(String.UnicodeScalarView($0)) }
    }

    /// Greedy longest-match-first WordPiece of one word (step 6).
    func wordPieces(_ word: [Unicode.Scalar]) -> [Int] {
        if word.count > maxCharactersPerWord { return [unknownID] }
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                var candidate = String.UnicodeScalarView()
                if start > 0 { candidate.append(contentsOf: "##".unicodeScalars) }
                candidate.append(contentsOf: word[start..<end])
                if let id = ids[VocabularyKey(text: String(candidate))] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            pieces.append(id)
            start = end
        }
        return pieces
    }

    /// Control characters removed by cleaning (tab, newline and return count as whitespace).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// Whitespace as Rust's `char::is_whitespace` (the White_Space property).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Punctuation that BERT isolates: ASCII punctuation and symbols, and Unicode P* categories.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK Unified Ideographs and their extensions and compatibility blocks, with the ranges the
    /// `tokenizers` library uses (it starts Extension E at U+2B920, not U+2B820).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
