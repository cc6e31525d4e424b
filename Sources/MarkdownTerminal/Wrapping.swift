/// A run of text with the attributes it is shown in, and optionally the link it points to.
public struct StyledText: Hashable, Sendable {
    /// The text (a `\n` inside it is a hard line break).
    public var text: String
    /// How the text is shown when colour is on.
    public var attributes: TextAttributes
    /// A URL the text links to (written as an OSC 8 hyperlink when the style allows it).
    public var link: String?

    /// Creates a run of text.
    public init(_ text: String, attributes: TextAttributes = .plain, link: String? = nil) {
        self.text = text
        self.attributes = attributes
        self.link = link
    }
}

/// Wraps plain text to `width` display columns: spaces collapse, long words are broken, no line ends in a space.
public func wrap(_ text: String, width: Int) -> [String] {
    Wrapper.wrap([StyledText(sanitize(text))], width: width).map { Wrapper.plain($0) }
}

/// Wraps styled runs to `width` display columns and styles each line on its own (styles never span lines).
///
/// Control characters in the runs are made visible first (see `sanitize`).
public func wrap(_ runs: [StyledText], width: Int, style: TerminalStyle) -> [String] {
    let clean = runs.map { StyledText(sanitize($0.text), attributes: $0.attributes, link: $0.link) }
    return Wrapper.wrap(clean, width: width).map { Wrapper.styled($0, style: style) }
}

/// Breaks one line into pieces of at most `width` display columns each, without looking for spaces.
///
/// ANSI escape sequences in the line are kept and count zero columns.
public func hardSplit(_ line: String, width: Int) -> [String] {
    let limit = max(1, width)
    guard displayWidth(line) > limit else { return [line] }
    var pieces: [String] = []
    var current = ""
    var used = 0
    for piece in ANSISequences.split(line) {
        switch piece {
        case let .escape(sequence):
            current += sequence
        case let .text(text):
            for character in text {
                let columns = displayWidth(of: character)
                if used + columns > limit, used > 0 {
                    pieces.append(current)
                    current = ""
                    used = 0
                }
                current.append(character)
                used += columns
            }
        }
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
}

/// Greedy line filling over styled runs.
enum Wrapper {
    typealias Line = [StyledText]

    private enum Token {
        case word([StyledText], width: Int, separator: StyledText?)
        case hardBreak
    }

    static func wrap(_ runs: [StyledText], width: Int) -> [Line] {
        let limit = max(1, width)
        var lines: [Line] = []
        var line: Line = []
        var used = 0
        func finish() {
            lines.append(line)
            line = []
            used = 0
        }
        for token in tokens(runs) {
            guard case let .word(pieces, columns, separator) = token else {
                finish()
                continue
            }
            let gap = (line.isEmpty || separator == nil) ? 0 : 1
            if used + gap + columns <= limit {
                if gap == 1, let separator { line.append(separator) }
                line.append(contentsOf: pieces)
                used += gap + columns
                continue
            }
            if columns <= limit {
                finish()
                line.append(contentsOf: pieces)
                used = columns
                continue
            }
            if !line.isEmpty {
                if limit - used - gap >= 8 {
                    if gap == 1, let separator { line.append(separator) }
                    used += gap
                } else {
                    finish()
                }
            }
            for piece in pieces {
                var chunk = ""
                for character in piece.text {
                    let characterWidth = displayWidth(of: character)
                    if used + characterWidth > limit, used > 0 {
                        if !chunk.isEmpty { line.append(StyledText(chunk, attributes: piece.attributes, link: piece.link)) }
                        finish()
                        chunk = ""
                    }
                    chunk.append(character)
                    used += characterWidth
                }
                if !chunk.isEmpty { line.append(StyledText(chunk, attributes: piece.attributes, link: piece.link)) }
            }
        }
        if !line.isEmpty || lines.isEmpty { finish() }
        return lines
    }

    /// Cuts runs into words (joined by a space, or by nothing where a wide character allows a break) and hard breaks.
    private static func tokens(_ runs: [StyledText]) -> [Token] {
        var tokens: [Token] = []
        var pieces: [StyledText] = []
        var chunk = ""
        var width = 0
        var inWord = false
        var wordSeparator: StyledText?
        var pendingSpace: StyledText?
        var current = StyledText("")
        func closeChunk() {
            if !chunk.isEmpty {
                pieces.append(StyledText(chunk, attributes: current.attributes, link: current.link))
                chunk = ""
            }
        }
        func endWord() {
            closeChunk()
            if !pieces.isEmpty { tokens.append(.word(pieces, width: width, separator: wordSeparator)) }
            pieces = []
            width = 0
            inWord = false
        }
        for run in runs {
            closeChunk()
            current = run
            for character in run.text {
                if character == "\n" {
                    endWord()
                    tokens.append(.hardBreak)
                    pendingSpace = nil
                } else if character == " " {
                    endWord()
                    if pendingSpace == nil { pendingSpace = StyledText(" ", attributes: run.attributes, link: run.link) }
                } else {
                    let columns = displayWidth(of: character)
                    if columns == 2, inWord { endWord() }
                    if !inWord {
                        wordSeparator = pendingSpace
                        pendingSpace = nil
                        inWord = true
                    }
                    chunk.append(character)
                    width += columns
                    if columns == 2 { endWord() }
                }
            }
        }
        endWord()
        return tokens
    }

    static func plain(_ line: Line) -> String {
        line.map(\.text).joined()
    }

    /// One line's runs with their styles, adjacent runs of the same look merged.
    static func styled(_ line: Line, style: TerminalStyle) -> String {
        var merged: [StyledText] = []
        for run in line {
            if var last = merged.last, last.attributes == run.attributes, last.link == run.link {
                last.text += run.text
                merged[merged.count - 1] = last
            } else {
                merged.append(run)
            }
        }
        return merged.map { run in
            let styled = style.apply(run.attributes, to: run.text)
            if let link = run.link { return style.hyperlink(styled, to: link) }
            return styled
        }.joined()
    }
}
