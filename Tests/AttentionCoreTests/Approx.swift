@testable import AttentionCore

/// Whether two floats agree within an absolute tolerance.
func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-5) -> Bool { abs(a - b) <= tolerance }

/// Whether two float lists agree element by element within an absolute tolerance.
func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

/// Whether two tensors have the same shape and agree within an absolute tolerance.
func close(_ a: Tensor, _ b: Tensor, _ tolerance: Float = 1e-4) -> Bool {
    guard let difference = a.maxAbsDifference(b) else { return false }
    return difference <= tolerance
}

/// A tensor from literal rows (test data, shapes known to be right).
func matrix(_ rows: [[Float]]) -> Tensor {
    Tensor(unchecked: [rows.count, rows.first?.count ?? 0], rows.flatMap { $0 })
}

/// A bias tensor from a literal list.
func vector(_ values: [Float]) -> Tensor { Tensor(unchecked: [values.count], values) }
