import Testing
@testable import ExpressionLanguage

@Suite("Value") struct ValueTests {
    @Test("shapes print as bracketed integer lists")
    func shapePrinting() {
        #expect(Value.shape([11, 64]).description == "[11, 64]")
    }

    @Test("integers print without a decimal point and decimals are trimmed", arguments: [
        (Value.integer(768), "768"), (.decimal(64), "64"), (.decimal(0.125), "0.125"), (.decimal(1.0 / 3.0), "0.333333"),
        (.decimal(0.1 + 0.2), "0.3"), (.decimal(-2.5), "-2.5"), (.decimal(1e20), "1e20"), (.decimal(0.00001234), "1.234e-5"),
        (.decimal(123456.789), "123457"),
    ])
    func numberPrinting(value: Value, text: String) {
        #expect(value.description == text)
    }

    @Test("lists quote their strings")
    func listPrinting() {
        #expect(Value.list([.string("bf16"), .integer(2), .boolean(true)]).description == "[\"bf16\", 2, true]")
    }

    @Test("a shape equals a list of the same integers, and not of others")
    func shapeEqualsList() {
        #expect(Value.shape([11, 64]) == .list([.integer(11), .integer(64)]))
        #expect(Value.list([.integer(11), .integer(64)]) == .shape([11, 64]))
        #expect(Value.shape([11, 64]) != .list([.integer(11)]))
        #expect(Value.shape([11, 64]) != .list([.integer(11), .integer(65)]))
    }

    @Test("integers and decimals with the same value are equal")
    func numericEquality() {
        #expect(Value.integer(2) == .decimal(2.0))
        #expect(Value.integer(2) != .decimal(2.5))
        #expect(Value.integer(1) != .boolean(true))
    }

    @Test("whole decimals convert to integers, fractional ones do not")
    func integerValue() {
        #expect(Value.decimal(64).integerValue == 64)
        #expect(Value.decimal(6.4).integerValue == nil)
        #expect(Value.decimal(.infinity).integerValue == nil)
    }
}
