import Testing
@testable import LessonEngine

@Suite("Suggestion") struct SuggestionTests {
    @Test("edit distance counts insertions, deletions and substitutions")
    func distance() {
        #expect(Suggestion.editDistance("heads", "heds") == 1)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("hedas", "heads") == 1)
    }

    @Test("a close candidate is suggested, a distant one is not")
    func closest() {
        #expect(Suggestion.closest(to: "d_modle", among: ["d_model", "heads"]) == "d_model")
        #expect(Suggestion.closest(to: "banana", among: ["d_model", "heads"]) == nil)
    }
}
