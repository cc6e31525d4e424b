import LiveValues
import ExpressionLanguage
/// A small pseudo-random generator (SplitMix64): the same seed gives the same numbers on every machine.
///
/// Swift's own generators are not seedable and may change between releases, so variants and option
/// orders are drawn with this one.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one purpose (`label`) under a session seed, independent of other purposes.
    public init(seed: UInt64, label: String) {
        state = seed ^ StableHash.value(label)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<upperBound`, without modulo bias and independent of the standard library's algorithms.
    public mutating func below(_ upperBound: Int) -> Int {
        precondition(upperBound > 0)
        let bound = UInt64(upperBound)
        let threshold = (0 &- bound) % bound
        while true {
            let value = next()
            if value >= threshold { return Int(value % bound) }
        }
    }

    /// The elements of `items` in an order fixed by this generator (Fisher–Yates).
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = below(index + 1)
            result.swapAt(index, other)
        }
        return result
    }
}
