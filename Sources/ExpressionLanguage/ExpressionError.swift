/// An error in an expression, with the 1-based column (in Unicode scalars) where it was found.
public struct ExpressionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a caller can act on without reading the message.
    public enum Kind: Hashable, Sendable {
        /// A name that no binding or function has.
        case unknownName(String)
        /// A member the value does not have.
        case unknownMember(String)
        /// A labelled argument the function does not take.
        case unknownArgument(String)
        /// Anything else: a syntax, type or arithmetic error, or a function's own refusal.
        case other
    }

    /// The 1-based column, in Unicode scalars.
    public var column: Int
    /// What kind of error this is.
    public var kind: Kind
    /// What is wrong, in a sentence.
    public var message: String

    /// An error of `kind` at `column` saying `message`.
    public init(column: Int, kind: Kind = .other, _ message: String) {
        self.column = column
        self.kind = kind
        self.message = message
    }

    /// The same error found `offset` columns further right (inside a longer line).
    public func shifted(by offset: Int) -> ExpressionError {
        ExpressionError(column: column + offset, kind: kind, message)
    }

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}
