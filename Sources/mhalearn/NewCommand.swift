import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal

/// `mhalearn new exercise|lesson`: writes a commented template that already passes `check`.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new exercise or lesson from a commented template that already passes check.",
        discussion: """
        Files are written under the content folder: --content DIR, else $MHALEARN_HOME, else the \
        current folder. An existing file is never overwritten. Edit the template, then run \
        `mhalearn check --watch PATH` to see it proved on every save.

        Examples:
          mhalearn new exercise --set heads --kind number head-width
          mhalearn new lesson grouped-queries
        """,
        subcommands: [NewExerciseCommand.self, NewLessonCommand.self]
    )
}

/// Where `new` writes: `--content`, `$MHALEARN_HOME`, or the current folder.
struct NewTarget: ParsableArguments {
    @Option(help: ArgumentHelp("Write under DIR (default: $MHALEARN_HOME, else the current folder).", valueName: "DIR"))
    var content: String?

    func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let content { return URL(fileURLWithPath: content) }
        if let home = environment["MHALEARN_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Writes `text` to `relative` under the root, refusing to overwrite; prints what to do next.
    func write(_ text: String, to relative: String, command: String) throws {
        let root = root()
        let url = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) {
            throw usageFailure("\(sanitize(url.path)) already exists; choose another name (nothing was written).", command: command)
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            Standard.error("error: cannot write \(url.path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        let shown = content == nil && ProcessInfo.processInfo.environment["MHALEARN_HOME"].map(\.isEmpty) != false ? relative : url.path
        Standard.output("Wrote \(sanitize(shown)). Next: edit it, then run `mhalearn check --watch \(sanitize(shown))`.\n")
    }
}

/// `mhalearn new exercise --set S --kind K ID`.
struct NewExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Write exercises/SET/ID.yaml: one exercise of the given kind, commented, that passes check."
    )

    @Option(help: ArgumentHelp("The set (folder under exercises/) the exercise belongs to.", valueName: "SET"))
    var set: String

    @Option(help: ArgumentHelp("number, shape, choice, multi or text.", valueName: "KIND"))
    var kind: String = "number"

    @Argument(help: ArgumentHelp("The exercise id: lowercase letters, digits and single dashes.", valueName: "ID"))
    var id: String

    @OptionGroup var target: NewTarget

    func validate() throws {
        let pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
        if id.range(of: pattern, options: .regularExpression) == nil {
            throw ValidationError("the id '\(sanitize(id))' must be lowercase letters, digits and single dashes, such as head-width.")
        }
        if set.range(of: pattern, options: .regularExpression) == nil {
            throw ValidationError("the set '\(sanitize(set))' must be lowercase letters, digits and single dashes, such as multi-head.")
        }
        if ExerciseKind(rawValue: kind) == nil {
            throw ValidationError("unknown kind '\(sanitize(kind))'; choose number, shape, choice, multi or text.")
        }
    }

    func run() throws {
        let root = target.root()
        let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
        if let existing = bank.exercises.first(where: { $0.id == id }) {
            throw usageFailure("`\(id)` is already an exercise id, at \(sanitize(existing.location.description)); ids are unique in the bank, so choose another (nothing was written).", command: "new exercise")
        }
        let exerciseKind = ExerciseKind(rawValue: kind) ?? .number
        try target.write(Templates.exercise(id: id, kind: exerciseKind), to: "exercises/\(set)/\(id).yaml", command: "new exercise")
    }
}

/// `mhalearn new lesson NAME`.
struct NewLessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Write lessons/NAME.md: a short lesson with live numbers and checked claims, that passes check."
    )

    @Argument(help: ArgumentHelp("The lesson name: lowercase letters, digits and single dashes.", valueName: "NAME"))
    var name: String

    @OptionGroup var target: NewTarget

    func validate() throws {
        if name.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) == nil {
            throw ValidationError("the lesson name '\(sanitize(name))' must be lowercase letters, digits and single dashes, such as grouped-queries.")
        }
    }

    func run() throws {
        try target.write(Templates.lesson(name: name), to: "lessons/\(name).md", command: "new lesson")
        let course = target.root().appendingPathComponent("lessons/course.yaml")
        switch Self.addToCourse(name, file: course) {
        case .added: print("Added \(name) to lessons/course.yaml, last in the course; move its line to place it.")
        case .listed: break
        case .failed(let why): Standard.error("warning: \(why); add `  - \(name)` to lessons/course.yaml yourself.")
        }
    }

    enum CourseEdit: Equatable { case added, listed, failed(String) }

    /// Appends `name` to the course file's `lessons:` list (creating the file when there is none),
    /// keeping the rest of the file as written.
    static func addToCourse(_ name: String, file: URL) -> CourseEdit {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let text = "# The order in which a learner reads the lessons (see docs/authoring.md, \"Course order\").\nlessons:\n  - \(name)\n"
            do { try Data(text.utf8).write(to: file, options: .withoutOverwriting) } catch { return .failed("cannot write \(file.path)") }
            return .added
        }
        guard var text = String(data: data, encoding: .utf8) else { return .failed("lessons/course.yaml is not UTF-8 text") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "- \(name)" }) { return .listed }
        guard let header = lines.firstIndex(where: { $0.hasPrefix("lessons:") }),
              lines[header].trimmingCharacters(in: .whitespaces) == "lessons:" else { return .failed("lessons/course.yaml has no `lessons:` list of `- name` lines") }
        var last = header
        var indent = "  "
        for index in (header + 1)..<lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") {
                last = index
                indent = String(lines[index].prefix { $0 == " " })
            } else if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                break
            }
        }
        var edited = lines
        edited.insert("\(indent)- \(name)", at: last + 1)
        text = edited.joined(separator: "\n")
        do { try Data(text.utf8).write(to: file, options: .atomic) } catch { return .failed("cannot write \(file.path)") }
        return .added
    }
}

/// The templates `new` writes; each passes `mhalearn check` as written.
enum Templates {
    static func exercise(id: String, kind: ExerciseKind) -> String {
        let header = """
        # An exercise file: `format: 1`, then a list of exercises. `mhalearn check` proves every
        # variant of each one: the key passes its own grader, each `wrong` answer gets its own
        # feedback, every example agrees with the key. See docs/authoring.md.
        format: 1
        exercises:
          - id: \(id)
            kind: \(kind.rawValue)
            tags: [multi-head]

        """
        let body: String
        switch kind {
        case .number:
            body = """
                # Each variant draws one value of every parameter: a list, or {from:, to:, step:}.
                given:
                  d_model: [256, 512, 768, 1024]
                  h: [4, 8, 16]
                # Only combinations where this holds are posed (here: d_model splits evenly).
                where: d_model % h == 0
                # Markdown; each `= EXPR` span is computed for the variant.
                prompt: |
                  A layer has d_model = `= d_model` and `= h` heads. How many dimensions wide
                  is each head?
                # The key, computed by the attention core for every variant.
                answer: 'mha(d_model: d_model, heads: h, tokens: 4).d_k'
                # Answers you worked out by hand: check fails if the key disagrees with one.
                examples:
                  - {d_model: 512, h: 8, answer: 64}
                # Mistakes learners make, each with the feedback its misconception deserves.
                # Add `when: EXPR` to an entry that should apply to some variants only.
                wrong:
                  - answer: d_model
                    feedback: That is the width of the whole layer; the heads split it between them.
                  - answer: d_model * h
                    feedback: The heads share d_model rather than each getting all of it. Divide.
                # Shown one at a time, gentlest first.
                hints:
                  - The heads divide the model's width equally.
                explain: |
                  d_k = d_model / h = `= d_model` / `= h` = `= d_model // h`.

            """
        case .shape:
            body = """
                given:
                  t: {from: 3, to: 12}
                  d_model: [256, 512, 768]
                  h: [4, 8]
                where: d_model % h == 0
                prompt: |
                  `= t` tokens go through a layer with d_model = `= d_model` and `= h` heads.
                  What shape is the layer's output (tokens first)?
                # A shape: an expression giving a shape, or a list such as [t, d_model].
                answer: 'mha(d_model: d_model, heads: h, tokens: t).output.shape'
                examples:
                  - {t: 4, d_model: 512, h: 8, answer: [4, 512]}
                wrong:
                  - answer: [t, d_model // h]
                    feedback: That is one head's output; W_O maps the concatenated heads back to d_model.
                  - answer: [h, t, d_model // h]
                    feedback: That is the heads before they are concatenated and projected.
                hints:
                  - The output has one row per token, as wide as the input.
                explain: |
                  The heads' outputs are concatenated back to `= d_model` and projected by W_O,
                  so the output is [`= t`, `= d_model`], the same shape as the input.

            """
        case .choice:
            body = """
                prompt: Why does multi-head attention use several heads instead of one wide head?
                # Exactly one option is `correct: true`; options are shuffled for each variant.
                options:
                  - text: Each head can attend to a different kind of relationship.
                    correct: true
                    feedback: Yes; separate projections let the heads specialise.
                  - text: Several heads have many more parameters.
                    feedback: The projections have the same total size either way.
                  - text: One head cannot attend to more than one token.
                    feedback: A single head's softmax can spread over many tokens.
                explain: The same width, split into heads, gives several independent attention patterns.

            """
        case .multi:
            body = """
                prompt: Which of these do all heads of one layer share?
                # One or more options are `correct: true`; answers get partial credit.
                options:
                  - text: The input sequence
                    correct: true
                  - text: The output projection W_O
                    correct: true
                    feedback: W_O mixes the concatenated heads together.
                  - text: Their query projection weights
                    feedback: Each head has its own slice of W_Q.
                explain: Heads read the same input and are mixed by one W_O, but project and attend separately.

            """
        case .text:
            body = """
                prompt: After the heads run, their outputs are joined side by side. What is that step called?
                # Every form accepted as right (case and spacing do not matter).
                accept: [concatenation, concat, concatenate]
                wrong:
                  - text: addition
                    feedback: The outputs are placed side by side, not summed.
                hints:
                  - The joined width is h × d_k.
                explain: Concatenation puts the h outputs of width d_k side by side, giving width d_model again.

            """
        }
        return header + body
    }

    static func lesson(name: String) -> String {
        let title = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return """
        # \(title)

        <!-- A lesson is Markdown. Each `= EXPR` span is computed by the attention core when the
             lesson is shown, and `mhalearn check` evaluates every one. An ```mha block binds
             names and states claims with `expect`, which check proves. See docs/authoring.md. -->

        ```mha
        layer = mha(d_model: 512, heads: 8, tokens: 6)
        expect layer.d_k == 64
        expect layer.output.shape == [6, 512]
        ```

        A layer with d_model = `= layer.d_model` and `= layer.heads` heads gives each head
        `= layer.d_k` dimensions. For `= layer.tokens` tokens its output has shape
        `= layer.output.shape`, the same as its input.

        """
    }
}
