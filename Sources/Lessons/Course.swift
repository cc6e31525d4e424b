import Foundation
import Support
import Yams

/// The order of the lessons, from `lessons/course.yaml`:
///
/// ```yaml
/// lessons:
///   - attention
///   - multi-head
///   - kv-cache
/// ```
///
/// A name with no `lessons/NAME.md` is skipped and reported by `check`; a lesson file the course
/// does not name comes after the named ones, by name, and is reported too. Without the file the
/// lessons are in name order.
public struct Course: Sendable {
    /// A problem of the file, at its line and column.
    public struct Problem: Equatable, Sendable {
        /// The 1-based line.
        public var line: Int
        /// The 1-based column.
        public var column: Int
        /// What is wrong.
        public var message: String
    }

    /// Lesson names in course order, as the file lists them.
    public var order: [String]
    /// What is wrong with the file, for `check`.
    public var problems: [Problem]
    /// Where each listed name stands in the file.
    public var places: [String: (line: Int, column: Int)] = [:]
    /// Where `lessons:` stands (line 1 when the file has none).
    public var listLine = 1

    /// The course of a content folder: `root/lessons/course.yaml` read (an empty order without the file).
    public static func load(root: URL) -> Course {
        load(fileAt: root.appendingPathComponent("lessons/course.yaml"))
    }

    /// The course file at `url`; no file is an empty course.
    public static func load(fileAt url: URL) -> Course {
        guard let data = try? AuthorFile.read(url) else { return Course(order: [], problems: []) }
        let text = String(decoding: data, as: UTF8.self)
        do {
            guard let root = try Yams.compose(yaml: text), let list = root.mapping?["lessons"], let names = list.sequence else {
                return Course(order: [], problems: [Problem(line: 1, column: 1, message: "expected `lessons:` followed by a list of lesson names (`- multi-head`)")])
            }
            var course = Course(order: [], problems: [])
            course.listLine = root.mapping?.keys.first { $0.string == "lessons" }?.mark?.line ?? 1
            for node in names {
                let line = node.mark?.line ?? course.listLine, column = node.mark?.column ?? 1
                guard let name = node.scalar?.string, !name.isEmpty else {
                    course.problems.append(Problem(line: line, column: column, message: "every entry of `lessons:` must be a lesson name"))
                    continue
                }
                if course.order.contains(name) {
                    course.problems.append(Problem(line: line, column: column, message: "`\(name)` is listed twice"))
                } else {
                    course.order.append(name)
                    course.places[name] = (line, column)
                }
            }
            return course
        } catch let error as YamlError {
            var line = 1, column = 1
            if case .scanner(_, _, let mark, _) = error { (line, column) = (mark.line, mark.column) }
            if case .parser(_, _, let mark, _) = error { (line, column) = (mark.line, mark.column) }
            return Course(order: [], problems: [Problem(line: line, column: column, message: "not valid YAML (\(error)); lessons are shown in name order")])
        } catch {
            return Course(order: [], problems: [Problem(line: 1, column: 1, message: "not valid YAML (\(error)); lessons are shown in name order")])
        }
    }

    /// `lessons` in course order: the named ones first, in the file's order, then the rest by name.
    public func ordered(_ lessons: [LessonEntry]) -> [LessonEntry] {
        let rank = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return lessons.sorted { a, b in
            switch (rank[a.name], rank[b.name]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.name < b.name
            }
        }
    }

    /// Names in the course without a lesson file, and lesson files the course does not name (when it names any).
    public func mismatches(_ lessons: [LessonEntry]) -> [Problem] {
        var problems = self.problems
        let names = Set(lessons.map(\.name))
        for name in order where !names.contains(name) {
            let place = places[name] ?? (listLine, 1)
            problems.append(Problem(line: place.line, column: place.column, message: "lists `\(name)`, but there is no lessons/\(name).md; it is skipped"))
        }
        if !order.isEmpty {
            for lesson in lessons where !order.contains(lesson.name) {
                problems.append(Problem(line: listLine, column: 1, message: "does not list lessons/\(lesson.name).md; it is shown after the listed lessons"))
            }
        }
        return problems
    }
}
