/// A parsed expression. Every node keeps the 1-based column where it starts, for error messages.
public indirect enum Expression: Sendable, Equatable {
    /// A literal value written in the source: a number, a string, `true` or `false`.
    case literal(Value, column: Int)
    /// A name looked up in the bindings or among the built-in functions.
    case name(String, column: Int)
    /// A list written `[a, b, c]`.
    case list([Expression], column: Int)
    /// `-x` or `not x`; `column` is the operator's.
    case unary(String, Expression, column: Int)
    /// `a OP b`; `column` is the operator's.
    case binary(String, Expression, Expression, column: Int)
    /// `f(a, name: b)`; `column` is the opening parenthesis'.
    case call(Expression, [Argument], column: Int)
    /// `x.name`; `column` is the member name's.
    case member(Expression, String, column: Int)
    /// `x[i]`; `column` is the opening bracket's.
    case index(Expression, Expression, column: Int)

    /// One argument of a call: positional when `label` is nil.
    public struct Argument: Sendable, Equatable {
        /// The parameter name written before `:`, if any.
        public var label: String?
        /// The column of the label (or of the value when there is no label).
        public var column: Int
        /// The argument's expression.
        public var value: Expression
    }

    /// The column where this node starts in the source (the leftmost column it covers).
    public var startColumn: Int {
        switch self {
        case .literal(_, let column), .name(_, let column), .list(_, let column): column
        case .unary(_, _, let column): column
        case .binary(_, let left, _, _): left.startColumn
        case .call(let callee, _, _), .member(let callee, _, _), .index(let callee, _, _): callee.startColumn
        }
    }

    /// The column an error about this node's result should point at.
    public var column: Int {
        switch self {
        case .literal(_, let column), .name(_, let column), .list(_, let column): column
        case .unary(_, _, let column), .binary(_, _, _, let column): column
        case .call(let callee, _, _): callee.column
        case .member(_, _, let column), .index(_, _, let column): column
        }
    }
}
