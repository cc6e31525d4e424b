import Foundation
import Exercises
import ExpressionLanguage
import Lessons
import MarkdownTerminal
import Support

/// What `check` adds for the course: every lesson checkpoint names an exercise of the bank, and the
/// course file (`lessons/course.yaml`) matches the lesson files (a mismatch is a warning; looked at
/// only when the whole course is checked, `check` without paths).
enum CourseCheck {
    static func diagnostics(targets: CheckTargets, content: ContentOptions, wholeCourse: Bool) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let root = try? ContentLocator.locate(explicit: content.content)
        var ids: Set<String>?
        func bank() -> Set<String> {
            if let ids { return ids }
            var found = Set<String>()
            if let root {
                found = Set(ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root).exercises.map(\.id))
            }
            for file in targets.exercises {
                found.formUnion(ExerciseLoader.load(fileAt: file, set: file.deletingLastPathComponent().lastPathComponent).file.exercises.map(\.id))
            }
            ids = found
            return found
        }
        for lesson in targets.lessons {
            guard let text = try? LessonCatalog.read(lesson) else { continue }
            let path = targets.display(lesson)
            let (checkpoints, problems) = Checkpoint.all(in: MarkdownDocument(parsing: text), path: path)
            diagnostics += problems
            for checkpoint in checkpoints where !bank().contains(checkpoint.id) {
                var message = "checkpoint names exercise `\(checkpoint.id)`, which is not in the exercise bank"
                if let match = closest(checkpoint.id, in: bank().sorted()) { message += "; did you mean `\(match)`?" }
                diagnostics.append(Diagnostic(.error, at: SourceLocation(path: path, line: checkpoint.line + 1, column: 1), message))
            }
        }
        if wholeCourse, let root, targets.lessons.contains(where: { $0.deletingLastPathComponent().standardizedFileURL == root.appendingPathComponent("lessons").standardizedFileURL }) {
            let course = Course.load(root: root)
            let file = targets.display(root.appendingPathComponent("lessons/course.yaml"))
            for problem in course.mismatches(LessonCatalog.lessons(in: root)) {
                diagnostics.append(Diagnostic(.warning, at: SourceLocation(path: file, line: problem.line, column: problem.column), problem.message))
            }
        }
        for url in targets.courses {
            let lessons = LessonCatalog.lessons(in: url.deletingLastPathComponent().deletingLastPathComponent())
            for problem in Course.load(fileAt: url).mismatches(lessons) {
                diagnostics.append(Diagnostic(.warning, at: SourceLocation(path: targets.display(url), line: problem.line, column: problem.column), problem.message))
            }
        }
        return diagnostics
    }
}
