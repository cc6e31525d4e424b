import Testing
@testable import ExpressionLanguage

@Suite("Suggestion") struct SuggestionTests {
    @Test("a close candidate is suggested, a distant one is not")
    func closest() {
        #expect(Suggestion.closest(to: "d_modle", among: ["d_model", "heads"]) == "d_model")
        #expect(Suggestion.closest(to: "banana", among: ["d_model", "heads"]) == nil)
    }
}
