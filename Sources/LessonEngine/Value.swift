/// A value of the expression language: what `= EXPR`, `show`, answer keys and learners' arithmetic produce.
///
/// The LessonEngine owner may add cases (runs, flows, tables, heatmaps); code elsewhere should
/// switch with a `default` branch.
public indirect enum Value: Sendable, Equatable {
    case integer(Int)
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    case list([Value])
    /// A tensor shape such as `[11, 64]`.
    case shape([Int])
}

extension Value {
    /// The numeric value, for integers and decimals.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .decimal(let value): value
        default: nil
        }
    }
}
