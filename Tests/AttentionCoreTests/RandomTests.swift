import Testing
@testable import AttentionCore

@Suite("Random")
struct RandomTests {
    @Test("SplitMix64 from seed 0 gives the published first outputs")
    func knownValues() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test("the same seed gives the same tensor, a different seed a different one")
    func determinism() {
        let a = Tensor.seededInput(tokens: 5, width: 8, seed: 7)
        let b = Tensor.seededInput(tokens: 5, width: 8, seed: 7)
        let c = Tensor.seededInput(tokens: 5, width: 8, seed: 8)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("a tensor filled in parallel chunks equals the stream drawn one value at a time")
    func parallelFillMatchesSequence() {
        let stream: UInt64 = 12345
        let count = (1 << 20) * 2 + 17
        let t = Tensor.uniform(shape: [count], bound: 1, stream: stream)
        var g = SplitMix64(seed: stream)
        var expected = [Float]()
        for _ in 0..<count { expected.append(Float(g.next() >> 40) * (2 / Float(1 << 24)) - 1) }
        #expect(t.storage == expected)
    }

    @Test("uniform values stay inside ±bound and weights inside ±1/√fan_in")
    func bounds() {
        let w = Tensor.seededWeight(fanIn: 64, fanOut: 32, seed: 1, name: "W_Q")
        #expect(w.storage.allSatisfy { abs($0) <= 0.125 })
        let x = Tensor.seededInput(tokens: 10, width: 100, seed: 1)
        #expect(x.storage.allSatisfy { abs($0) <= Float(3).squareRoot() })
        let mean = x.storage.reduce(0, +) / Float(x.count)
        #expect(abs(mean) < 0.1)
    }

    @Test("named streams of one seed differ from each other")
    func namedStreams() {
        #expect(SplitMix64.stream(0, "W_Q") != SplitMix64.stream(0, "W_K"))
        #expect(SplitMix64.stream(0, "W_Q") == SplitMix64.stream(0, "W_Q"))
    }
}
