/// A custom block that can also draw itself as HTML, for `mhalearn export html`. The HTML is a
/// fragment placed between blocks as it is: text in it must already be escaped (`HTMLText.escape`).
public protocol HTMLDrawable {
    /// The block as an HTML fragment: text stays text (tables, captions), pictures are SVG.
    var html: String { get }
}

/// Text made safe to place in HTML.
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, and control characters removed.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in sanitize(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
