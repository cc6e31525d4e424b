import Foundation

/// The JSON every `--json` option prints: sorted keys, slashes unescaped, pretty unless asked not to be.
public enum JSONText {
    /// `value` encoded as JSON text: sorted keys and unescaped slashes, indented when `pretty`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
