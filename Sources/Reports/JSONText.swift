import Foundation

/// The JSON every `--json` option prints: sorted keys, slashes unescaped, pretty unless asked not to be.
public enum JSONText {
    /// `value` encoded as JSON text: sorted keys and unescaped slashes, indented when `pretty`.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return escapingC1(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// `json` with DEL and the C1 controls (U+007F–U+009F, which `JSONEncoder` leaves raw and some
    /// terminals obey: U+009B starts a CSI) written as `\u00XX` escapes. They can only occur inside
    /// strings, where the escape means the same character.
    public static func escapingC1(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return json }
        var result = ""
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                result += "\\u00" + String(scalar.value, radix: 16)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
