import Foundation
import LiveValues
import ExpressionLanguage
import Support

/// What checking lesson files found: every problem, and how many claims held.
public struct LessonCheckReport: Sendable {
    /// Every problem, in file order, each at `path:line:col`.
    public var diagnostics: [Diagnostic] = []
    /// How many lesson files were read.
    public var lessons = 0
    /// How many `expect` claims they make.
    public var claims = 0
    /// How many of those claims hold.
    public var claimsProved = 0
    /// How many claims were skipped because a model they need is not installed.
    public var claimsSkipped = 0
    /// Why claims or directives were skipped, when any were.
    public var skipReason: ModelUnavailableError?
    /// How many directives (inline values and `mha` statements) were evaluated.
    public var directives = 0
    /// How many evaluations were made: one per lesson, plus one per model with `--models all`.
    public var bindings = 0

    /// A report with nothing in it yet.
    public init() {}

    /// Whether nothing is wrong.
    public var passed: Bool { !diagnostics.contains { $0.severity == .error } }

    /// Adds another report's findings and counts to this one.
    public mutating func add(_ other: LessonCheckReport) {
        diagnostics += other.diagnostics
        lessons += other.lessons
        claims += other.claims
        claimsProved += other.claimsProved
        claimsSkipped += other.claimsSkipped
        skipReason = skipReason ?? other.skipReason
        directives += other.directives
        bindings += other.bindings
    }
}

/// Proves lessons: evaluates every directive and every `expect` claim, as `mhalearn check` does.
public enum LessonChecker {
    /// Checks the Markdown `source` of a lesson shown as `path` in diagnostics, computed for `binding`
    /// (every diagnostic then ends with the binding, as `(with --model llama-3-8b)`).
    public static func check(source: String, path: String, binding: LessonBinding = .defaults) -> LessonCheckReport {
        let lesson = LessonEvaluation(source: source, path: path, binding: binding)
        var report = LessonCheckReport()
        report.lessons = 1
        report.diagnostics = lesson.diagnostics
        report.claims = lesson.claims
        report.claimsProved = lesson.claimsProved
        report.claimsSkipped = lesson.claimsSkipped
        report.skipReason = lesson.skipReason
        report.directives = lesson.directives
        report.bindings = 1
        if !binding.isDefault {
            report.diagnostics = lesson.diagnostics.map { Diagnostic($0.severity, at: $0.location, $0.message + binding.suffix) }
        }
        return report
    }

    /// Checks `source` at its defaults and then, when its ```params block takes fields from a
    /// published model, once for each of `models`: a claim that breaks for some of them is reported
    /// once at its line, naming them (`(with --model falcon-7b, gemma-2b)`). Notes about skipped
    /// claims come from the defaults only.
    public static func check(source: String, path: String, models: [ModelValue],
                             progress: ((ModelValue) -> Void)? = nil) -> LessonCheckReport {
        var report = check(source: source, path: path)
        let parameters = LessonParameters.declared(in: source)
        guard parameters.contains(where: { $0.field != nil }) else { return report }
        var failures: [(diagnostic: Diagnostic, models: [String])] = []
        let atDefaults = Set(report.diagnostics)
        for model in models {
            progress?(model)
            let lesson = LessonEvaluation(source: source, path: path, binding: LessonBinding(model: model))
            report.claims += lesson.claims
            report.claimsProved += lesson.claimsProved
            report.claimsSkipped += lesson.claimsSkipped
            report.directives += lesson.directives
            report.bindings += 1
            for diagnostic in lesson.diagnostics where diagnostic.severity == .error && !atDefaults.contains(diagnostic) {
                if let index = failures.firstIndex(where: { $0.diagnostic == diagnostic }) {
                    failures[index].models.append(model.published.name)
                } else {
                    failures.append((diagnostic, [model.published.name]))
                }
            }
        }
        for (diagnostic, names) in failures {
            let shown = names.count > 6 ? names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more" : names.joined(separator: ", ")
            report.diagnostics.append(Diagnostic(.error, at: diagnostic.location, diagnostic.message + " (with --model \(shown))"))
        }
        report.diagnostics.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return report
    }

    /// Every catalog model, as `--models all` checks them.
    public static func catalogModels() -> [ModelValue] { ModelValue.catalog }

    /// Checks the lesson file at `url`; an unreadable file is one diagnostic at line 1.
    ///
    /// With `models`, the lesson is also checked for each of them (see `check(source:path:models:)`).
    public static func check(fileAt url: URL, displayPath: String? = nil, models: [ModelValue]? = nil,
                             progress: ((ModelValue) -> Void)? = nil) -> LessonCheckReport {
        let path = displayPath ?? url.path
        let data: Data
        do {
            data = try AuthorFile.read(url)
        } catch let refusal as AuthorFile.Refusal {
            var report = LessonCheckReport()
            report.lessons = 1
            report.diagnostics = [Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), refusal.message)]
            return report
        } catch {
            var report = LessonCheckReport()
            report.lessons = 1
            report.diagnostics = [Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), "cannot read this file: \(error.localizedDescription)")]
            return report
        }
        guard let text = String(data: data, encoding: .utf8) else {
            var report = check(source: String(decoding: data, as: UTF8.self), path: path)
            report.bindings = 1
            report.diagnostics.insert(Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), "this file is not valid UTF-8."), at: 0)
            return report
        }
        if let models { return check(source: text, path: path, models: models, progress: progress) }
        return check(source: text, path: path)
    }
}
