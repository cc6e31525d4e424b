import ArgumentParser
import Exercises
import Foundation
import MarkdownTerminal
import Progress

extension ProgressCommand {
    /// `--import FILE` and `--export FILE`: one record shared by the terminal and the web course.
    func transfer(_ store: ProgressStore) throws {
        if let importFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: importFile))
            } catch {
                Standard.error("error: cannot read \(sanitize(importFile)): \((error as NSError).localizedDescription)")
                throw ExitCode.failure
            }
            guard let file = try? JSONDecoder().decode(ProgressFile.self, from: data) else {
                Standard.error("error: \(sanitize(importFile)) is not an mhalearn progress file (the web course's \"Download progress\", or `mhalearn progress --export FILE`).")
                throw ExitCode.failure
            }
            let root = try contentOptions.root()
            let bank = ExerciseBank.load(root: root.appendingPathComponent("exercises"), relativeTo: root)
            do {
                let merged = try store.merge(file, exercises: bank.exercises)
                for reason in merged.skipped { Standard.error("warning: skipped \(sanitize(reason))") }
                Standard.output("Imported \(merged.added) finished question\(merged.added == 1 ? "" : "s") and \(merged.lessons) lesson\(merged.lessons == 1 ? "" : "s") read from \(sanitize(importFile))"
                                + (file.results.count - merged.added - merged.skipped.count > 0 ? " (\(file.results.count - merged.added - merged.skipped.count) already here)" : "") + ".\n")
            } catch {
                Standard.error("error: \(error)")
                throw ExitCode.failure
            }
        }
        if let exportFile {
            do {
                let file = try store.exportFile()
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(file).write(to: URL(fileURLWithPath: exportFile), options: .atomic)
                Standard.output("Wrote \(file.results.count) finished question\(file.results.count == 1 ? "" : "s") and \(file.lessons.count) lesson\(file.lessons.count == 1 ? "" : "s") read to \(sanitize(exportFile)); import it on the web course's index page.\n")
            } catch {
                Standard.error("error: cannot write \(sanitize(exportFile)): \(error)")
                throw ExitCode.failure
            }
        }
    }
}
