import Foundation

/// Escaping and the little Markdown an exported question needs as HTML.
enum Markup {
    /// `text` with `&`, `<`, `>` and `"` escaped for HTML and XML.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A prompt's Markdown as HTML: paragraphs (a blank line apart), `- ` list items, code spans
    /// and `**strong**` text; everything else escaped as text.
    static func html(_ markdown: String) -> String {
        let blocks = markdown.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        return blocks.compactMap { block -> String? in
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !lines.isEmpty else { return nil }
            if lines.allSatisfy({ $0.hasPrefix("- ") || $0.hasPrefix("* ") }) {
                return "<ul>" + lines.map { "<li>" + inline(String($0.dropFirst(2))) + "</li>" }.joined() + "</ul>"
            }
            return "<p>" + inline(lines.joined(separator: " ")) + "</p>"
        }.joined(separator: "\n")
    }

    /// Code spans and strong emphasis in one line of Markdown, the rest escaped.
    static func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "`") {
            result += strong(escape(String(rest[..<open])))
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "`") else {
                result += escape(String(rest[open...]))
                return result
            }
            result += "<code>" + escape(String(after[..<close])) + "</code>"
            rest = after[after.index(after: close)...]
        }
        return result + strong(escape(String(rest)))
    }

    private static func strong(_ escaped: String) -> String {
        let parts = escaped.components(separatedBy: "**")
        guard parts.count >= 3, parts.count % 2 == 1 else { return escaped }
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
    }

    /// Markdown as one line of plain text (for titles and the Anki TSV): spaces for line breaks.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
