import Foundation
import Exercises
import Grading
import MarkdownTerminal

/// One exported variant of a question: its HTML and its answer key as data for the WebAssembly grader.
struct ExportedVariant {
    /// The question it was drawn as.
    let question: Question

    /// Markdown rendered by cmark's HTML renderer (the same as lesson text).
    static func html(_ markdown: String) -> String {
        let document = MarkdownDocument(parsing: markdown)
        switch document.html(drawing: { _ in nil }) {
        case .success(let html): return html
        case .failure: return HTMLText.escape(markdown)
        }
    }

    /// The prompt, options included, as the terminal poses it.
    var promptHTML: String { ExportedVariant.html(PromptRenderer.markdown(for: question)) }

    /// The answer, every option with ✓ or ✗ and its feedback, and the explanation: what the terminal
    /// shows once a question is over.
    var revealHTML: String {
        var text = ""
        if question.options.isEmpty {
            text += "<p class=\"answer\"><strong>The answer:</strong> \(HTMLText.escape(question.answerDescription))</p>\n"
        } else {
            let letters = question.options.indices.filter { question.options[$0].correct }.map(PresentedOption.letter)
            text += "<p class=\"answer\"><strong>The answer:</strong> \(HTMLText.escape(letters.isEmpty ? "none of the options" : letters.joined(separator: ", ")))</p>\n<ul class=\"options\">\n"
            for (index, option) in question.options.enumerated() {
                let mark = option.correct ? "✓" : "✗"
                var line = "<li class=\"\(option.correct ? "right" : "wrong")\"><span aria-label=\"\(option.correct ? "right" : "not right")\">\(mark)</span> "
                line += "\(PresentedOption.letter(index))) " + inline(option.text)
                if let feedback = option.feedback?.trimmingCharacters(in: .whitespacesAndNewlines), !feedback.isEmpty {
                    line += " — " + inline(feedback)
                }
                text += line + "</li>\n"
            }
            text += "</ul>\n"
        }
        return text + "<div class=\"explanation\">" + ExportedVariant.html(question.explanation) + "</div>\n"
    }

    /// Markdown that belongs on one line, without its paragraph.
    func inline(_ markdown: String) -> String {
        var html = ExportedVariant.html(markdown.replacingOccurrences(of: "\n", with: " ")).trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>"), html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return html
    }

    /// The variant as data for the page script.
    var json: String {
        let hints = question.hints.map { KeyCoding.jsonString(ExportedVariant.html($0)) }.joined(separator: ",")
        return "{\"seed\":\(question.seed),\"key\":\(KeyCoding.jsonString(KeyCoding.encode(question.answerKey)))"
            + ",\"prompt\":\(KeyCoding.jsonString(promptHTML)),\"hints\":[\(hints)],\"reveal\":\(KeyCoding.jsonString(revealHTML))}"
    }
}

/// A question on a page: the first variant written out (readable without JavaScript), the rest as data.
struct QuestionHTML {
    let exercise: Exercise
    let variants: [ExportedVariant]
    /// A unique id on the page.
    let anchor: String

    var html: String {
        guard let first = variants.first else { return "" }
        let title = HTMLText.escape(exercise.id)
        var text = "<section class=\"question\" id=\"\(anchor)\" data-exercise=\"\(HTMLText.escape(exercise.id))\" data-attempts=\"\(exercise.attempts)\" aria-labelledby=\"\(anchor)-title\">\n"
        text += "<h3 id=\"\(anchor)-title\">\(title)</h3>\n"
        text += "<div class=\"prompt\">\(first.promptHTML)</div>\n"
        text += "<form class=\"answer-form\" hidden><label for=\"\(anchor)-input\">Your answer</label> "
        text += "<input id=\"\(anchor)-input\" name=\"answer\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"\(AnswerReader.maximumLength)\"> "
        text += "<button type=\"submit\">Check</button> <button type=\"button\" class=\"hint\">Hint</button> "
        text += "<button type=\"button\" class=\"skip\">Show the answer</button>"
        if variants.count > 1 { text += " <button type=\"button\" class=\"another\">Another variant</button>" }
        text += "</form>\n<div class=\"hints\" aria-live=\"polite\"></div><div class=\"feedback\" role=\"status\" aria-live=\"polite\"></div>\n"
        if !first.question.hints.isEmpty {
            text += "<details class=\"static-hints\"><summary>Hints</summary>" + first.question.hints.map { ExportedVariant.html($0) }.joined() + "</details>\n"
        }
        text += "<details class=\"reveal\"><summary>Answer and explanation</summary>\(first.revealHTML)</details>\n"
        text += "<script type=\"application/json\" class=\"variants\">[" + variants.map(\.json).joined(separator: ",") + "]</script>\n"
        return text + "</section>\n"
    }
}
