import Foundation

/// One step of a run: the tensor it produced, by name and shape, exactly as it ran.
public struct TraceStep: Sendable, Equatable, Codable {
    /// The tensor's name (`input`, `q`, `k`, `v`, `q_heads`, …, `output`).
    public let name: String
    /// Its shape as produced, e.g. `[12, 11, 64]`.
    public let shape: [Int]
    /// The same shape in dimension names, e.g. `[h, T, d_k]`.
    public let symbols: String
    /// What the step computes, e.g. `x·W_Q + b_Q`.
    public let operation: String

    /// The dimension names of `symbols` as a list, e.g. `["h", "T", "d_k"]`.
    public var axes: [String] {
        symbols.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Creates a step.
    public init(name: String, shape: [Int], symbols: String, operation: String) {
        self.name = name
        self.shape = shape
        self.symbols = symbols
        self.operation = operation
    }
}

/// The ordered steps of one run, for printing the dimension flow.
public struct ShapeTrace: Sendable, Equatable {
    /// Steps in the order they ran.
    public private(set) var steps: [TraceStep] = []

    /// An empty trace.
    public init() {}

    mutating func record(_ name: String, _ shape: [Int], _ symbols: String, _ operation: String) {
        steps.append(TraceStep(name: name, shape: shape, symbols: symbols, operation: operation))
    }

    /// The step called `name`, if the run had one.
    public subscript(_ name: String) -> TraceStep? { steps.first { $0.name == name } }

    /// The names of the steps, in order.
    public var names: [String] { steps.map(\.name) }
}
