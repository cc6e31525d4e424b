import AttentionCore
import Foundation
import MarkdownTerminal

/// The text and JSON views of a real encoder run (`mhalearn heads` and `real_heads(…).grid`).
public struct HeadsView {
    /// The run shown.
    public let run: BERTRun
    /// The sentence as the user wrote it.
    public let sentence: String
    /// The chosen token's position.
    public let focus: Int
    /// Columns available.
    public let width: Int
    /// Colour and attributes (plain text when colour is off).
    public let style: TerminalStyle

    /// A view of `run` from the token at `focus`, `width` columns wide.
    public init(run: BERTRun, sentence: String, focus: Int, width: Int, style: TerminalStyle) {
        self.run = run
        self.sentence = sentence
        self.focus = focus
        self.width = max(20, width)
        self.style = style
    }

    /// The hint ending the grid in `mhalearn heads`.
    public static let commandHint = "See one head in full with --layer L --head H; another token with --token WORD."

    /// Position of `query` among `tokens`: a token's text (any case), `WORD#N` for the N-th
    /// occurrence, first occurrence otherwise.
    public static func position(of query: String, in tokens: [WordPieceToken]) -> Int? {
        var word = query.lowercased()
        var occurrence = 1
        if let hash = word.lastIndex(of: "#"), hash != word.startIndex, let n = Int(word[word.index(after: hash)...]), n >= 1,
           !tokens.contains(where: { $0.text == word }) {
            occurrence = n
            word = String(word[..<hash])
        }
        // an uncased tokenizer strips accents ("café" becomes "cafe"), so compare folded forms too
        let folded = HeadsView.foldAccents(word)
        let matches = tokens.indices.filter {
            let text = tokens[$0].text.lowercased()
            return text == word || text == folded
        }
        return occurrence <= matches.count ? matches[occurrence - 1] : nil
    }

    /// The token `mhalearn heads` shows when no `--token` is given: the first "it" (the lesson's
    /// question is what "it" refers to), else the last word that is not a marker, punctuation or a
    /// word piece's continuation (`##…`), else the first token. Returns its position and why it was
    /// chosen (nil for "it").
    public static func defaultFocus(in tokens: [WordPieceToken]) -> (position: Int, reason: String?) {
        if let it = tokens.firstIndex(where: { $0.text.lowercased() == "it" }) { return (it, nil) }
        if let last = tokens.indices.last(where: { !isSpecial(tokens[$0].text) && !tokens[$0].text.hasPrefix("##") }) {
            return (last, "the sentence has no \"it\", so its last word is shown")
        }
        return (0, "the sentence has no word, so its first token is shown")
    }

    /// The position `--token QUERY` names: a token's text (any case, `WORD#N` for the N-th occurrence,
    /// counting from 1), else a token number counting from 1 as the token list does (`[CLS]` is 1).
    /// On failure, a message saying what went wrong.
    public static func choose(_ query: String, in tokens: [WordPieceToken]) -> Result<Int, ChoiceError> {
        if let position = position(of: query, in: tokens) { return .success(position) }
        if let hash = query.lastIndex(of: "#"), hash != query.startIndex, let n = Int(query[query.index(after: hash)...]), n < 1 {
            return .failure(ChoiceError(message: "occurrences count from 1: \(query[..<hash])#1 is the first \"\(query[..<hash])\"."))
        }
        if let number = Int(query.trimmingCharacters(in: .whitespaces)) {
            guard (1...tokens.count).contains(number) else {
                return .failure(ChoiceError(message: "token numbers count from 1 ([CLS]) to \(tokens.count); got \(number)."))
            }
            return .success(number - 1)
        }
        return .failure(ChoiceError(message: "the sentence has no token '\(query)'."))
    }

    /// Why `--token` names no token.
    public struct ChoiceError: Error, Equatable {
        public let message: String
    }

    /// The token list as `mhalearn heads` prints it in messages: `1:[CLS] 2:the …`, numbered from 1.
    public static func numberedTokens(_ tokens: [WordPieceToken]) -> String {
        tokens.enumerated().map { "\($0.offset + 1):\(sanitize($0.element.text))" }.joined(separator: " ")
    }

    /// `text` without combining accents, the way an uncased BERT tokenizer folds it.
    static func foldAccents(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            result.append(scalar)
        }
        return String(result)
    }

    private var tokenTexts: [String] { run.tokens.map { sanitize($0.text) } }

    private func isSpecial(_ index: Int) -> Bool {
        HeadsView.isSpecial(run.tokens[index].text)
    }

    /// Whether a token is a marker (`[CLS]`, `[SEP]`) or a single punctuation mark.
    public static func isSpecial(_ text: String) -> Bool {
        text.hasPrefix("[") && text.hasSuffix("]") || (text.count == 1 && text.unicodeScalars.allSatisfy { $0.properties.generalCategory.isPunctuation })
    }

    /// For the token at `query`, the key token `head` of `layer` attends to most and its weight (indices from 0).
    public static func top(of run: BERTRun, layer: Int, head: Int, query: Int) -> (key: Int, weight: Float) {
        let row = run.row(layer: layer, head: head, query: query)
        let best = row.indices.max { row[$0] < row[$1] } ?? row.startIndex
        return (best - row.startIndex, row[best])
    }

    private func header() -> [String] {
        [
            wrap(style.bold("all-MiniLM-L6-v2") + " (\(run.layers) layers × \(run.heads) heads) on: " + sanitize(sentence)),
            wrap("Tokens: " + tokenTexts.enumerated().map { $0.offset == focus ? (style.colorEnabled ? style.apply(TextAttributes(bold: true, underline: true), to: $0.element) : "<\($0.element)>") : $0.element }.joined(separator: " ")),
        ]
    }

    // MARK: Grid

    /// For the focus token, each head's most-attended token and its weight, as a layers × heads
    /// grid, ending with `hint` (nil for none).
    public func grid(hint: String? = HeadsView.commandHint) -> String {
        HeadsView.trimmed(gridLines(hint: hint))
    }

    /// The grid's lines, each at most `width` columns, without trailing newlines.
    public func gridLines(hint: String? = HeadsView.commandHint) -> [String] {
        let texts = tokenTexts
        var lines = header()
        let same = run.tokens.indices.filter { run.tokens[$0].text == run.tokens[focus].text }
        let which = (same.firstIndex(of: focus) ?? 0) + 1
        lines.append("")
        lines.append(wrap("From \"\(texts[focus])\" (token \(focus + 1)\(same.count > 1 ? ", occurrence \(which) of \(same.count)" : "")), the token each head attends to most, and its weight:"))
        var top: [[(key: Int, weight: Float)]] = []
        for layer in 0..<run.layers {
            top.append((0..<run.heads).map { HeadsView.top(of: run, layer: layer, head: $0, query: focus) })
        }
        let nameWidth = min(10, texts.map(displayWidth).max() ?? 1)
        let cellWidth = nameWidth + 5
        let label = "layer \(run.layers)".count + 1
        let perBlock = max(1, min(run.heads, (width - label) / (cellWidth + 1)))
        for first in stride(from: 0, to: run.heads, by: perBlock) {
            let heads = first..<min(first + perBlock, run.heads)
            lines.append("")
            lines.append(pad("", label) + heads.map { style.dim(pad("head \($0 + 1)", cellWidth)) }.joined(separator: " "))
            for layer in 0..<run.layers {
                let cells = heads.map { head -> String in
                    let (key, weight) = top[layer][head]
                    let name = pad(fit(texts[key], nameWidth), nameWidth)
                    let shownName = isSpecial(key) ? style.dim(name) : style.bold(name)
                    return shownName + " " + strength(weight, HeadsView.weightText(weight))
                }
                lines.append(pad("layer \(layer + 1)", label) + cells.joined(separator: " "))
            }
        }
        var counts: [Int: Int] = [:]
        for row in top { for cell in row { counts[cell.key, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        lines.append("")
        lines.append(wrap("Most chosen: " + ranked.map { "\(texts[$0.key]) (\($0.value) head\($0.value == 1 ? "" : "s"))" }.joined(separator: ", ") + "."))
        if let hint { lines.append(wrap(hint)) }
        return lines.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    // MARK: Heatmap

    /// One head's attention matrix: a row per attending token, a column per attended token.
    public func heatmap(layer: Int, head: Int) -> String {
        let texts = tokenTexts
        let T = run.count
        var lines = header()
        lines.append("")
        lines.append(wrap("Layer \(layer + 1), head \(head + 1): row i is token i attending, column j is token j attended to (tokens numbered from 1); numbers are weights × 100, rounded (each row sums to 100 before rounding)."))
        let nameWidth = min(10, texts.map(displayWidth).max() ?? 1)
        let label = String(T).count + 1 + nameWidth + 1
        let cellWidth = 4
        let perBlock = max(1, (width - label) / cellWidth)
        for first in stride(from: 0, to: T, by: perBlock) {
            let keys = first..<min(first + perBlock, T)
            lines.append("")
            lines.append(pad("", label) + keys.map { style.dim(leftPad(String($0 + 1), cellWidth)) }.joined())
            for query in 0..<T {
                let name = leftPad(String(query + 1), String(T).count) + " " + pad(fit(texts[query], nameWidth), nameWidth) + " "
                let cells = keys.map { cell(run.weight(layer: layer, head: head, query: query, key: $0)) }.joined()
                lines.append((query == focus ? style.bold(name) : name) + cells)
            }
        }
        lines.append("")
        lines.append(wrap(legend()))
        let row = run.row(layer: layer, head: head, query: focus)
        let ranked = row.indices.sorted { row[$0] > row[$1] }.prefix(3)
        lines.append(wrap("\"\(texts[focus])\" (row \(focus + 1)) attends most to: " + ranked.map { "\(texts[$0 - row.startIndex]) \(HeadsView.weightText(row[$0]))" }.joined(separator: ", ") + "."))
        return HeadsView.trimmed(lines)
    }

    /// One heatmap cell, 4 columns wide: the percentage and, without colour, a shade character.
    private func cell(_ weight: Float) -> String {
        let percent = Int((weight * 100).rounded())
        if style.colorEnabled {
            let level = HeadsView.colorLevel(weight)
            let text = leftPad(String(percent), 3) + " "
            return style.apply(TextAttributes(foreground: level > 17 ? .palette(16) : .palette(255), background: .palette(UInt8(232 + level))), to: text)
        }
        return leftPad(String(percent), 3) + HeadsView.shade(percent: percent)
    }

    private func legend() -> String {
        if style.colorEnabled {
            let swatches = [0, 10, 25, 50, 75, 100].map { p -> String in
                let level = HeadsView.colorLevel(Float(p) / 100)
                return style.apply(TextAttributes(foreground: level > 17 ? .palette(16) : .palette(255), background: .palette(UInt8(232 + level))), to: " \(p) ")
            }
            return "Legend (weight × 100): " + swatches.joined(separator: " ")
        }
        return "Legend (weight × 100): ' ' under 5, ░ 5–24, ▒ 25–49, ▓ 50–74, █ 75 and over"
    }

    /// A shade character for a weight given as a rounded percentage.
    public static func shade(percent: Int) -> String {
        switch percent {
        case ..<5: return " "
        case ..<25: return "░"
        case ..<50: return "▒"
        case ..<75: return "▓"
        default: return "█"
        }
    }

    /// Grey level 0...23 of the 256-colour ramp (232 = black ... 255 = white) for a weight.
    public static func colorLevel(_ weight: Float) -> Int {
        Int((max(0, min(1, weight)).squareRoot() * 23).rounded())
    }

    /// A weight as `.41`, or `1.00`.
    public static func weightText(_ weight: Float) -> String {
        let text = String(format: "%.2f", weight)
        return text.hasPrefix("0") ? String(text.dropFirst()) : text
    }

    private func strength(_ weight: Float, _ text: String) -> String {
        let shown = leftPad(text, 4)
        if weight >= 0.5 { return style.apply(TextAttributes(bold: true, foreground: .yellow), to: shown) }
        if weight < 0.2 { return style.dim(shown) }
        return shown
    }

    // MARK: JSON

    /// Tokens, ids and every layer's attention `[layer][head][query][key]`, handed to `emit` one
    /// head at a time so that long sentences never build the whole text in memory.
    public func json(model: String, emit: (String) -> Void) {
        func quote(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let T = run.count
        emit("""
        {
          "model": \(quote("all-MiniLM-L6-v2")),
          "model_path": \(quote(model)),
          "sentence": \(quote(sentence)),
          "tokens": [\(run.tokens.map { quote($0.text) }.joined(separator: ", "))],
          "ids": [\(run.tokens.map { String($0.id) }.joined(separator: ", "))],
          "token": \(quote(run.tokens[focus].text)),
          "token_index": \(focus),
          "layers": \(run.layers),
          "heads": \(run.heads),
          "attention_shape": [\(run.layers), \(run.heads), \(T), \(T)],
          "attention": [

        """)
        for layer in 0..<run.layers {
            for head in 0..<run.heads {
                var text = head == 0 ? "    [[" : "     ["
                for query in 0..<T {
                    text += query == 0 ? "[" : ",["
                    text += run.row(layer: layer, head: head, query: query).map { "\($0)" }.joined(separator: ",")
                    text += "]"
                }
                text += head == run.heads - 1 ? "]]" + (layer == run.layers - 1 ? "\n" : ",\n") : "],\n"
                emit(text)
            }
        }
        emit("  ]\n}\n")
    }

    // MARK: Text helpers

    /// The lines joined, each without trailing spaces (escape sequences never end in a space).
    public static func trimmed(_ lines: [String]) -> String {
        lines.map { line -> String in
            var scalars = Substring(line).unicodeScalars
            while scalars.last == " " { scalars.removeLast() }
            return String(scalars)
        }.joined(separator: "\n") + "\n"
    }

    private func fit(_ text: String, _ columns: Int) -> String {
        guard displayWidth(text) > columns else { return text }
        var out = ""
        for character in text {
            if displayWidth(out + String(character)) > columns - 1 { break }
            out.append(character)
        }
        return out + "…"
    }

    private func pad(_ text: String, _ columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - displayWidth(text)))
    }

    private func leftPad(_ text: String, _ columns: Int) -> String {
        String(repeating: " ", count: max(0, columns - displayWidth(text))) + text
    }

    private func wrap(_ text: String) -> String {
        TextLayout.hanging("", text, width: width, indent: 0)
    }
}

private extension Unicode.GeneralCategory {
    var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
