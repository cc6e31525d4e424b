import Testing
@testable import AttentionCore

@Suite("Tensor")
struct TensorTests {
    @Test("a tensor refuses storage whose length does not match its shape")
    func rejectsMismatchedStorage() {
        #expect(throws: AttentionError.self) { try Tensor(shape: [2, 3], storage: [1, 2, 3]) }
        #expect(throws: AttentionError.self) { try Tensor(shape: [-1, 3], storage: []) }
    }

    @Test("indices address row-major storage, last axis fastest")
    func rowMajorIndexing() throws {
        let t = try Tensor(shape: [2, 3, 2], storage: (0..<12).map(Float.init))
        #expect(t[0, 0, 1] == 1)
        #expect(t[0, 2, 0] == 4)
        #expect(t[1, 0, 0] == 6)
        #expect(t[1, 2, 1] == 11)
        #expect(t.rank == 3 && t.count == 12)
    }

    @Test("reshaping keeps the elements and refuses a different count")
    func reshape() throws {
        let t = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let r = try t.reshaped([3, 2])
        #expect(r.shape == [3, 2] && r.storage == t.storage)
        #expect(throws: AttentionError.self) { try t.reshaped([4, 2]) }
    }

    @Test("element counts report overflow instead of trapping")
    func elementCountOverflow() {
        #expect(Tensor.elementCount([1 << 40, 1 << 40]) == nil)
        #expect(Tensor.elementCount([3, 4, 5]) == 60)
    }

    @Test("max abs difference finds the worst element and needs equal shapes")
    func maxAbsDifference() {
        let a = matrix([[1, 2], [3, 4]]), b = matrix([[1, 2.5], [2, 4]])
        #expect(a.maxAbsDifference(b) == 1)
        #expect(a.maxAbsDifference(vector([1, 2, 3, 4])) == nil)
    }

    @Test("axis names label a tensor without changing equality, and need one name per axis")
    func axisNames() {
        let t = matrix([[1, 2], [3, 4]])
        let named = t.named(["T", "d_model"])
        #expect(named.axes == ["T", "d_model"])
        #expect(named == t)
        #expect(named.description == "Tensor[T=2, d_model=2]")
        #expect(t.named(["T"]).axes == nil)
    }
}
