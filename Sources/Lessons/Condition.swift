import MarkdownTerminal

/// Conditional text: `<!-- if EXPR -->` … `<!-- else -->` … `<!-- end -->` around blocks (each
/// comment on a line of its own) or inside a paragraph, shown only when `EXPR` is true for the
/// parameters the lesson is computed for. Any Markdown viewer hides the comments, so a lesson still
/// reads as plain CommonMark.
enum Condition {
    /// One comment of a conditional.
    enum Marker: Equatable {
        case `if`(String)
        case `else`
        case end
    }

    /// The marker `html` is (`<!-- if EXPR -->`, `<!-- else -->`, `<!-- end -->`), or nil for any other HTML.
    static func marker(_ html: String) -> Marker? {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !inner.contains("-->") else { return nil }
        if inner == "else" { return .else }
        if inner == "end" { return .end }
        if inner.hasPrefix("if ") || inner.hasPrefix("if\t") || inner == "if" {
            return .if(String(inner.dropFirst(2)).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Whether an HTML block opens with a condition but holds more (text after it on its line).
    static func isMisplaced(_ html: String) -> Bool {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), marker(html) == nil else { return false }
        let inner = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
        return inner.hasPrefix("if ") || inner.hasPrefix("end -->") || inner.hasPrefix("else -->")
    }

    /// The column (from 0) in `line` where a marker's expression starts (after `<!-- if `), or 0.
    static func expressionColumn(in line: [Character]) -> Int {
        let text = String(line)
        guard let open = text.range(of: "<!--") else { return 0 }
        var index = text.distance(from: text.startIndex, to: open.upperBound)
        let characters = Array(text)
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        if index + 2 <= characters.count, characters[index] == "i", characters[index + 1] == "f" { index += 2 }
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        return index
    }

    /// Joins the text left around a removed stretch: no doubled space, no space before punctuation.
    static func tidySpaces(_ inlines: [Inline]) -> [Inline] {
        var result: [Inline] = []
        for inline in inlines {
            guard case .text(var text) = inline else {
                result.append(inline)
                continue
            }
            if case .text(let before)? = result.last {
                result.removeLast()
                if before.hasSuffix(" "), text.hasPrefix(" ") { text.removeFirst() }
                if before.hasSuffix(" "), let first = text.first, ".,;:)!?".contains(first) {
                    text = String(before.dropLast()) + text
                } else {
                    text = before + text
                }
            }
            result.append(.text(text))
        }
        return result
    }
}
