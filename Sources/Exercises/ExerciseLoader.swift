import AttentionCore
import Foundation
import Yams
import LiveValues
import ExpressionLanguage
import Support

/// What reading one exercise file produced: the exercises that are well formed and every problem found.
public struct ExerciseLoadResult: Sendable {
    /// The file with its well-formed exercises (malformed ones are left out).
    public var file: ExerciseFile
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Whether the file had no errors.
    public var isClean: Bool { !diagnostics.contains { $0.severity == .error } }

    /// A result whose diagnostics are each reported once (YAML aliases can bring the same node,
    /// and so the same mistake, back many times).
    init(file: ExerciseFile, diagnostics: [Diagnostic]) {
        self.file = file
        var seen = Set<String>()
        self.diagnostics = diagnostics.filter { seen.insert($0.description).inserted }
    }
}

/// Reads exercise files (YAML, `format: 1`) into `Exercise` values, reporting every mistake with its location.
public enum ExerciseLoader {
    /// The fields an exercise may have.
    public static let exerciseFields = ["id", "kind", "tags", "given", "where", "prompt", "answer", "tolerance",
                                        "options", "accept", "wrong", "hints", "explain", "attempts", "unit", "concept"]

    /// Fields that only `check` reads: hand-worked examples of the key.
    public static let checkFields = ["examples"]

    /// Reads the file at `url`; `set` defaults to the name of its folder.
    public static func load(fileAt url: URL, set: String? = nil, displayPath: String? = nil) -> ExerciseLoadResult {
        let path = displayPath ?? url.path
        let setName = set ?? url.deletingLastPathComponent().lastPathComponent
        let data: Data
        do {
            // The limits a lesson obeys (8 MiB, a regular file), before YAML sees a byte.
            data = try AuthorFile.read(url)
        } catch {
            let reason = (error as? AuthorFile.Refusal)?.message ?? "cannot read the file (\(error.localizedDescription))"
            let diagnostic = Diagnostic(at: SourceLocation(path: path, line: 1, column: 1), reason)
            return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: []), diagnostics: [diagnostic])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let diagnostic = Diagnostic(at: SourceLocation(path: path, line: 1, column: 1), "the file is not UTF-8 text")
            return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: []), diagnostics: [diagnostic])
        }
        return load(yaml: text, path: path, set: setName)
    }

    /// Reads exercises from YAML text; `path` is used in diagnostics.
    public static func load(yaml: String, path: String, set: String) -> ExerciseLoadResult {
        var reader = NodeReader(path: path, source: yaml)
        if let (line, column) = YAMLNesting.firstPlaceDeeper(than: YAMLNesting.limit, in: yaml) {
            reader.error(at: SourceLocation(path: path, line: line, column: column),
                         "the YAML nests deeper than \(YAMLNesting.limit) levels here; an exercise file needs only a few, so it is not read")
            return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: []), diagnostics: reader.diagnostics)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            reader.report(yamlError: error)
            return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: []), diagnostics: reader.diagnostics)
        }
        guard let root, let mapping = root.mapping else {
            reader.error(at: root.map(reader.location) ?? reader.start, "an exercise file is a mapping with `format: 1` and `exercises:`")
            return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: []), diagnostics: reader.diagnostics)
        }
        let fields = reader.fields(of: mapping, allowed: ["format", "exercises"], what: "the file")
        if let format = fields["format"] {
            if format.int != 1 {
                reader.error(at: reader.location(format), "unsupported `format: \(format.string ?? "?")`; this version reads `format: 1`")
            }
        } else {
            reader.error(at: reader.location(root), "missing field `format` (write `format: 1` at the top of the file)")
        }
        var exercises: [Exercise] = []
        if let list = fields["exercises"] {
            if let sequence = list.sequence {
                if sequence.isEmpty {
                    reader.error(at: reader.location(list), "`exercises` is empty; a file holds at least one exercise")
                }
                var seen: [String: SourceLocation] = [:]
                for item in sequence {
                    let exercise = reader.exercise(item, set: set)
                    guard let id = item.mapping?["id"]?.scalar?.string else { continue }
                    let here = reader.location(item)
                    if let first = seen[id] {
                        reader.error(at: here, "duplicate exercise id `\(id)` (first used at \(first.line):\(first.column))")
                    } else {
                        seen[id] = here
                        if let exercise { exercises.append(exercise) }
                    }
                }
            } else {
                reader.error(at: reader.location(list), "`exercises` must be a list of exercises (each item starts with `- id:`)")
            }
        } else {
            reader.error(at: reader.location(root), "missing field `exercises`")
        }
        let sorted = reader.diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return ExerciseLoadResult(file: ExerciseFile(path: path, exercises: exercises), diagnostics: sorted)
    }
}

/// A bound on how deeply YAML text nests, checked before parsing: the YAML composer recurses once per
/// level, so a hostile file nested thousands of levels deep would overflow the stack.
enum YAMLNesting {
    /// The deepest nesting read; an exercise file needs about six levels.
    static let limit = 100

    /// The line and column (from 1) where the nesting of block indentation, `- ` items and flow
    /// brackets first goes past `limit`, or nil when it never does. An over-estimate is fine: it
    /// only has to be at least the real depth.
    static func firstPlaceDeeper(than limit: Int, in text: String) -> (line: Int, column: Int)? {
        var indents: [Int] = []
        var flow = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            var column = 0
            while column < characters.count, characters[column] == " " { column += 1 }
            guard column < characters.count, characters[column] != "#" else { continue }
            if flow == 0 {
                while let last = indents.last, last >= column { indents.removeLast() }
                indents.append(column)
            }
            var items = 0
            var quote: Character?
            for (index, character) in characters.enumerated().dropFirst(column) {
                if let open = quote {
                    if character == open { quote = nil }
                    continue
                }
                switch character {
                case "\"", "'": quote = character
                case "[", "{": flow += 1
                case "]", "}": flow = max(0, flow - 1)
                case "-" where flow == 0 && (index + 1 == characters.count || characters[index + 1] == " ")
                    && characters[column..<index].allSatisfy({ $0 == " " || $0 == "-" }):
                    items += 1
                default: break
                }
                if indents.count + items + flow > limit { return (number + 1, index + 1) }
                if character == "#" && index > 0 && characters[index - 1] == " " { break }
            }
            if indents.count + items + flow > limit { return (number + 1, column + 1) }
        }
        return nil
    }
}

/// Walks a composed YAML tree, turning nodes into values and mistakes into diagnostics.
struct NodeReader {
    let path: String
    let lines: [[Unicode.Scalar]]
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String, source: String) {
        self.path = path
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    var start: SourceLocation { SourceLocation(path: path, line: 1, column: 1) }

    mutating func error(at location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: location, message))
    }

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return start }
        return SourceLocation(path: path, line: mark.line, column: mark.column)
    }

    /// Where the text of a scalar starts: after quotes, or on the first content line of a block scalar.
    func textLocation(_ node: Node) -> SourceLocation {
        guard case .scalar(let scalar) = node else { return location(node) }
        let base = location(node)
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            return SourceLocation(path: path, line: base.line, column: base.column + 1)
        case .literal, .folded:
            let firstLine = scalar.string.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            return find(firstLine, from: base) ?? base
        default:
            return base
        }
    }

    /// The first place at or after `from` where `needle` (one line) occurs in the source.
    func find(_ needle: String, from: SourceLocation) -> SourceLocation? {
        let target = Array(needle.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard !target.isEmpty else { return nil }
        var lineIndex = max(from.line - 1, 0)
        var startColumn = max(from.column - 1, 0)
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            if line.count >= target.count, startColumn <= line.count - target.count {
                for column in startColumn...(line.count - target.count) where Array(line[column..<(column + target.count)]) == target {
                    return SourceLocation(path: path, line: lineIndex + 1, column: column + 1)
                }
            }
            lineIndex += 1
            startColumn = 0
        }
        return nil
    }

    mutating func report(yamlError error: Error) {
        guard let yamlError = error as? YamlError else {
            self.error(at: start, "cannot read the YAML: \(error)")
            return
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if let context, problem.contains("end of stream") {
                self.error(at: SourceLocation(path: path, line: context.mark.line, column: context.mark.column),
                           "YAML syntax: \(context.text.replacingOccurrences(of: "while ", with: "")) starts here and is never closed (the file ends first)")
                return
            }
            var message = "YAML syntax: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            if problem.contains("did not find expected") || problem.contains("mapping values are not allowed") {
                message += "; check this line's indentation, and quote text that contains `: `"
            }
            self.error(at: SourceLocation(path: path, line: mark.line, column: mark.column), message)
        case .reader(let problem, let offset, _, let yaml):
            var location = start
            if let offset {
                let prefix = yaml.prefix(offset)
                let line = prefix.filter { $0 == "\n" }.count + 1
                let column = (prefix.split(separator: "\n", omittingEmptySubsequences: false).last?.unicodeScalars.count ?? 0) + 1
                location = SourceLocation(path: path, line: line, column: column)
            }
            self.error(at: location, "cannot read the YAML: \(problem)")
        default:
            self.error(at: start, "cannot read the YAML: \(yamlError)")
        }
    }

    /// The fields of a mapping, reporting duplicates and unknown keys.
    mutating func fields(of mapping: Node.Mapping, allowed: [String], what: String) -> [String: Node] {
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(at: location(key), "a field name must be plain text")
                continue
            }
            guard allowed.contains(name) else {
                var message = "unknown field `\(name)` in \(what)"
                if let suggestion = closest(name, in: allowed) {
                    message += "; did you mean `\(suggestion)`?"
                } else {
                    message += "; expected one of \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
                }
                error(at: location(key), message)
                continue
            }
            if result[name] != nil {
                error(at: location(key), "duplicate field `\(name)` in \(what)")
                continue
            }
            result[name] = value
        }
        return result
    }

    mutating func string(_ node: Node, field: String) -> String? {
        guard case .scalar(let scalar) = node else {
            var message = "`\(field)` must be text, not a \(Self.describe(node))"
            // `- Divide by h: each head gets a slice` is a one-pair mapping to YAML: the `: ` split it.
            if let pairs = node.mapping, pairs.count == 1, let pair = pairs.first,
               let key = pair.key.scalar?.string, let value = pair.value.scalar?.string {
                let text = "\(key): \(value)".replacingOccurrences(of: "\"", with: "\\\"")
                message += "; YAML read the `: ` in it as a key and a value. Quote text that contains `: `, as in \"\(text.prefix(60))\""
            }
            error(at: location(node), message)
            return nil
        }
        return scalar.string
    }

    mutating func nonEmptyString(_ node: Node, field: String) -> String? {
        guard let text = string(node, field: field) else { return nil }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(at: location(node), "`\(field)` is empty")
            return nil
        }
        return text
    }

    /// An expression: a scalar, or a flow list of scalars (`[11, 64]`) read back as a list expression.
    mutating func expression(_ node: Node, field: String) -> Located<String>? {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                error(at: location(node), "`\(field)` is empty; it needs an expression")
                return nil
            }
            return Located(text, at: textLocation(node))
        case .sequence(let sequence):
            var parts: [String] = []
            for item in sequence {
                guard let text = item.scalar?.string else {
                    error(at: location(item), "`\(field)` list items must be numbers or expressions")
                    return nil
                }
                parts.append(text)
            }
            return Located("[" + parts.joined(separator: ", ") + "]", at: location(node))
        case .mapping:
            error(at: location(node), "`\(field)` must be an expression, not a mapping")
            return nil
        }
    }

    mutating func stringList(_ node: Node, field: String) -> [Located<String>]? {
        guard let sequence = node.sequence else {
            error(at: location(node), "`\(field)` must be a list (`- item` lines or `[a, b]`), not a \(Self.describe(node))")
            return nil
        }
        var result: [Located<String>] = []
        for item in sequence {
            if let text = nonEmptyString(item, field: "\(field) item") {
                result.append(Located(text, at: textLocation(item)))
            }
        }
        return result
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar: return "single value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        }
    }

    // MARK: Exercises

    mutating func exercise(_ node: Node, set: String) -> Exercise? {
        guard let mapping = node.mapping else {
            error(at: location(node), "each exercise must be a mapping of fields (`id:`, `kind:`, `prompt:` …), not a \(Self.describe(node))")
            return nil
        }
        let errorsBefore = diagnostics.count
        let fields = self.fields(of: mapping, allowed: ExerciseLoader.exerciseFields + ExerciseLoader.checkFields, what: "an exercise")
        let here = location(node)

        var id: String?
        if let node = fields["id"], let text = nonEmptyString(node, field: "id") {
            if text.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) == nil {
                error(at: location(node), "id `\(text)` must be lowercase letters, digits and single dashes")
            } else {
                id = text
            }
        } else if fields["id"] == nil {
            error(at: here, "missing field `id`")
        }

        var kind: ExerciseKind?
        if let node = fields["kind"], let text = string(node, field: "kind") {
            if let parsed = ExerciseKind(rawValue: text) {
                kind = parsed
            } else {
                var message = "unknown kind `\(text)`; expected number, shape, choice, multi or text"
                if let guess = closest(text, in: ExerciseKind.allCases.map(\.rawValue)) { message += " (did you mean `\(guess)`?)" }
                error(at: location(node), message)
            }
        } else if fields["kind"] == nil {
            error(at: here, "missing field `kind`")
        }

        var tags: [String] = []
        if let node = fields["tags"], let list = stringList(node, field: "tags") { tags = list.map(\.value) }

        var given: [Parameter] = []
        if let node = fields["given"] { given = parameters(node) }

        var whereClause: Located<String>?
        if let node = fields["where"] {
            whereClause = expression(node, field: "where")
            if given.isEmpty && fields["given"] == nil {
                error(at: location(node), "`where` constrains parameters, but the exercise has no `given`")
            }
        }

        var prompt: Located<String>?
        if let node = fields["prompt"] {
            if let text = nonEmptyString(node, field: "prompt") { prompt = Located(text, at: textLocation(node)) }
        } else {
            error(at: here, "missing field `prompt`")
        }

        var explain: String?
        var explainLocation: SourceLocation?
        if let node = fields["explain"] {
            explain = nonEmptyString(node, field: "explain")
            explainLocation = textLocation(node)
        } else {
            error(at: here, "missing field `explain` (every exercise explains its answer)")
        }

        var hints: [String] = []
        var hintLocations: [SourceLocation] = []
        if let node = fields["hints"], let list = stringList(node, field: "hints") {
            hints = list.map(\.value)
            hintLocations = list.map(\.location)
        }

        var attempts = Exercise.defaultAttempts
        if let node = fields["attempts"] {
            if let value = node.scalar.flatMap({ Int($0.string) }), (1...10).contains(value) {
                attempts = value
            } else {
                error(at: location(node), "`attempts` must be a whole number from 1 to 10")
            }
        }

        var answer: Located<String>?
        var tolerance: Double?
        var options: [ChoiceOption] = []
        var accept: [Located<String>] = []
        var wrong: [WrongAnswer] = []
        if let kind {
            let expects: [String] = switch kind {
            case .number: ["answer"]
            case .shape: ["answer"]
            case .choice, .multi: ["options"]
            case .text: ["accept"]
            }
            let forbidden: [String: String] = switch kind {
            case .number: ["options": "number", "accept": "number"]
            case .shape: ["options": "shape", "accept": "shape", "tolerance": "shape"]
            case .choice, .multi: ["answer": kind.rawValue, "accept": kind.rawValue, "tolerance": kind.rawValue,
                                   "wrong": kind.rawValue]
            case .text: ["answer": "text", "options": "text", "tolerance": "text"]
            }
            for name in expects where fields[name] == nil {
                error(at: here, "missing field `\(name)` (a \(kind.rawValue) exercise needs it)")
            }
            for (name, node) in fields.sorted(by: { $0.key < $1.key }) {
                guard let kindName = forbidden[name] else { continue }
                let keyLocation = keyLocation(of: name, in: mapping) ?? location(node)
                let advice: String = switch (name, kind) {
                case ("wrong", .choice), ("wrong", .multi): "; give each option its own `feedback` instead"
                case ("answer", .choice), ("answer", .multi): "; mark options with `correct: true` instead"
                case ("answer", .text): "; list accepted forms under `accept` instead"
                default: ""
                }
                error(at: keyLocation, "a \(kindName) exercise has no `\(name)` field\(advice)")
            }
            if let node = fields["answer"], forbidden["answer"] == nil { answer = expression(node, field: "answer") }
            if let node = fields["tolerance"], forbidden["tolerance"] == nil {
                if let value = node.scalar.flatMap({ Double($0.string) }), value >= 0, value.isFinite {
                    tolerance = value
                } else {
                    error(at: location(node), "`tolerance` must be a number zero or above")
                }
            }
            if let node = fields["options"], forbidden["options"] == nil { options = self.options(node, kind: kind) }
            if let node = fields["accept"], forbidden["accept"] == nil {
                accept = stringList(node, field: "accept") ?? []
                if accept.isEmpty, node.sequence != nil { error(at: location(node), "`accept` is empty; list at least one accepted answer") }
            }
            if let node = fields["wrong"], forbidden["wrong"] == nil { wrong = wrongAnswers(node, kind: kind) }
        }

        var concept: String?
        if let node = fields["concept"], let text = nonEmptyString(node, field: "concept") {
            concept = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var unit: AnswerUnit?
        if let node = fields["unit"] {
            let names = AnswerUnit.allCases.map(\.rawValue).joined(separator: ", ")
            if let kind, kind != .number {
                error(at: location(node), "only a number exercise has a `unit`")
            } else if let name = node.scalar?.string, let named = AnswerUnit(rawValue: name) {
                unit = named
            } else {
                error(at: location(node), "`unit` must be one of \(names)")
            }
        }
        var examples: [WorkedExample] = []
        if let node = fields["examples"], let kind {
            examples = self.examples(node, kind: kind, given: given, key: keyLocation(of: "examples", in: mapping) ?? location(node))
        }

        guard diagnostics.count == errorsBefore, let id, let kind, let prompt, let explain else { return nil }
        var exercise = Exercise(id: id, kind: kind, set: set, tags: tags, given: given, whereClause: whereClause, prompt: prompt,
                                answer: answer, tolerance: tolerance, options: options, accept: accept, wrong: wrong,
                                hints: hints, explain: explain, attempts: attempts, location: here)
        exercise.hintLocations = hintLocations
        exercise.explainLocation = explainLocation
        exercise.examples = examples
        exercise.unit = unit
        exercise.concept = concept
        return exercise
    }

    func keyLocation(of name: String, in mapping: Node.Mapping) -> SourceLocation? {
        for (key, _) in mapping where key.scalar?.string == name { return location(key) }
        return nil
    }

    mutating func parameters(_ node: Node) -> [Parameter] {
        guard let mapping = node.mapping else {
            error(at: location(node), "`given` must be a mapping of parameter names to a list (`[512, 768]`) or a range (`{from: 4, to: 32}`)")
            return []
        }
        var result: [Parameter] = []
        var seen = Set<String>()
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(at: location(key), "a parameter name must be plain text")
                continue
            }
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                error(at: location(key), "parameter name `\(name)` must be letters, digits and underscores, starting with a letter")
                continue
            }
            guard seen.insert(name).inserted else {
                error(at: location(key), "duplicate parameter `\(name)`")
                continue
            }
            switch value {
            case .sequence(let sequence):
                var values: [Value] = []
                for item in sequence {
                    guard case .scalar(let scalar) = item else {
                        error(at: location(item), "values of `\(name)` must be single numbers or words")
                        continue
                    }
                    values.append(Self.value(of: scalar))
                }
                if sequence.isEmpty {
                    error(at: location(value), "`\(name)` lists no values")
                } else if values.count == sequence.count {
                    result.append(Parameter(name: name, domain: .list(values), location: location(key)))
                }
            case .mapping(let rangeMapping):
                let range = fields(of: rangeMapping, allowed: ["from", "to", "step"], what: "the range of `\(name)`")
                var bounds: [String: Int] = [:]
                var ok = true
                for field in ["from", "to", "step"] {
                    guard let boundNode = range[field] else {
                        if field != "step" {
                            error(at: location(value), "the range of `\(name)` needs `\(field)`")
                            ok = false
                        }
                        continue
                    }
                    if let number = boundNode.scalar.flatMap({ Int($0.string) }) {
                        bounds[field] = number
                    } else {
                        error(at: location(boundNode), "`\(field)` of `\(name)` must be a whole number")
                        ok = false
                    }
                }
                let step = bounds["step"] ?? 1
                if let stepNode = range["step"], step <= 0 {
                    error(at: location(stepNode), "`step` of `\(name)` must be 1 or more")
                    ok = false
                }
                if let from = bounds["from"], let to = bounds["to"], from > to {
                    error(at: location(value), "the range of `\(name)` is empty: `from` \(from) is above `to` \(to)")
                    ok = false
                }
                if ok, let from = bounds["from"], let to = bounds["to"], to.subtractingReportingOverflow(from).overflow || to.subtractingReportingOverflow(from).partialValue / step >= Self.maximumRangeValues {
                    error(at: location(value), "the range of `\(name)` has more than \(Self.maximumRangeValues) values; use a `step` or a list")
                    ok = false
                }
                if ok, let from = bounds["from"], let to = bounds["to"] {
                    result.append(Parameter(name: name, domain: .range(from: from, to: to, step: step), location: location(key)))
                }
            case .scalar(let scalar):
                result.append(Parameter(name: name, domain: .list([Self.value(of: scalar)]), location: location(key)))
            }
        }
        return result
    }

    /// The most values one parameter range may have.
    static let maximumRangeValues = 100_000

    static func value(of scalar: Node.Scalar) -> Value {
        let text = scalar.string
        if scalar.style == .plain || scalar.style == .any {
            if let integer = Int(text) { return .integer(integer) }
            if let decimal = Double(text), text.contains(where: { $0.isNumber }) { return .decimal(decimal) }
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
        }
        return .string(text)
    }

    mutating func options(_ node: Node, kind: ExerciseKind) -> [ChoiceOption] {
        guard let sequence = node.sequence else {
            error(at: location(node), "`options` must be a list of `{text:, correct:, feedback:}` entries")
            return []
        }
        var result: [ChoiceOption] = []
        var seenTexts: [String: SourceLocation] = [:]
        for item in sequence {
            guard let mapping = item.mapping else {
                error(at: location(item), "each option is a mapping with `text:`, `correct:` and `feedback:`")
                continue
            }
            let fields = self.fields(of: mapping, allowed: ["text", "correct", "feedback"], what: "an option")
            guard let textNode = fields["text"] else {
                error(at: location(item), "an option needs `text`")
                continue
            }
            guard let text = nonEmptyString(textNode, field: "text") else { continue }
            var correct = false
            if let correctNode = fields["correct"] {
                switch correctNode.scalar?.string.lowercased() {
                case "true", "yes": correct = true
                case "false", "no": correct = false
                default: error(at: location(correctNode), "`correct` must be true or false")
                }
            }
            var feedback: String?
            if let feedbackNode = fields["feedback"] { feedback = nonEmptyString(feedbackNode, field: "feedback") }
            let key = AnswerReader.textKey(text)
            if let first = seenTexts[key] {
                error(at: location(textNode), "two options read the same (first at \(first.line):\(first.column)); a learner could not tell them apart")
            } else {
                seenTexts[key] = location(textNode)
            }
            var option = ChoiceOption(text: text, correct: correct, feedback: feedback, location: location(item))
            option.textLocation = textLocation(textNode)
            option.feedbackLocation = fields["feedback"].map(textLocation)
            result.append(option)
        }
        if result.count == sequence.count {
            let correctCount = result.filter(\.correct).count
            if result.count < 2 {
                error(at: location(node), "a \(kind.rawValue) exercise needs at least two options")
            } else if result.count > 26 {
                error(at: location(node), "at most 26 options (one letter each)")
            } else if kind == .choice && correctCount == 0 {
                error(at: location(node), "a choice exercise needs one option marked `correct: true`, and none is; mark the right option")
            } else if kind == .choice && correctCount > 1 {
                error(at: location(node), "a choice exercise has exactly one option with `correct: true`; this one has \(correctCount) (keep one, or use `kind: multi` if several are right)")
            } else if kind == .multi && correctCount == 0 {
                error(at: location(node), "a multi exercise needs at least one option with `correct: true`")
            }
        }
        return result
    }

    mutating func wrongAnswers(_ node: Node, kind: ExerciseKind) -> [WrongAnswer] {
        guard let sequence = node.sequence else {
            error(at: location(node), "`wrong` must be a list of `{answer:, feedback:}` entries")
            return []
        }
        var result: [WrongAnswer] = []
        let field = kind == .text ? "text" : "answer"
        let other = kind == .text ? "answer" : "text"
        for item in sequence {
            guard let mapping = item.mapping else {
                error(at: location(item), "each `wrong` entry is a mapping with `\(field):` and `feedback:`")
                continue
            }
            let fields = self.fields(of: mapping, allowed: ["answer", "text", "feedback", "when"], what: "a `wrong` entry")
            if fields[other] != nil, let key = keyLocation(of: other, in: mapping) {
                error(at: key, kind == .text
                      ? "a text exercise's wrong answers use `text:`, not `answer:`"
                      : "a \(kind.rawValue) exercise's wrong answers use `answer:` (an expression), not `text:`")
                continue
            }
            var expression: Located<String>?
            var text: Located<String>?
            if let valueNode = fields[field] {
                if kind == .text {
                    if let value = nonEmptyString(valueNode, field: "text") { text = Located(value, at: textLocation(valueNode)) }
                } else {
                    expression = self.expression(valueNode, field: "answer")
                }
            } else {
                error(at: location(item), "a `wrong` entry needs `\(field)`")
            }
            var feedback: String?
            if let feedbackNode = fields["feedback"] {
                feedback = nonEmptyString(feedbackNode, field: "feedback")
            } else {
                error(at: location(item), "a `wrong` entry needs `feedback` (what this misconception deserves to hear)")
            }
            var when: Located<String>?
            if let whenNode = fields["when"] { when = self.expression(whenNode, field: "when") }
            if let feedback, expression != nil || text != nil, fields["when"] == nil || when != nil {
                result.append(WrongAnswer(expression: expression, text: text, feedback: feedback, location: location(item),
                                          when: when, feedbackLocation: fields["feedback"].map(textLocation)))
            }
        }
        return result
    }

    /// `examples:` of a number or shape exercise: a list of mappings, each giving every parameter a
    /// value and the `answer` worked out by hand, such as `- {d_model: 512, h: 8, answer: 64}`.
    mutating func examples(_ node: Node, kind: ExerciseKind, given: [Parameter], key: SourceLocation) -> [WorkedExample] {
        guard kind == .number || kind == .shape else {
            error(at: key, "`examples` check the `answer` of a number or shape exercise; a \(kind.rawValue) exercise has no `answer` to check")
            return []
        }
        guard let sequence = node.sequence, !sequence.isEmpty else {
            error(at: location(node), "`examples` must be a list of `{name: value, …, answer: …}` entries, one per worked example")
            return []
        }
        let names = given.map(\.name)
        var result: [WorkedExample] = []
        for item in sequence {
            guard let mapping = item.mapping else {
                error(at: location(item), "each example is a mapping of parameter values and `answer`, such as `{\((names.first ?? "n")): 4, answer: 8}`")
                continue
            }
            var values: [String: Value] = [:]
            var answer: Located<String>?
            var ok = true
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.scalar?.string else {
                    error(at: location(keyNode), "a field name must be plain text")
                    ok = false
                    continue
                }
                if name == "answer" {
                    answer = expression(valueNode, field: "answer")
                    if answer == nil { ok = false }
                    continue
                }
                guard names.contains(name) else {
                    var message = "`\(name)` is not a parameter of this exercise"
                    if let guess = closest(name, in: names + ["answer"]) {
                        message += "; did you mean `\(guess)`?"
                    } else {
                        message += names.isEmpty ? "; it has no `given`" : "; its parameters are \(names.map { "`\($0)`" }.joined(separator: ", "))"
                    }
                    error(at: location(keyNode), message)
                    ok = false
                    continue
                }
                guard case .scalar(let scalar) = valueNode else {
                    error(at: location(valueNode), "the value of `\(name)` in an example must be one number or word")
                    ok = false
                    continue
                }
                values[name] = Self.value(of: scalar)
            }
            let missing = names.filter { values[$0] == nil }
            if !missing.isEmpty {
                error(at: location(item), "this example does not give \(missing.map { "`\($0)`" }.joined(separator: ", ")); an example gives every parameter a value")
                ok = false
            }
            if answer == nil && ok {
                error(at: location(item), "this example has no `answer`: write the answer you worked out by hand")
                ok = false
            }
            if ok, let answer { result.append(WorkedExample(given: values, answer: answer, location: location(item))) }
        }
        return result
    }
}
