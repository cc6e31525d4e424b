import Foundation
import Testing
@testable import AttentionCore

private let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]

private func tokenizer(_ words: [String], maxCharacters: Int = 100) throws -> WordPieceTokenizer {
    try WordPieceTokenizer(vocabulary: specials + words, maxCharactersPerWord: maxCharacters)
}

private func texts(_ tokenizer: WordPieceTokenizer, _ text: String) -> [String] {
    tokenizer.encode(text).map(\.text)
}

@Test("every sentence of the committed set tokenizes exactly as the `tokenizers` reference did",
      .enabled(if: RealModel.folder != nil, Comment(rawValue: RealModel.skipNotice)))
func matchesReferenceTokenizer() throws {
    let folder = try #require(RealModel.folder)
    let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
    let url = try #require(Bundle.module.url(forResource: "tokenizer_cases", withExtension: "json", subdirectory: "Fixtures/encoder"))
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    let cases = try #require(object?["cases"] as? [[String: Any]])
    #expect(cases.count >= 20)
    for entry in cases {
        let text = try #require(entry["text"] as? String)
        let ids = try #require(entry["ids"] as? [Int])
        let tokens = tokenizer.encode(text)
        #expect(tokens.map(\.id) == ids, "\(text.debugDescription): got \(tokens.map(\.text)), expected \(entry["tokens"] ?? "")")
    }
}

@Test("text is lower-cased and stripped of accents, including decomposed ones")
func lowercasesAndStripsAccents() throws {
    let t = try tokenizer(["cafe", "naive", "istanbul"])
    #expect(t.normalize("Café NAÏVE") == "cafe naive")
    #expect(t.normalize("cafe\u{301}") == "cafe")
    #expect(texts(t, "İstanbul Café") == ["[CLS]", "istanbul", "cafe", "[SEP]"])
}

@Test("punctuation and ASCII symbols are split off as their own tokens")
func splitsPunctuation() throws {
    let t = try tokenizer(["it", "'", "s", "$", "5", "^", "—", "!", "«", "»", "x"])
    #expect(t.splitWords("it's $5^x!") == ["it", "'", "s", "$", "5", "^", "x", "!"])
    #expect(t.splitWords("«x»—x") == ["«", "x", "»", "—", "x"])
    #expect(texts(t, "it's") == ["[CLS]", "it", "'", "s", "[SEP]"])
}

@Test("CJK ideographs become words of their own while kana stay joined (voicing marks stripped)")
func isolatesCJK() {
    let t = try? tokenizer([])
    #expect(t?.splitWords("我爱NLP") == ["我", "爱", "nlp"])
    #expect(t?.splitWords("ひらがな") == ["ひらかな"])
}

@Test("control characters vanish and every kind of whitespace separates words")
func cleansControlsAndWhitespace() throws {
    let t = try tokenizer([])
    #expect(t.splitWords("a\u{7}b\u{200B}c\u{FFFD}d\u{0}e") == ["abcde"])
    #expect(t.splitWords("a\tb\nc\u{2028}d\u{00A0}e   f") == ["a", "b", "c", "d", "e", "f"])
}

@Test("words are split greedily into the longest pieces, continuations marked ##")
func splitsIntoWordPieces() throws {
    let t = try tokenizer(["un", "una", "##aff", "##able", "##a", "##ff", "##ffable"])
    #expect(texts(t, "unaffable") == ["[CLS]", "una", "##ffable", "[SEP]"])
    let u = try tokenizer(["un", "##aff", "##able"])
    #expect(texts(u, "unaffable") == ["[CLS]", "un", "##aff", "##able", "[SEP]"])
}

@Test("a word that cannot be covered, or that is longer than the limit, becomes one [UNK]")
func usesUnknownToken() throws {
    let t = try tokenizer(["a", "##a", "b"], maxCharacters: 5)
    #expect(texts(t, "aaab") == ["[CLS]", "[UNK]", "[SEP]"])
    #expect(texts(t, "aaaaa b") == ["[CLS]", "a", "##a", "##a", "##a", "##a", "b", "[SEP]"])
    #expect(texts(t, "aaaaaa b") == ["[CLS]", "[UNK]", "b", "[SEP]"])
    #expect(t.encode("b ☃").map(\.id) == [2, 6, 1, 3])
}

@Test("empty and blank text gives just [CLS] [SEP]")
func encodesEmptyText() throws {
    let t = try tokenizer([])
    #expect(texts(t, "") == ["[CLS]", "[SEP]"])
    #expect(texts(t, " \n\t ") == ["[CLS]", "[SEP]"])
}

@Test("vocabulary look-ups compare bytes, not canonical equivalence")
func vocabularyIsByteExact() throws {
    let t = try tokenizer(["e\u{301}"])
    #expect(t.id(of: "e\u{301}") == 4)
    #expect(t.id(of: "\u{E9}") == nil)
}

@Test("vocab.txt ids are line numbers, trailing spaces dropped, and special tokens are required")
func readsVocabularyFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-vocab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appendingPathComponent("vocab.txt")
    try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello \r\nworld\n".utf8).write(to: good)
    let t = try WordPieceTokenizer(vocabularyFile: good)
    #expect(t.encode("Hello world").map(\.id) == [2, 4, 5, 3])
    let bad = folder.appendingPathComponent("bad.txt")
    try Data("[PAD]\nhello\n".utf8).write(to: bad)
    #expect(throws: VocabularyError.self) { try WordPieceTokenizer(vocabularyFile: bad) }
    #expect(throws: VocabularyError.self) { try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("missing.txt")) }
}

@Test("a vocabulary line that is not UTF-8 is refused with its line number")
func refusesInvalidUTF8Vocabulary() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-vocab-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("[PAD]\n[UNK]\n".utf8 + [0xFF, 0xFE, 0x0A] + "[CLS]\n[SEP]\n".utf8).write(to: url)
    do {
        _ = try WordPieceTokenizer(vocabularyFile: url)
        Issue.record("invalid UTF-8 was accepted")
    } catch let error as VocabularyError {
        #expect(error.message == "line 3 is not valid UTF-8.")
    }
}
