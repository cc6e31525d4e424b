import Testing
import Support

@Suite("closest(_:in:)") struct ClosestTests {
    @Test("a close candidate is suggested, a distant one is not")
    func typo() {
        #expect(closest("d_modle", in: ["d_model", "heads"]) == "d_model")
        #expect(closest("heds", in: ["heads"]) == "heads")
        #expect(closest("m", in: ["n"]) == "n")
        #expect(closest("banana", in: ["d_model", "heads"]) == nil)
        #expect(closest("anything", in: []) == nil)
        #expect(closest("", in: ["a"]) == nil)
    }

    @Test("case does not count, swapped neighbours count once")
    func caseAndSwaps() {
        #expect(closest("mutli-head", in: ["multi-head", "positional-encoding"]) == "multi-head")
        #expect(closest("Positional-Encodings", in: ["multi-head", "positional-encoding"]) == "positional-encoding")
        #expect(closest("explian", in: ["prompt", "explain"]) == "explain")
    }

    @Test("a shortened or lengthened name of three or more characters finds the whole name")
    func prefixes() {
        #expect(closest("multi", in: ["multi-head", "positional-encoding"]) == "multi-head")
        #expect(closest("multi-head-attention", in: ["attention", "multi-head"]) == "multi-head")
        #expect(closest("zebra", in: ["multi-head", "positional-encoding"]) == nil)
        #expect(closest("mu", in: ["multi-head"]) == nil)
    }

    @Test("among equally close candidates the nearer by edit distance wins, then the first")
    func ties() {
        #expect(closest("flo", in: ["flops", "flow"]) == "flow")
        #expect(closest("llama27", in: ["llama27b", "llama270b"]) == "llama27b")
        #expect(closest("llama27", in: ["llama270b", "llama27b"]) == "llama27b")
        #expect(closest("abcd", in: ["abcx", "abcy"]) == "abcx")
    }

    @Test("a key function decides what compares")
    func keys() {
        let digitsAndLetters: (String) -> String = { String($0.lowercased().filter { $0.isLetter || $0.isNumber }) }
        #expect(closest("Llama 2 70B", in: ["llama-2-70b", "falcon-40b"], key: digitsAndLetters) == "llama-2-70b")
        #expect(closest("--", in: ["llama-2-70b"], key: digitsAndLetters) == nil)
    }
}
