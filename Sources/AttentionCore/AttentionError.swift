import Foundation

/// An error raised by AttentionCore: an invalid configuration, a tensor of the wrong shape, or a size
/// that would not fit in memory. Its message is one sentence a person can act on.
public struct AttentionError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The sentence saying what is wrong.
    public let message: String

    /// Creates an error carrying `message`.
    public init(_ message: String) { self.message = message }

    /// The message, as printed.
    public var description: String { message }

    /// The message, for `localizedDescription`.
    public var errorDescription: String? { message }
}
