import Testing
@testable import Grading

@Suite("Numerals")
struct NumeralsTests {
    @Test("parse reads what Double(_:) reads, to the bit, for numbers a learner types")
    func parseMatchesDouble() {
        let exact = ["64", "-3", "0.125", "1.", ".5", "1e3", "1E-3", "2.5e+2", "123456789012345", "0.1", "0.3", "3.14159", "1e22", "1e-22",
                     "+7", "-0", "0.000001", "38400", "2359296"]
        for text in exact { #expect(Numerals.parse(text) == Double(text), "\(text)") }
        for text in ["9007199254740993", "12345678901234567890", "1e308", "1.7e-300", "123456.789e30"] {
            let expected = Double(text) ?? 0, parsed = Numerals.parse(text) ?? 0
            #expect(abs(parsed - expected) <= abs(expected) * 1e-14, "\(text): \(parsed) against \(expected)")
        }
        for bad in ["", "-", ".", "1.2.3", "1e", "e5", "0x10", "inf", "nan", " 5", "5 ", "1_000"] {
            #expect(Numerals.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("decimal writes numbers as String(format: \"%.6f\") did, trailing zeros dropped")
    func decimalMatchesPrintf() {
        let values: [Double] = [0.125, 1.5, 2_359_296, 4096, 16384, -524_288, 1 / 3, 2 / 3, 0.1 + 0.2, 1e-7, -1e-7, 123.4567891, 0.0000005, 0.9999996, 1e15, 3e18]
        for value in values {
            var expected = String(format: "%.6f", value)
            while expected.hasSuffix("0") { expected.removeLast() }
            if expected.hasSuffix(".") { expected.removeLast() }
            if value.rounded() == value, abs(value) < 1e15 { expected = value.magnitude >= 10_000 ? Numerals.grouped(Int(value)) : String(Int(value)) }
            #expect(Numerals.decimal(value) == expected, "\(value)")
        }
    }
}
