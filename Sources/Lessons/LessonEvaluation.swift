import Foundation
import Support
import MarkdownTerminal
import LiveValues
import ExpressionLanguage

/// A lesson (or any Markdown with live numbers) evaluated top to bottom.
///
/// Reads the two directive forms: an inline code span starting with `= ` (replaced by its value) and
/// a fenced block with info string `mha` whose lines are `NAME = EXPR`, `show EXPR` or `expect EXPR`
/// (replaced by what its `show` lines render). Gives the transformed document for the renderer,
/// every problem as a `Diagnostic` at the expression's line and column in the file, and the claims.
///
/// ```swift
/// let lesson = LessonEvaluation(source: text, path: "lessons/multi-head.md")
/// print(TerminalRenderer(width: 80, color: false).render(lesson.document))
/// lesson.diagnostics.forEach { print($0) }          // path:line:col: error: …
/// ```
public struct LessonEvaluation: Sendable {
    /// The file name used in diagnostics.
    public let path: String
    /// The document with directives replaced by their values, ready for `TerminalRenderer`.
    public private(set) var document: MarkdownDocument
    /// Every problem found, in source order.
    public private(set) var diagnostics: [Diagnostic] = []
    /// How many `expect` claims the text makes.
    public private(set) var claims = 0
    /// How many of them hold.
    public private(set) var claimsProved = 0
    /// How many claims were skipped because a model they need is not installed (each skip also
    /// leaves a `note` diagnostic; skipped claims are neither proved nor failed).
    public private(set) var claimsSkipped = 0
    /// Why directives were skipped, when any were: the first `ModelUnavailableError` met.
    public private(set) var skipReason: ModelUnavailableError?
    /// How many directives (inline values and block statements) were evaluated.
    public private(set) var directives = 0
    /// The bindings at the end of the text (initial bindings plus every `NAME = EXPR`).
    public private(set) var bindings: [String: Value]
    /// What the lesson is computed for (`--model`, `--given`); the defaults unless rebound.
    public let binding: LessonBinding
    /// The parameters its ```params block declares, with the value each was bound to.
    public private(set) var parameters: [(parameter: LessonParameter, value: Value)] = []
    /// How many `<!-- if EXPR -->` conditions held, and how many did not (their text was left out).
    public private(set) var conditionsMet = 0
    public private(set) var conditionsUnmet = 0

    /// True when nothing went wrong: no errors and every claim holds.
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }

    private let lines: [[Character]]
    private let firstLine: Int
    private let indent: Int
    private var failedNames: Set<String> = []
    private var skippedNames: [String: ModelUnavailableError] = [:]
    /// Where each name is first bound by an ```mha block (source line, from 1), to say so when it is used too early.
    private var boundAt: [String: Int] = [:]
    /// Whether a ```params block, and an ```mha block, were met yet.
    private var sawParams = false
    private var sawDirectiveBlock = false

    /// What evaluating one expression gave.
    private enum Outcome {
        case value(Value)
        /// An error, already reported.
        case failed
        /// Needs a model that is not installed.
        case skipped(ModelUnavailableError)
    }

    /// Evaluates `source`, the Markdown text of the file at `path`.
    ///
    /// - Parameters:
    ///   - bindings: names visible from the start (an exercise's givens, for instance).
    ///   - firstLine: the file line where `source` starts (for text embedded in another file, such
    ///     as an exercise prompt in YAML); diagnostics add it.
    ///   - indent: columns the embedded text is indented by in that file.
    ///   - binding: the model and hand-set values the lesson's ```params block is bound to.
    public init(source: String, path: String, bindings: [String: Value] = [:], firstLine: Int = 1, indent: Int = 0,
                binding: LessonBinding = .defaults) {
        self.init(document: MarkdownDocument(parsing: source), source: source, path: path, bindings: bindings,
                  firstLine: firstLine, indent: indent, binding: binding)
    }

    /// Evaluates an already parsed `document` whose text is `source`.
    public init(document: MarkdownDocument, source: String, path: String, bindings: [String: Value] = [:],
                firstLine: Int = 1, indent: Int = 0, binding: LessonBinding = .defaults) {
        self.path = path
        self.bindings = bindings
        self.binding = binding
        self.firstLine = firstLine
        self.indent = indent
        self.lines = LessonEvaluation.splitLines(source)
        self.document = document
        self.boundAt = LessonEvaluation.bindingLines(lines)
        let blocks = transform(document.blocks)
        self.document = MarkdownDocument(blocks: blocks)
    }

    /// Replaces every `` `= EXPR` `` in plain text with its value under `bindings`, for one-line text
    /// outside Markdown rendering; throws the first `ExpressionError` (column within `text`).
    public static func substitute(_ text: String, bindings: [String: Value]) throws -> String {
        let scalars = Array(text.unicodeScalars.map(Character.init))
        var result = ""
        var index = 0
        let evaluator = Evaluator(live: bindings)
        while index < scalars.count {
            guard scalars[index] == "`" else {
                result.append(scalars[index])
                index += 1
                continue
            }
            var run = 0
            while index + run < scalars.count, scalars[index + run] == "`" { run += 1 }
            let contentStart = index + run
            var end = contentStart
            var close: Int?
            while end < scalars.count {
                if scalars[end] == "`" {
                    var other = 0
                    while end + other < scalars.count, scalars[end + other] == "`" { other += 1 }
                    if other == run { close = end; break }
                    end += other
                } else {
                    end += 1
                }
            }
            guard let close else {
                result += String(scalars[index..<contentStart])
                index = contentStart
                continue
            }
            let content = String(scalars[contentStart..<close])
            let trimmed = content.hasPrefix(" ") && content.hasSuffix(" ") && content.count > 2 ? String(content.dropFirst().dropLast()) : content
            if trimmed.hasPrefix("= ") {
                let expression = String(trimmed.dropFirst(2))
                do {
                    result += try evaluator.evaluate(expression).description
                } catch let error as ExpressionError {
                    let offset = contentStart + (content.count - trimmed.count) / 2 + 2 + (expression.count - expression.drop(while: { $0 == " " }).count)
                    throw error.shifted(by: offset)
                }
            } else {
                result += String(scalars[index..<(close + run)])
            }
            index = close + run
        }
        return result
    }

    // MARK: Walking the document in source order

    private mutating func transform(_ blocks: [Block]) -> [Block] {
        var result: [Block] = []
        var regions: [ConditionRegion] = []
        for block in blocks {
            if case let .htmlBlock(html, position) = block, let marker = Condition.marker(html) {
                let line = max(0, position.line - 1)
                let column = line < lines.count && marker != .else && marker != .end ? Condition.expressionColumn(in: lines[line]) : 0
                handle(marker, regions: &regions, origin: (line, column))
                continue
            }
            if case let .htmlBlock(html, position) = block, Condition.isMisplaced(html) {
                report((max(0, position.line - 1), 0), "a `<!-- if … -->` that starts a line must be alone on it (cmark reads the rest of the line as HTML); put the text on the next line, or the condition after the sentence's first word.")
                continue
            }
            guard regions.allSatisfy(\.including) else { continue }
            switch block {
            case let .heading(level, content, position):
                result.append(.heading(level: level, content: transform(content, block: position), position: position))
            case let .paragraph(content, position):
                result.append(.paragraph(transform(content, block: position), position: position))
            case let .blockQuote(children, position):
                result.append(.blockQuote(transform(children), position: position))
            case .list(var list, let position):
                for index in list.items.indices {
                    list.items[index].blocks = transform(list.items[index].blocks)
                }
                result.append(.list(list, position: position))
            case let .codeBlock(info, code, position) where LessonEvaluation.isDirectiveBlock(info):
                sawDirectiveBlock = true
                result += runBlock(code, at: position)
            case let .codeBlock(info, code, position) where LessonEvaluation.isParamsBlock(info):
                runParams(code, at: position)
            default:
                result.append(block)
            }
        }
        for region in regions { report(region.origin, "this `<!-- if … -->` has no `<!-- end -->` after it at the same level (the same list item or quote).") }
        return result
    }

    // MARK: Conditional text

    /// One open `<!-- if EXPR -->`: whether its text is shown, whether its `<!-- else -->` was met.
    private struct ConditionRegion {
        var holds: Bool
        var inElse = false
        var outerIncluding: Bool
        let origin: (line: Int, column: Int)
        var including: Bool { outerIncluding && (inElse ? !holds : holds) }
    }

    /// Opens, flips or closes a region for `marker`, evaluating an `if`'s condition when its text could be shown.
    private mutating func handle(_ marker: Condition.Marker, regions: inout [ConditionRegion], origin: (line: Int, column: Int)) {
        let outer = regions.allSatisfy(\.including)
        switch marker {
        case .if(let source):
            directives += 1
            let holds = outer ? condition(source, origin: origin) : false
            regions.append(ConditionRegion(holds: holds, outerIncluding: outer, origin: origin))
        case .else:
            guard let last = regions.indices.last, !regions[last].inElse else {
                report(origin, regions.isEmpty ? "this `<!-- else -->` has no `<!-- if … -->` before it at the same level." : "this `<!-- if … -->` already has an `<!-- else -->`.")
                return
            }
            regions[last].inElse = true
        case .end:
            guard !regions.isEmpty else {
                report(origin, "this `<!-- end -->` has no `<!-- if … -->` before it at the same level.")
                return
            }
            regions.removeLast()
        }
    }

    /// Evaluates an `<!-- if EXPR -->` condition: it must be true or false, like an `expect`.
    private mutating func condition(_ source: String, origin: (line: Int, column: Int)) -> Bool {
        switch evaluate(source, origin: origin, role: "condition") {
        case .value(.boolean(let holds)):
            if holds { conditionsMet += 1 } else { conditionsUnmet += 1 }
            return holds
        case .value(let value):
            report(origin, "a condition must be true or false; `\(source)` is \(value.kindName) (\(value.quotedDescription)).")
            return false
        case .failed, .skipped:
            return false
        }
    }

    // MARK: Parameters

    /// Binds the ```params block's names: `--given`, else the model's field, else the default.
    private mutating func runParams(_ code: String, at position: SourcePosition) {
        let fence = (line: max(0, position.line - 1), column: 0)
        if sawParams {
            report(fence, "a lesson has one ```params block; merge this one into the first.")
            return
        }
        if sawDirectiveBlock {
            report(fence, "the ```params block must come before the first ```mha block, so every block sees the parameters.")
        }
        sawParams = true
        var codeLines = LessonEvaluation.splitLines(code)
        if codeLines.last?.isEmpty == true { codeLines.removeLast() }
        for (offset, scalars) in codeLines.enumerated() {
            let lineIndex = position.line + offset
            let sourceLine = lineIndex < lines.count ? lines[lineIndex] : scalars
            let base = max(0, sourceLine.count - scalars.count)
            let text = String(scalars)
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            directives += 1
            guard let parameter = LessonParameters.parse(text, line: firstLine + lineIndex) else {
                report((lineIndex, base + text.prefix(while: { $0 == " " || $0 == "\t" }).count),
                       "expected `NAME = DEFAULT` or `NAME = DEFAULT from FIELD` in a params block; got `\(trimmed)`.")
                continue
            }
            if let field = parameter.field, !LessonParameters.fields.contains(field) {
                let guess = closest(field, in: LessonParameters.fields)
                report((lineIndex, base + (parameter.fieldColumn ?? 1) - 1),
                       "a published model has no field `\(field)`" + (guess.map { "; did you mean `\($0)`?" } ?? "; fields: " + LessonParameters.fields.joined(separator: ", ") + "."))
                continue
            }
            let origin = (line: lineIndex, column: base + parameter.defaultColumn - 1)
            guard case .value(let fallback) = evaluate(parameter.defaultSource, origin: origin, role: "default") else {
                failedNames.insert(parameter.name)
                continue
            }
            var value = fallback
            if let model = binding.model, let field = parameter.field {
                if field == "model" {
                    value = .object(model)
                } else if let fieldValue = model.member(field) {
                    value = fieldValue
                } else {
                    report(origin, "\(model.displayName) has no `\(field)` for the parameter \(parameter.name).")
                }
            }
            if let given = binding.given[parameter.name] {
                if LessonParameters.sameKind(given, fallback) {
                    value = given
                } else {
                    report(origin, "--given \(parameter.name)=\(given.description): \(parameter.name) is \(fallback.kindName) (its default is \(fallback.quotedDescription)), not \(given.kindName).")
                }
            }
            bindings[parameter.name] = value
            failedNames.remove(parameter.name)
            parameters.append((parameter, value))
        }
    }

    /// The lines of `text` as Unicode scalars, split at `\n`, `\r\n` or a lone `\r` as CommonMark does.
    static func splitLines(_ text: String) -> [[Character]] {
        var lines: [[Character]] = [[]]
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousWasReturn { lines.append([]) }
                previousWasReturn = false
            } else if scalar == "\r" {
                lines.append([])
                previousWasReturn = true
            } else {
                lines[lines.count - 1].append(Character(scalar))
                previousWasReturn = false
            }
        }
        return lines
    }

    /// Whether a fenced block's info string marks it as `mha` directives.
    public static func isDirectiveBlock(_ info: String?) -> Bool {
        guard let info else { return false }
        return info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "mha"
    }

    /// Whether a fenced block's info string marks it as the lesson's `params` block.
    public static func isParamsBlock(_ info: String?) -> Bool {
        guard let info else { return false }
        return info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "params"
    }

    private mutating func transform(_ inlines: [Inline], block: SourcePosition) -> [Inline] {
        var regions: [ConditionRegion] = []
        var kept: [Inline] = []
        for inline in inlines {
            if case .html(let html) = inline, let marker = Condition.marker(html) {
                let start = locateSpan(html, near: block, block: block)
                let column = start.line < lines.count && marker != .else && marker != .end
                    ? Condition.expressionColumn(in: Array(lines[start.line][start.column...])) : 0
                handle(marker, regions: &regions, origin: (start.line, start.column + column))
                continue
            }
            if regions.allSatisfy(\.including) { kept.append(inline) }
        }
        for region in regions { report(region.origin, "this `<!-- if … -->` has no `<!-- end -->` after it in the same paragraph.") }
        if kept.count != inlines.count { kept = Condition.tidySpaces(kept) }
        return kept.map { inline in
            switch inline {
            case let .code(text, position) where text.hasPrefix("= "):
                return inlineValue(text, at: position, block: block)
            case let .emphasis(children): return .emphasis(transform(children, block: block))
            case let .strong(children): return .strong(transform(children, block: block))
            case let .link(destination, title, content):
                return .link(destination: destination, title: title, content: transform(content, block: block))
            default: return inline
            }
        }
    }

    // MARK: Inline values

    private mutating func inlineValue(_ text: String, at position: SourcePosition, block: SourcePosition) -> Inline {
        directives += 1
        let expression = String(text.dropFirst(2))
        let leading = expression.prefix(while: { $0 == " " }).count
        let start = locateSpan(text, near: position, block: block)
        let origin = advance(start, by: 2 + leading)
        switch evaluate(expression, origin: origin, role: "inline value") {
        case .value(let value):
            return .value(LessonEvaluation.inlineText(value))
        case .failed:
            return .code(text, position: position)
        case .skipped(let reason):
            diagnostics.append(Diagnostic(.note, at: location(origin), "skipped this value: \(reason)"))
            return .emphasis([.text("(needs \(reason.model), not installed)")])
        }
    }

    /// How a value reads inside a sentence.
    public static func inlineText(_ value: Value) -> String {
        switch value {
        case .object(let object as HeatmapValue): return object.title
        case .integer(let number) where abs(number) >= 10_000: return grouped(number)
        default: return value.description
        }
    }

    /// An integer with commas between groups of three digits, as prose writes large numbers.
    static func grouped(_ number: Int) -> String { NumberText.grouped(number) }

    /// The file position (line index into `lines`, scalar column index) where the span's content starts.
    private func locateSpan(_ text: String, near position: SourcePosition, block: SourcePosition) -> (line: Int, column: Int) {
        let firstLineText = Array(text.unicodeScalars.map(Character.init).prefix { $0 != "\n" })
        let probe = Array(firstLineText.prefix(max(1, min(firstLineText.count, 24))))
        let lineIndex = max(0, position.line - 1)
        let candidates = position.line == block.line && position.column == block.column
            ? Array(lineIndex..<min(lines.count, lineIndex + 50)) : [lineIndex]
        for index in candidates where index < lines.count {
            let line = lines[index]
            let hint = index == lineIndex ? scalarColumn(ofByteColumn: position.column, in: line) : 0
            if let found = find(probe, in: line, from: max(0, hint - 3)) ?? find(probe, in: line, from: 0) {
                return (index, found)
            }
        }
        return (lineIndex, scalarColumn(ofByteColumn: position.column, in: lineIndex < lines.count ? lines[lineIndex] : []))
    }

    private func scalarColumn(ofByteColumn byteColumn: Int, in line: [Character]) -> Int {
        var bytes = 0
        for (index, character) in line.enumerated() {
            if bytes >= byteColumn - 1 { return index }
            bytes += character.utf8.count
        }
        return line.count
    }

    private func find(_ needle: [Character], in line: [Character], from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= line.count else { return nil }
        var index = max(0, start)
        while index + needle.count <= line.count {
            if Array(line[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// Moves `offset` scalars forward through the source, treating a line break plus the next
    /// line's indentation as the single space cmark turns it into.
    private func advance(_ start: (line: Int, column: Int), by offset: Int) -> (line: Int, column: Int) {
        var (line, column) = start
        var remaining = offset
        while remaining > 0 {
            guard line < lines.count else { break }
            if column < lines[line].count {
                column += 1
            } else if line + 1 < lines.count {
                line += 1
                column = lines[line].prefix(while: { $0 == " " || $0 == "\t" || $0 == ">" }).count
            } else {
                column += 1
            }
            remaining -= 1
        }
        return (line, column)
    }

    private func location(_ origin: (line: Int, column: Int), plus expressionColumn: Int = 1) -> SourceLocation {
        let spot = advance(origin, by: expressionColumn - 1)
        return SourceLocation(path: path, line: firstLine + spot.line, column: indent + spot.column + 1)
    }

    // MARK: Blocks

    private mutating func runBlock(_ code: String, at position: SourcePosition) -> [Block] {
        var shown: [Block] = []
        let skippedBefore = (claims: claimsSkipped, shows: showsSkipped, statements: statementsSkipped)
        var codeLines = LessonEvaluation.splitLines(code)
        if codeLines.last?.isEmpty == true { codeLines.removeLast() }
        for (offset, scalars) in codeLines.enumerated() {
            let lineIndex = position.line + offset
            let sourceLine = lineIndex < lines.count ? lines[lineIndex] : scalars
            let base = max(0, sourceLine.count - scalars.count)
            let leading = scalars.prefix(while: { $0 == " " || $0 == "\t" }).count
            let statement = String(scalars.dropFirst(leading))
            let column = base + leading
            if statement.isEmpty || statement.hasPrefix("#") || statement.hasPrefix("//") { continue }
            directives += 1
            let showsBefore = showsSkipped
            if let blocks = runStatement(statement, line: lineIndex, column: column, position: position) {
                // one notice per block, however many of its shows were skipped
                if showsSkipped > showsBefore, showsBefore > skippedBefore.shows { continue }
                shown += blocks
            }
        }
        noteSkips(since: skippedBefore, at: position)
        return shown
    }

    private var showsSkipped = 0
    private var statementsSkipped = 0

    /// One note for the block at `position` when some of its statements were skipped.
    private mutating func noteSkips(since before: (claims: Int, shows: Int, statements: Int), at position: SourcePosition) {
        let claims = claimsSkipped - before.claims, shows = showsSkipped - before.shows
        let others = statementsSkipped - before.statements
        guard claims + shows + others > 0, let reason = skipReason else { return }
        func count(_ number: Int, _ word: String) -> String? { number == 0 ? nil : "\(number) \(word)\(number == 1 ? "" : "s")" }
        let parts = [count(claims, "claim"), count(shows, "show"), claims + shows == 0 ? count(others, "statement") : nil].compactMap { $0 }
        let what = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "") : parts.joined()
        diagnostics.append(Diagnostic(.note, at: location((max(0, position.line - 1), 0)), "skipped \(what): \(reason)"))
    }

    /// The block a learner reads where output needing a missing model would be.
    static func notice(for reason: ModelUnavailableError, position: SourcePosition) -> Block {
        var inlines: [Inline] = []
        for (index, piece) in reason.notice.components(separatedBy: "`").enumerated() where !piece.isEmpty {
            inlines.append(index % 2 == 1 ? .code(piece, position: position) : .text(piece))
        }
        return .blockQuote([.paragraph(inlines, position: position)], position: position)
    }

    private mutating func runStatement(_ statement: String, line: Int, column: Int, position: SourcePosition) -> [Block]? {
        let origin = (line: line, column: column)
        if let rest = LessonEvaluation.afterKeyword("show", in: statement) {
            let offset = statement.count - rest.count
            switch evaluate(rest, origin: (line, column + offset), role: "show") {
            case .value(let value): return [ShowRenderer.block(for: value, position: position)]
            case .failed: return nil
            case .skipped(let reason):
                showsSkipped += 1
                return [LessonEvaluation.notice(for: reason, position: position)]
            }
        }
        if let rest = LessonEvaluation.afterKeyword("expect", in: statement) {
            let offset = statement.count - rest.count
            claims += 1
            checkClaim(rest, origin: (line, column + offset))
            return nil
        }
        if let (name, rest) = LessonEvaluation.binding(in: statement) {
            let offset = statement.count - rest.count
            if Lexer.keywords.contains(name) || name == "show" || name == "expect" {
                report(origin, "`\(name)` is a reserved word; pick another name.")
                return nil
            }
            switch evaluate(rest, origin: (line, column + offset), role: "binding") {
            case .value(let value):
                bindings[name] = value
                failedNames.remove(name)
                skippedNames[name] = nil
            case .failed:
                failedNames.insert(name)
                skippedNames[name] = nil
                bindings[name] = nil
            case .skipped(let reason):
                statementsSkipped += 1
                skippedNames[name] = reason
                failedNames.remove(name)
                bindings[name] = nil
            }
            return nil
        }
        let first = String(statement.prefix { $0.isLetter })
        let guess = ["show", "expect"].first { LessonEvaluation.isSlip(first.lowercased(), of: $0) }
        report(origin, "expected `NAME = EXPR`, `show EXPR` or `expect EXPR` in an mha block; got `\(statement)`"
               + (guess.map { "; did you mean `\($0)`?" } ?? "."))
        return nil
    }

    /// Whether `word` is one slip (a letter wrong, missing, extra, or two swapped) away from `keyword`.
    static func isSlip(_ word: String, of keyword: String) -> Bool {
        let a = Array(word), b = Array(keyword)
        guard a != b, abs(a.count - b.count) <= 1, !a.isEmpty else { return false }
        if a.count == b.count {
            let differ = a.indices.filter { a[$0] != b[$0] }
            return differ.count == 1 || (differ.count == 2 && differ[1] == differ[0] + 1 && a[differ[0]] == b[differ[1]] && a[differ[1]] == b[differ[0]])
        }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        return long.indices.contains { index in Array(long[..<index] + long[(index + 1)...]) == short }
    }

    static func afterKeyword(_ keyword: String, in statement: String) -> String? {
        guard statement.hasPrefix(keyword) else { return nil }
        let rest = statement.dropFirst(keyword.count)
        guard let first = rest.first, first == " " || first == "\t" else { return nil }
        return String(rest.drop(while: { $0 == " " || $0 == "\t" }))
    }

    static func binding(in statement: String) -> (String, String)? {
        let scalars = Array(statement)
        var index = 0
        guard let first = scalars.first, first == "_" || first.isLetter else { return nil }
        while index < scalars.count, scalars[index] == "_" || scalars[index].isLetter || (scalars[index].isASCII && scalars[index].isNumber) {
            index += 1
        }
        let name = String(scalars[..<index])
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        guard index < scalars.count, scalars[index] == "=", index + 1 >= scalars.count || scalars[index + 1] != "=" else { return nil }
        index += 1
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        return (name, String(scalars[index...]))
    }

    // MARK: Evaluation and claims

    private mutating func report(_ origin: (line: Int, column: Int), column: Int = 1, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location(origin, plus: column), message))
    }

    /// Evaluates `source` at `origin`; reports failures (quietly when one only repeats a failure
    /// already reported for a binding it uses). An expression that needs a model that is not
    /// installed, directly or through a binding, is skipped rather than failed.
    private mutating func evaluate(_ source: String, origin: (line: Int, column: Int), role: String) -> Outcome {
        if source.trimmingCharacters(in: .whitespaces).isEmpty {
            report(origin, "this \(role) has no expression.")
            return .failed
        }
        do {
            let expression = try Evaluator.parse(source)
            let names = failedNames.isEmpty && skippedNames.isEmpty ? [] : LessonEvaluation.names(in: expression)
            if names.contains(where: failedNames.contains) { return .failed }
            let skipped = skippedNames
            if let reason = names.sorted().compactMap({ skipped[$0] }).first { return .skipped(reason) }
            return .value(try Evaluator(live: bindings).evaluate(expression))
        } catch let error as ModelUnavailableError {
            skipReason = skipReason ?? error
            return .skipped(error)
        } catch let error as ExpressionError {
            var message = error.message
            if case .unknownName(let name) = error.kind, let line = boundAt[name], line > origin.line - firstLine + 1 {
                message += " `\(name)` is bound later, by the mha block at line \(line + firstLine - 1); move that block above this use."
            }
            report(origin, column: error.column, message)
        } catch {
            report(origin, "\(error)")
        }
        return .failed
    }

    /// The line (from 1) where each name is first bound by a `NAME = EXPR` statement of an ```mha block.
    static func bindingLines(_ lines: [[Character]]) -> [String: Int] {
        var result: [String: Int] = [:]
        var inBlock = false
        for (index, characters) in lines.enumerated() {
            let line = String(characters).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inBlock = !inBlock && line.dropFirst(3).trimmingCharacters(in: .whitespaces).hasPrefix("mha")
                continue
            }
            if inBlock, let (name, _) = binding(in: line), result[name] == nil { result[name] = index + 1 }
        }
        return result
    }

    private mutating func checkClaim(_ source: String, origin: (line: Int, column: Int)) {
        let value: Value
        switch evaluate(source, origin: origin, role: "expect") {
        case .value(let result): value = result
        case .failed: return
        case .skipped:
            claimsSkipped += 1
            return
        }
        guard case .boolean(let holds) = value else {
            report(origin, "expect needs a claim that is true or false; `\(source)` is \(value.kindName) (\(value.quotedDescription)).")
            return
        }
        if holds {
            claimsProved += 1
            return
        }
        let explanation = (try? Evaluator.parse(source)).flatMap { ClaimExplainer(source: source, evaluator: Evaluator(live: bindings)).explain($0) }
        report(origin, "claim is false: " + (explanation ?? "`\(source)` is false."))
    }

    static func names(in expression: ExpressionLanguage.Expression) -> Set<String> {
        switch expression {
        case .literal: return []
        case .name(let name, _): return [name]
        case .list(let items, _): return items.reduce(into: []) { $0.formUnion(names(in: $1)) }
        case .unary(_, let operand, _): return names(in: operand)
        case .binary(_, let left, let right, _): return names(in: left).union(names(in: right))
        case .call(let callee, let arguments, _):
            return arguments.reduce(into: names(in: callee)) { $0.formUnion(names(in: $1.value)) }
        case .member(let base, _, _): return names(in: base)
        case .index(let base, let index, _): return names(in: base).union(names(in: index))
        }
    }
}
