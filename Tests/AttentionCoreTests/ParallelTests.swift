import Foundation
import Testing
@testable import AttentionCore

@Suite("Parallel")
struct ParallelTests {
    @Test("a row-split product equals the product computed in one piece")
    func rowSplitMatchesWhole() throws {
        let a = Tensor.uniform(shape: [301, 160], bound: 1, stream: 1)
        let b = Tensor.uniform(shape: [160, 90], bound: 1, stream: 2)
        let split = try matmul(a, b)
        var whole = [Float](repeating: 0, count: 301 * 90)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                whole.withUnsafeMutableBufferPointer { pc in
                    _ = gemm(.none, .none, m: 301, n: 90, k: 160, pa.baseAddress!, lda: 160, pb.baseAddress!, ldb: 90, pc.baseAddress!, ldc: 90)
                }
            }
        }
        #expect(close(split.storage, whole, 1e-4))
    }

    @Test("pair sums add every unit's results, in parallel or not")
    func pairSums() {
        for parallel in [false, true] {
            let (a, b) = Parallel.pairSum(100, parallel: parallel) { ($0, 2 * $0) }
            #expect(a == 4950 && b == 9900)
        }
    }

    @Test("the parallel attention path (several query blocks per head) matches a naive loop in Double")
    func parallelAttentionMatchesNaive() throws {
        // h = 3 < 2 × workers, so each head is split into query-row blocks run on separate threads
        let config = AttentionConfig(dModel: 24, heads: 3, kvHeads: 1)
        let layer = try MultiHeadAttention(config: config, seed: 5)
        let T = 260, d = 24, h = 3, dk = 8
        let x = Tensor.seededInput(tokens: T, width: d, seed: 5)
        let run = try layer.run(input: x, mask: .causal)
        func project(_ name: String) throws -> [[Double]] {
            let p = try #require(layer.weights[name])
            let n = p.outputs
            return (0..<T).map { t in
                (0..<n).map { o in
                    var sum = Double(p.bias?.storage[o] ?? 0)
                    for i in 0..<p.inputs { sum += Double(x.storage[t * d + i]) * Double(p.weight.storage[i * n + o]) }
                    return sum
                }
            }
        }
        let q = try project("W_Q"), k = try project("W_K"), v = try project("W_V")
        var concat = [[Double]](repeating: [Double](repeating: 0, count: h * dk), count: T)
        for head in 0..<h {
            for t in 0..<T {
                let scores = (0...t).map { s in (0..<dk).reduce(0.0) { $0 + q[t][head * dk + $1] * k[s][$1] } / Double(dk).squareRoot() }
                let top = scores.max() ?? 0
                let e = scores.map { Foundation.exp($0 - top) }
                let total = e.reduce(0, +)
                for c in 0..<dk { concat[t][head * dk + c] = (0...t).reduce(0.0) { $0 + e[$1] / total * v[$1][c] } }
                #expect(abs(Double(run.weights[head, t, t]) - e[t] / total) < 1e-5)
            }
        }
        var worst = 0.0
        for t in 0..<T { for c in 0..<(h * dk) { worst = max(worst, abs(Double(run.concat[t, c]) - concat[t][c])) } }
        #expect(worst < 1e-4)
    }

    @Test("BLAS is single-threaded once the core has run, so the core's own split owns the cores")
    func blasThreads() throws {
        _ = try matmul(matrix([[1]]), matrix([[1]]))
        BLASThreads.configure()
        #expect(BLASThreads.count == 1)
    }
}
