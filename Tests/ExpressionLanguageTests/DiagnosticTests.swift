import Testing
@testable import ExpressionLanguage

@Suite("Diagnostic") struct DiagnosticTests {
    @Test("a diagnostic prints as path:line:col: severity: message")
    func format() {
        let location = SourceLocation(path: "lessons/a.md", line: 12, column: 5)
        #expect(Diagnostic(at: location, "claim is false").description == "lessons/a.md:12:5: error: claim is false")
        #expect(Diagnostic(.warning, at: location, "odd").description == "lessons/a.md:12:5: warning: odd")
    }
}
