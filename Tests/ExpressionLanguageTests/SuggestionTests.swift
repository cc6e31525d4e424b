import Testing
@testable import ExpressionLanguage

@Suite("Suggestion") struct SuggestionTests {
    @Test("an unknown name is followed by the closest candidate, or by the list of candidates")
    func unknown() {
        #expect(Suggestion.unknown("unknown name `d_modle`", "d_modle", among: ["d_model", "heads"])
            == "unknown name `d_modle`; did you mean `d_model`?")
        #expect(Suggestion.unknown("unknown name `banana`", "banana", among: ["heads", "d_model"])
            == "unknown name `banana`; known: d_model, heads.")
        #expect(Suggestion.unknown("unknown name `banana`", "banana", among: ["heads"], listing: false) == "unknown name `banana`.")
    }
}
