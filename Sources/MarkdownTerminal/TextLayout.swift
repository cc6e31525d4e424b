import Foundation

/// Fitting plain report text (which may hold ANSI styles) to the terminal width.
public enum TextLayout {
    /// `prefix` (kept verbatim) then `text` word-wrapped to `width` display columns, continuation
    /// lines indented by `indent` columns; a word longer than a line is broken.
    public static func hanging(_ prefix: String, _ text: String, width: Int, indent: Int) -> String {
        let indent = max(0, min(indent, width / 2))
        var lines: [String] = []
        var line = prefix
        var used = displayWidth(prefix)
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let size = displayWidth(word)
            if lineHasWord || used > indent, used + (lineHasWord ? 1 : 0) + size > width {
                if lineHasWord || !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    lines.append(lineHasWord ? line : line.replacingOccurrences(of: " +$", with: "", options: .regularExpression))
                }
                line = String(repeating: " ", count: indent)
                used = indent
                lineHasWord = false
            }
            if used + (lineHasWord ? 1 : 0) + size > width {
                var pieces = hardSplit(word, width: max(1, width - used))
                let last = pieces.removeLast()
                for piece in pieces {
                    lines.append(line + piece)
                    line = String(repeating: " ", count: indent)
                    used = indent
                }
                line += last
                used += displayWidth(last)
            } else {
                line += (lineHasWord ? " " : "") + word
                used += (lineHasWord ? 1 : 0) + size
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// Every line of `text` wider than `width` re-wrapped at its spaces, continuation lines indented
    /// two columns past the line's own indentation; lines that fit are left as they are.
    public static func fit(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let line = String(line)
            guard displayWidth(line) > width else { return line }
            let leading = line.prefix { $0 == " " }.count
            return hanging(String(repeating: " ", count: leading), String(line.dropFirst(leading)), width: width, indent: leading + 2)
        }.joined(separator: "\n")
    }
}

extension String {
    /// The string without spaces at its end.
    public func replacingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
