import MarkdownTerminal
import ExpressionLanguage

/// A question inside a lesson: a fenced block with info string `checkpoint` naming an exercise of
/// the bank and, optionally, the variant seed to pose:
///
/// ````markdown
/// ```checkpoint
/// id: heads-split-dims
/// seed: 7
/// ```
/// ````
///
/// `mhalearn lesson NAME --interactive` stops there and asks it as practice does; everywhere else it
/// renders as one line, "Try it: `mhalearn practice --id heads-split-dims --seed 7`". `check` proves
/// that every checkpoint names an existing exercise.
public struct Checkpoint: Sendable, Equatable {
    /// The exercise id.
    public var id: String
    /// The variant seed (1 when the block gives none).
    public var seed: UInt64
    /// Where the block starts.
    public var line: Int

    /// Creates a checkpoint.
    public init(id: String, seed: UInt64, line: Int) {
        self.id = id
        self.seed = seed
        self.line = line
    }

    /// The seed used when a block gives none.
    public static let defaultSeed: UInt64 = 1

    /// Whether a fenced block's info string marks a checkpoint.
    public static func isCheckpoint(_ info: String?) -> Bool {
        info?.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "checkpoint"
    }

    /// The checkpoint a block's body describes, or what is wrong with it.
    public static func parse(_ code: String, line: Int) -> Result<Checkpoint, CheckpointProblem> {
        var id: String?
        var seed = defaultSeed
        for raw in code.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = text.firstIndex(of: ":") else {
                return .failure(CheckpointProblem("a checkpoint line is `id: EXERCISE-ID` or `seed: N`; got `\(text)`"))
            }
            let key = text[..<colon].trimmingCharacters(in: .whitespaces)
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "id":
                guard !value.isEmpty, !value.contains(" ") else { return .failure(CheckpointProblem("`id:` needs an exercise id, such as `id: heads-split-dims`")) }
                id = value
            case "seed":
                guard let number = UInt64(value), number <= 0xFFFF_FFFF else {
                    return .failure(CheckpointProblem("`seed:` needs a whole number from 0 to 4294967295; got `\(value)`"))
                }
                seed = number
            default:
                return .failure(CheckpointProblem("a checkpoint has only `id:` and `seed:`; got `\(key):`"))
            }
        }
        guard let id else { return .failure(CheckpointProblem("a checkpoint needs `id: EXERCISE-ID`")) }
        return .success(Checkpoint(id: id, seed: seed, line: line))
    }

    /// The command that poses it outside the lesson.
    public var command: String { "mhalearn practice --id \(id) --seed \(seed)" }

    /// Every checkpoint block at the top level of `document` (or nested in quotes and lists), with
    /// problems for the malformed ones.
    public static func all(in document: MarkdownDocument, path: String) -> (checkpoints: [Checkpoint], problems: [Diagnostic]) {
        var checkpoints: [Checkpoint] = []
        var problems: [Diagnostic] = []
        func walk(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case let .codeBlock(info, code, position) where isCheckpoint(info):
                    switch parse(code, line: position.line) {
                    case .success(let checkpoint): checkpoints.append(checkpoint)
                    case .failure(let problem):
                        problems.append(Diagnostic(.error, at: SourceLocation(path: path, line: position.line + 1, column: 1), problem.message))
                    }
                case let .blockQuote(children, _): walk(children)
                case let .list(list, _): list.items.forEach { walk($0.blocks) }
                default: break
                }
            }
        }
        walk(document.blocks)
        return (checkpoints, problems)
    }

    /// `document` with every checkpoint block replaced by its "Try it" line.
    public static func tryItLines(_ document: MarkdownDocument) -> MarkdownDocument {
        func map(_ blocks: [Block]) -> [Block] {
            blocks.map { block in
                switch block {
                case let .codeBlock(info, code, position) where isCheckpoint(info):
                    guard case .success(let checkpoint) = parse(code, line: position.line) else { return block }
                    return tryIt(checkpoint, position: position)
                case let .blockQuote(children, position): return .blockQuote(map(children), position: position)
                case .list(var list, let position):
                    for index in list.items.indices { list.items[index].blocks = map(list.items[index].blocks) }
                    return .list(list, position: position)
                default: return block
                }
            }
        }
        return MarkdownDocument(blocks: map(document.blocks))
    }

    /// The "Try it" paragraph for `checkpoint`.
    public static func tryIt(_ checkpoint: Checkpoint, position: SourcePosition) -> Block {
        .paragraph([.strong([.text("Try it:")]), .text(" "), .code(checkpoint.command, position: position)], position: position)
    }

    /// The top-level blocks of `document` cut at each checkpoint: the text before it, and the checkpoint
    /// (nil after the last one).
    public static func sections(_ document: MarkdownDocument) -> [(blocks: [Block], checkpoint: Checkpoint?)] {
        var result: [(blocks: [Block], checkpoint: Checkpoint?)] = []
        var current: [Block] = []
        for block in document.blocks {
            if case let .codeBlock(info, code, position) = block, isCheckpoint(info), case .success(let checkpoint) = parse(code, line: position.line) {
                result.append((current, checkpoint))
                current = []
            } else {
                current.append(block)
            }
        }
        if !current.isEmpty || result.isEmpty { result.append((current, nil)) }
        return result
    }
}

/// What is wrong with a checkpoint block.
public struct CheckpointProblem: Error, Sendable, Equatable {
    /// The message, for the author.
    public var message: String

    /// Creates a problem.
    public init(_ message: String) {
        self.message = message
    }
}
