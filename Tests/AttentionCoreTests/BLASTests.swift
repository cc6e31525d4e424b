import Testing
@testable import AttentionCore

@Suite("BLAS")
struct BLASTests {
    @Test("matmul multiplies [m, k] by [k, n] as worked by hand")
    func matmulByHand() throws {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        let a = matrix([[1, 2, 3], [4, 5, 6]]), b = matrix([[7, 8], [9, 10], [11, 12]])
        let c = try matmul(a, b)
        #expect(c.shape == [2, 2])
        #expect(c.storage == [58, 64, 139, 154])
    }

    @Test("matmul refuses mismatched inner sizes with a sentence")
    func matmulMismatch() {
        #expect(throws: AttentionError.self) { try matmul(matrix([[1, 2]]), matrix([[1, 2]])) }
    }

    @Test("strided gemm reads one head's column slice of a wider matrix without copying")
    func stridedSlices() {
        // A is [2, 4]; its columns 2..<4 form [[3, 4], [7, 8]]; times identity-ish B [2, 2]
        let a: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let b: [Float] = [1, 0, 0, 2]
        var c = [Float](repeating: 0, count: 4)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    _ = gemm(.none, .none, m: 2, n: 2, k: 2, pa.baseAddress! + 2, lda: 4, pb.baseAddress!, ldb: 2, pc.baseAddress!, ldc: 2)
                }
            }
        }
        #expect(c == [3, 8, 7, 16])
    }

    @Test("the BLAS description names the library")
    func describesLibrary() {
        #expect(!BLASInfo.description.isEmpty)
    }
}
