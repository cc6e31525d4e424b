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

    /// The checkpoint a block's body describes, or the first thing wrong with it.
    public static func parse(_ code: String, line: Int) -> Result<Checkpoint, CheckpointProblem> {
        let read = read(code, line: line)
        if let first = read.problems.first { return .failure(CheckpointProblem(first.message)) }
        guard let checkpoint = read.checkpoint else { return .failure(CheckpointProblem("a checkpoint needs `id: EXERCISE-ID`")) }
        return .success(checkpoint)
    }

    /// The checkpoint a block's body describes and every problem in it, each with the body line
    /// (0-based) it is on; a missing `id:` is on line -1, the fence.
    public static func read(_ code: String, line: Int) -> (checkpoint: Checkpoint?, problems: [(offset: Int, message: String)]) {
        var id: String?
        var seed = defaultSeed
        var problems: [(offset: Int, message: String)] = []
        for (offset, raw) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = text.firstIndex(of: ":") else {
                problems.append((offset, "a checkpoint line is `id: EXERCISE-ID` or `seed: N`; got `\(text)`"))
                continue
            }
            let key = text[..<colon].trimmingCharacters(in: .whitespaces)
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "id":
                guard !value.isEmpty, !value.contains(" ") else {
                    problems.append((offset, "`id:` needs an exercise id, such as `id: heads-split-dims`"))
                    continue
                }
                id = value
            case "seed":
                if let number = UInt64(value), number <= 0xFFFF_FFFF {
                    seed = number
                } else if !value.isEmpty, value.allSatisfy(\.isNumber) {
                    problems.append((offset, "`seed:` \(value.prefix(30)) is out of range: a variant seed is at most 4294967295"))
                } else {
                    problems.append((offset, "`seed:` needs a whole number from 0 to 4294967295; got `\(value)`"))
                }
            default:
                problems.append((offset, "a checkpoint has only `id:` and `seed:`; got `\(key):`"))
            }
        }
        if id == nil, !problems.contains(where: { $0.message.hasPrefix("`id:`") }) { problems.append((-1, "a checkpoint needs `id: EXERCISE-ID`")) }
        return (id.map { Checkpoint(id: $0, seed: seed, line: line) }, problems)
    }

    /// The command that poses it outside the lesson.
    public var command: String { "mhalearn practice --id \(id) --seed \(seed)" }

    /// Every checkpoint block at the top level of `document` (or nested in quotes and lists), with
    /// problems for the malformed ones.
    public static func all(in document: MarkdownDocument, path: String) -> (checkpoints: [Checkpoint], problems: [Diagnostic]) {
        var checkpoints: [Checkpoint] = []
        var problems: [Diagnostic] = []
        func walk(_ blocks: [Block], nested: String?) {
            for block in blocks {
                switch block {
                case let .codeBlock(info, code, position) where isCheckpoint(info):
                    let read = read(code, line: position.line)
                    for problem in read.problems {
                        problems.append(Diagnostic(.error, at: SourceLocation(path: path, line: position.line + 1 + max(problem.offset, -1), column: 1), problem.message))
                    }
                    if read.problems.isEmpty, let checkpoint = read.checkpoint {
                        checkpoints.append(checkpoint)
                        if let nested {
                            problems.append(Diagnostic(.warning, at: SourceLocation(path: path, line: position.line, column: 1),
                                "this checkpoint is inside \(nested), where `lesson --interactive` cannot stop to ask it (it shows the Try-it line instead); move it to the top level of the lesson"))
                        }
                    }
                case let .blockQuote(children, _): walk(children, nested: nested ?? "a quote")
                case let .list(list, _): list.items.forEach { walk($0.blocks, nested: nested ?? "a list item") }
                default: break
                }
            }
        }
        walk(document.blocks, nested: nil)
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
