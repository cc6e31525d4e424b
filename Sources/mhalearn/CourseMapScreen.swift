import Exercises
import Foundation
import Lessons
import MarkdownTerminal
import Practice
import Progress

/// The course map `mhalearn` shows with no arguments at a terminal.
enum CourseMapScreen {
    /// Prints the map; false (nothing printed) when there is no content to map, so help is shown instead.
    static func show() -> Bool {
        guard let root = try? ContentLocator.locate(explicit: nil) else { return false }
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        let now: Date
        let loaded: (snapshot: ProgressSnapshot, warnings: [String])
        do {
            now = try ProgressClock.now()
            loaded = try store.snapshot()
        } catch {
            Standard.error("error: \(error)")
            Foundation.exit(1)
        }
        for warning in loaded.warnings { Standard.error("warning: \(warning)") }
        let exercises = store.cachedBank(root: root)
            ?? ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root).exercises.map(BankEntry.init)
        let lessons = Course.load(root: root).ordered(LessonCatalog.lessons(in: root))
        let map = CourseMap(lessons: lessons.map { ($0.name, $0.title) }, exercises: exercises, progress: loaded.snapshot, now: now)
        guard let options = try? OutputOptions.parse([]) else { return false }
        let settings = TerminalSettings(options: options)
        var text = map.text(style: TerminalStyle(color: settings.color), width: settings.width, detail: false, file: store.fileURL.path)
        text += TerminalStyle(color: settings.color).dim("More: `mhalearn progress` (detail), `mhalearn --help` (every command).") + "\n"
        Standard.output(text)
        return true
    }
}
