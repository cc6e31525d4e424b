import Foundation
import Testing
@testable import AttentionCore

@Suite("Softmax")
struct SoftmaxTests {
    @Test("softmax of [0, ln 3] is [1/4, 3/4]")
    func smallByHand() {
        let s = softmax(vector([0, Float(log(3.0))]))
        #expect(close(s.storage, [0.25, 0.75], 1e-6))
    }

    @Test("huge scores do not overflow: the row is shifted by its max first")
    func stableForHugeValues() {
        let s = softmax(matrix([[1000, 1001, 1002], [-1000, -1001, -1002]]))
        #expect(s.storage.allSatisfy { $0.isFinite })
        // softmax([0, 1, 2]) = [0.09003057, 0.24472847, 0.66524096]
        #expect(close(Array(s.storage[0..<3]), [0.09003057, 0.24472847, 0.66524096], 1e-6))
        #expect(close(Array(s.storage[3..<6]), [0.66524096, 0.24472847, 0.09003057], 1e-6))
    }

    @Test("every row of a long softmax sums to 1, vector and tail parts alike")
    func rowsSumToOne() {
        let t = Tensor.uniform(shape: [7, 37], bound: 10, stream: 3)
        let s = softmax(t)
        for r in 0..<7 {
            let sum = s.storage[r * 37 ..< (r + 1) * 37].reduce(0, +)
            #expect(close(sum, 1, 1e-5))
        }
    }

    @Test("masked entries (-inf) get weight 0, and a fully masked row is all zeros, never NaN")
    func maskedRows() {
        let inf = -Float.infinity
        let s = softmax(matrix([[0, inf, 0, inf], [inf, inf, inf, inf]]))
        #expect(s.storage == [0.5, 0, 0.5, 0, 0, 0, 0, 0])
    }

    @Test("a causal prefix zeroes the entries after it")
    func prefix() {
        var row: [Float] = [1, 2, 3, 4, 5]
        row.withUnsafeMutableBufferPointer { Softmax.row($0.baseAddress!, count: 5, allowed: 2, keep: nil) }
        // softmax([1, 2]) = [0.26894142, 0.73105858]
        #expect(close(row, [0.26894142, 0.73105858, 0, 0, 0], 1e-6))
        row.withUnsafeMutableBufferPointer { Softmax.row($0.baseAddress!, count: 5, allowed: 0, keep: nil) }
        #expect(row == [0, 0, 0, 0, 0])
    }

    @Test("the vectorised exp matches Foundation's exp to about 2e-7 relative on [-87, 0]")
    func expAccuracy() {
        var worst: Double = 0
        var x: Float = -87
        while x <= 0 {
            let mine = Double(Softmax.scalarExp(x)), reference = Foundation.exp(Double(x))
            worst = max(worst, abs(mine - reference) / reference)
            x += 0.0137
        }
        #expect(worst < 3e-7)
        #expect(Softmax.scalarExp(-200) == 0)
        #expect(Softmax.scalarExp(0) == 1)
    }

    @Test("the one-number exp gives bit for bit what the vector exp gives in every lane")
    func scalarMatchesVector() {
        var x: Float = -90
        while x <= 0 {
            var lanes = Softmax.Vector(repeating: 0)
            for lane in 0..<lanes.scalarCount { lanes[lane] = x - Float(lane) * 0.00071 }
            let vector = Softmax.exp(lanes)
            for lane in 0..<lanes.scalarCount {
                #expect(Softmax.scalarExp(lanes[lane]).bitPattern == vector[lane].bitPattern)
            }
            x += 0.0419
        }
    }
}
