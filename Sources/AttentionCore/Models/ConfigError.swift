/// Why a config.json could not be read as an attention configuration, with where it happened.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or a label such as a catalog id) the config came from.
    public var path: String
    /// 1-based line of the offending text, when one can be pointed at.
    public var line: Int?
    /// 1-based column of the offending text, when one can be pointed at.
    public var column: Int?
    /// The config field that could not be resolved, when the problem is one field.
    public var field: String?
    /// What is wrong, in a sentence.
    public var message: String

    /// Creates an error; `line` and `column` are optional because a missing field has no place.
    public init(path: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `path:line:col: error: message`, or `path: error: message` when there is no place to point at.
    public var description: String {
        if let line, let column { return "\(path):\(line):\(column): error: \(message)" }
        return "\(path): error: \(message)"
    }
}
