import Foundation
import ExpressionLanguage
import MarkdownTerminal
import Support

/// What `check` adds for the course: every lesson checkpoint names an exercise of the bank, and the
/// course file (`lessons/course.yaml`) matches the lesson files (a mismatch is a warning; looked at
/// only when the whole course is checked, `check` without paths).
public enum CourseCheck {
    /// The findings for `lessons` (each shown as `display` gives it), whose checkpoints must name
    /// one of `exerciseIDs` (asked for only when a lesson has a checkpoint); with `wholeCourse` and
    /// the content folder `root`, the course file's mismatches with `root/lessons/` too; and each
    /// course file of `courses` against the lessons beside it.
    public static func diagnostics(lessons: [URL], courses: [URL] = [], display: (URL) -> String, root: URL?,
                                   wholeCourse: Bool, exerciseIDs: () -> Set<String>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var ids: Set<String>?
        func bank() -> Set<String> {
            if let ids { return ids }
            let found = exerciseIDs()
            ids = found
            return found
        }
        for lesson in lessons {
            guard let text = try? LessonCatalog.read(lesson) else { continue }
            let path = display(lesson)
            let (checkpoints, problems) = Checkpoint.all(in: MarkdownDocument(parsing: text), path: path)
            diagnostics += problems
            for checkpoint in checkpoints where !bank().contains(checkpoint.id) {
                var message = "checkpoint names exercise `\(checkpoint.id)`, which is not in the exercise bank"
                if let match = closest(checkpoint.id, in: bank().sorted()) { message += "; did you mean `\(match)`?" }
                diagnostics.append(Diagnostic(.error, at: SourceLocation(path: path, line: checkpoint.line + 1, column: 1), message))
            }
        }
        if wholeCourse, let root, lessons.contains(where: { $0.deletingLastPathComponent().standardizedFileURL == root.appendingPathComponent("lessons").standardizedFileURL }) {
            let course = Course.load(root: root)
            let file = display(root.appendingPathComponent("lessons/course.yaml"))
            for problem in course.mismatches(LessonCatalog.lessons(in: root)) {
                diagnostics.append(Diagnostic(.warning, at: SourceLocation(path: file, line: problem.line, column: problem.column), problem.message))
            }
        }
        for url in courses {
            let lessons = LessonCatalog.lessons(in: url.deletingLastPathComponent().deletingLastPathComponent())
            for problem in Course.load(fileAt: url).mismatches(lessons) {
                diagnostics.append(Diagnostic(.warning, at: SourceLocation(path: display(url), line: problem.line, column: problem.column), problem.message))
            }
        }
        return diagnostics
    }
}
