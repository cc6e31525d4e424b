import Testing
import LiveValues
import ExpressionLanguage
@testable import Exercises

@Test("the generator follows the SplitMix64 reference sequence, so every machine draws the same")
func splitMixReference() {
    var generator = SeededGenerator(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
}

@Test("the same seed gives the same numbers; another seed gives others")
func sameSeedSameNumbers() {
    var a = SeededGenerator(seed: 42, label: "x"), b = SeededGenerator(seed: 42, label: "x"), c = SeededGenerator(seed: 43, label: "x")
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    #expect(first != (0..<5).map { _ in c.next() })
}

@Test("below stays in range and shuffled is a permutation")
func belowAndShuffle() {
    var generator = SeededGenerator(seed: 7)
    let draws = (0..<1000).map { _ in generator.below(6) }
    #expect(draws.allSatisfy { (0..<6).contains($0) })
    #expect(Set(draws).count == 6)
    let items = Array(0..<20)
    let shuffled = generator.shuffled(items)
    #expect(shuffled.sorted() == items)
    #expect(shuffled != items)
}
