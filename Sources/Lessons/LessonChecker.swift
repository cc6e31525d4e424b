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
    }
}

/// Proves lessons: evaluates every directive and every `expect` claim, as `mhalearn check` does.
public enum LessonChecker {
    /// Checks the Markdown `source` of a lesson shown as `path` in diagnostics.
    public static func check(source: String, path: String) -> LessonCheckReport {
        let lesson = LessonEvaluation(source: source, path: path)
        var report = LessonCheckReport()
        report.lessons = 1
        report.diagnostics = lesson.diagnostics
        report.claims = lesson.claims
        report.claimsProved = lesson.claimsProved
        report.claimsSkipped = lesson.claimsSkipped
        report.skipReason = lesson.skipReason
        report.directives = lesson.directives
        return report
    }

    /// Checks the lesson file at `url`; an unreadable file is one diagnostic at line 1.
    public static func check(fileAt url: URL, displayPath: String? = nil) -> LessonCheckReport {
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
            report.diagnostics.insert(Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), "this file is not valid UTF-8."), at: 0)
            return report
        }
        return check(source: text, path: path)
    }
}
