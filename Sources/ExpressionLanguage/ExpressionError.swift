/// An error in an expression, with the 1-based column (in Unicode scalars) where it was found.
public struct ExpressionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based column, in Unicode scalars.
    public var column: Int
    /// What is wrong, in a sentence.
    public var message: String

    /// An error at `column` saying `message`.
    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}
