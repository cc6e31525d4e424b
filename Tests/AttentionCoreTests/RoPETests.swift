import Foundation
import Testing
@testable import AttentionCore

@Suite("RoPE")
struct RoPETests {
    @Test("position 0 leaves a vector unchanged")
    func positionZero() {
        var data: [Float] = [1, 2, 3, 4]
        data.withUnsafeMutableBufferPointer { RoPE.apply($0.baseAddress!, rows: 1, heads: 1, width: 4, firstPosition: 0) }
        #expect(data == [1, 2, 3, 4])
    }

    @Test("position 1 rotates the first pair by 1 radian and the second by 1/100 radian (d_r = 4)")
    func rotation() {
        var data: [Float] = [1, 0, 1, 0]
        data.withUnsafeMutableBufferPointer { RoPE.apply($0.baseAddress!, rows: 1, heads: 1, width: 4, firstPosition: 1) }
        // θ₀ = 10000⁰ = 1, θ₁ = 10000^(−2/4) = 0.01
        #expect(close(data, [0.5403023, 0.84147098, 0.99995, 0.00999983], 1e-6))
    }

    @Test("rotation keeps every pair's length")
    func keepsNorm() {
        var data: [Float] = [3, 4, 1, 1, -2, 5, 0.5, 0.5]
        data.withUnsafeMutableBufferPointer { RoPE.apply($0.baseAddress!, rows: 2, heads: 1, width: 4, firstPosition: 7) }
        #expect(close(data[0] * data[0] + data[1] * data[1], 25, 1e-4))
        #expect(close(data[4] * data[4] + data[5] * data[5], 29, 1e-4))
    }
}

@Test("RotaryEmbedding.rotated turns pair 0 of a vector by its position in radians and keeps its length")
func rotaryEmbeddingOneVector() {
    let rotated = RotaryEmbedding.rotated([1, 0, 0, 1], position: 1)
    #expect(abs(rotated[0] - Float(cos(1.0))) < 1e-6 && abs(rotated[1] - Float(sin(1.0))) < 1e-6)
    let length = rotated.map { $0 * $0 }.reduce(0, +)
    #expect(abs(length - 2) < 1e-5)
    #expect(RotaryEmbedding.rotated([0.5, -0.25], position: 0) == [0.5, -0.25])
}
