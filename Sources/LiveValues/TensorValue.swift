import AttentionCore
import ExpressionLanguage

/// A tensor of a run, or a slice of one: `.shape`, `.rank`, indexing along the first axis.
///
/// Indexing a rank-1 tensor gives a decimal, so `run.weights[0][7][1]` reads one attention weight.
public struct TensorValue: ValueObject {
    /// The tensor's name in the run (`q_heads`, `weights`, …), with any indexes taken.
    public var name: String
    /// The shape of this (possibly sliced) tensor.
    public var shape: [Int]
    /// The elements in row-major order.
    public var storage: ArraySlice<Float>

    /// Wraps a whole core tensor called `name`.
    public init(name: String, tensor: Tensor) {
        self.name = name
        self.shape = tensor.shape
        self.storage = tensor.storage[...]
    }

    init(name: String, shape: [Int], storage: ArraySlice<Float>) {
        self.name = name
        self.shape = shape
        self.storage = storage
    }

    /// A short noun for messages.
    public var typeName: String { "tensor" }
    /// The names `member(_:)` answers.
    public var memberNames: [String] { ["shape", "rank", "sum", "max", "min"] }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "shape": return .shape(shape)
        case "rank": return .integer(shape.count)
        case "sum": return .decimal(storage.reduce(0.0) { $0 + Double($1) })
        case "max": return storage.max().map { .decimal(Double($0)) } ?? .decimal(0)
        case "min": return storage.min().map { .decimal(Double($0)) } ?? .decimal(0)
        default: return nil
        }
    }

    /// The item at `index` along the first axis.
    public func element(at index: Int) throws -> Value? {
        guard let first = shape.first else { return nil }
        guard index < first else {
            throw FunctionError("index \(index) is out of range: \(name) has shape \(Value.shape(shape)), so its first index goes from 0 to \(first - 1).")
        }
        let rest = Array(shape.dropFirst())
        let width = rest.reduce(1, *)
        let start = storage.startIndex + index * width
        if rest.isEmpty { return .decimal(Double(storage[start])) }
        return .object(TensorValue(name: "\(name)[\(index)]", shape: rest, storage: storage[start..<(start + width)]))
    }

    /// One line describing the value.
    public var summary: String { "\(name) \(Value.shape(shape))" }

    /// Whether `other` is the same value.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? TensorValue else { return false }
        return shape == other.shape && storage.elementsEqual(other.storage)
    }

    /// The elements as doubles, row-major.
    public var values: [Double] { storage.map(Double.init) }
}
