import Testing
@testable import MarkdownTerminal

@Test("integers of five digits or more get thousands separators; shorter ones do not",
      arguments: [(768, "768"), (4096, "4096"), (-4096, "-4096"), (16_384, "16,384"), (524_288, "524,288"), (-2_359_296, "-2,359,296"), (0, "0")])
func groupedIntegers(_ number: Int, _ text: String) {
    #expect(NumberText.grouped(number) == text)
}

@Test("decimals lose trailing zeros; whole decimals read as integers do",
      arguments: [(0.125, "0.125"), (64.0, "64"), (1_050_624.0, "1,050,624"), (1.5, "1.5"), (1.0 / 3.0, "0.333333")])
func decimals(_ number: Double, _ text: String) {
    #expect(NumberText.decimal(number) == text)
}
