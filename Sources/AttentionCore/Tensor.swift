/// A dense tensor of `Float`: row-major storage plus a shape (the last axis varies fastest).
///
/// A `[T, d_model]` tensor stores row `t` at `storage[t * d_model ..< (t + 1) * d_model]`.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The size of each axis, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `storage.count` is the product of `shape`.
    public internal(set) var storage: [Float]
    /// Names of the axes where they help, e.g. `["h", "T", "d_k"]` on a run's `q_heads`; nil when unnamed.
    /// Names never affect equality or arithmetic.
    public var axes: [String]?

    /// Creates a tensor from row-major `storage`; throws when its length does not match `shape`.
    public init(shape: [Int], storage: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw AttentionError("A tensor shape cannot have a negative size; got \(shape).")
        }
        guard let count = Tensor.elementCount(shape), count == storage.count else {
            throw AttentionError("A tensor of shape \(shape) needs \(Tensor.elementCount(shape).map(String.init) ?? "too many") values; got \(storage.count).")
        }
        self.shape = shape
        self.storage = storage
    }

    /// Creates a tensor of zeros with the given shape (sizes must be non-negative).
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor sizes must be non-negative")
        self.shape = shape
        self.storage = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// Internal unchecked initializer for storage the core built itself.
    init(unchecked shape: [Int], _ storage: [Float]) {
        assert(shape.reduce(1, *) == storage.count)
        self.shape = shape
        self.storage = storage
    }

    /// The number of elements (product of the shape), or nil when it overflows `Int`.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var total = 1
        for size in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// The number of elements.
    public var count: Int { storage.count }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The element at the given indices, one per axis.
    public subscript(_ indices: Int...) -> Float {
        storage[offset(indices)]
    }

    /// The row-major offset of `indices`; traps when an index is out of range (a programming error).
    func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "expected \(shape.count) indices, got \(indices.count)")
        var offset = 0
        for (index, size) in zip(indices, shape) {
            precondition(index >= 0 && index < size, "index \(index) out of range 0..<\(size)")
            offset = offset * size + index
        }
        return offset
    }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, storage: storage)
    }

    /// The largest absolute difference between two tensors of the same shape (nil if shapes differ).
    public func maxAbsDifference(_ other: Tensor) -> Float? {
        guard shape == other.shape else { return nil }
        var worst: Float = 0
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                for i in 0..<a.count { worst = max(worst, abs(a[i] - b[i])) }
            }
        }
        return worst
    }

    /// The same tensor with its axes named (ignored unless there is one name per axis).
    public func named(_ axes: [String]) -> Tensor {
        var copy = self
        copy.axes = axes.count == shape.count ? axes : nil
        return copy
    }

    /// Tensors are equal when their shapes and elements are; axis names are not compared.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.storage == rhs.storage
    }

    /// A short summary such as `Tensor[2, 3]`, or `Tensor[h=12, T=8, d_k=64]` with named axes.
    public var description: String {
        guard let axes else { return "Tensor\(shape)" }
        return "Tensor[" + zip(axes, shape).map { "\($0)=\($1)" }.joined(separator: ", ") + "]"
    }
}
