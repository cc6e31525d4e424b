import Reports
import Testing

@Test("JSON text writes DEL and C1 controls (U+009B, a one-character CSI) as \\u escapes")
func jsonEscapesC1() throws {
    #expect(try JSONText.encode(["k": "a\u{9B}b\u{7F}c\u{85}"], pretty: false) == #"{"k":"a\u009bb\u007fc\u0085"}"#)
    #expect(try JSONText.encode(["k": "é ✓"], pretty: false) == #"{"k":"é ✓"}"#)
}
