import Testing
import Support

@Suite("EditDistance") struct EditDistanceTests {
    @Test("counts insertions, deletions and substitutions in characters")
    func levenshteinCases() {
        #expect(EditDistance.between("multihead", "multi-head") == 1)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("same", "same") == 0)
        #expect(EditDistance.between("café", "cafe") == 1)
    }

    @Test("a swap of neighbouring letters is one edit")
    func swapIsOneEdit() {
        #expect(EditDistance.between("heads", "haeds") == 1)
    }

    @Test("only the first 64 characters take part, so huge inputs stay cheap")
    func boundedInput() {
        let long = String(repeating: "a", count: 100_000)
        #expect(EditDistance.between(long, "a") == 63)
    }
}
