import MarkdownTerminal

/// The links every page carries: the index, each lesson, each practice set.
struct Navigation {
    let lessons: [String]
    let sets: [String]
}

/// The page around the content: head, skip link, navigation, footer. No network request: the
/// style, the script and the grader are files beside the page.
enum PageShell {
    static func page(title: String, depth: Int, nav: Navigation, current: String, body: String) -> String {
        let up = String(repeating: "../", count: depth)
        var links = "<li><a href=\"\(up)index.html\"\(current == "index" ? " aria-current=\"page\"" : "")>Course</a></li>"
        for lesson in nav.lessons {
            links += "<li><a href=\"\(up)lessons/\(HTMLText.escape(lesson)).html\"\(current == "lesson:" + lesson ? " aria-current=\"page\"" : "")>\(HTMLText.escape(lesson))</a></li>"
        }
        for set in nav.sets {
            links += "<li><a href=\"\(up)practice/\(HTMLText.escape(set)).html\"\(current == "set:" + set ? " aria-current=\"page\"" : "")>practice: \(HTMLText.escape(set))</a></li>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTMLText.escape(title)) · mhalearn</title>
        <link rel="stylesheet" href="\(up)assets/style.css">
        </head>
        <body data-page="\(HTMLText.escape(current))">
        <a class="skip-link" href="#main">Skip to the content</a>
        <header><nav aria-label="Course"><ul>\(links)</ul></nav></header>
        <main id="main">
        \(body)
        </main>
        <footer><p>Every number on this page was computed by mhalearn's attention core when the course was exported; answers are graded in your browser by the same grader as <code>mhalearn practice</code>.</p></footer>
        <script src="\(up)assets/grader.js"></script>
        <script src="\(up)assets/app.js"></script>
        </body>
        </html>

        """
    }

    /// The course index: lessons in course order with what each teaches, the practice sets, and
    /// (drawn by the script from this browser's progress) the reviews due.
    static func index(lessons: [(name: String, title: String, summary: String)], sets: [(name: String, count: Int)], nav: Navigation) -> String {
        var body = "<h1>Multi-head attention, computed</h1>\n<p>Read the lessons in order; practise each set until nothing is due.</p>\n"
        body += "<section aria-labelledby=\"due-title\" class=\"due\"><h2 id=\"due-title\">Reviews due</h2><div id=\"due\" aria-live=\"polite\"><p>Your progress is kept in this browser once you answer a question.</p></div>\n"
        body += "<p class=\"progress-file\"><button type=\"button\" id=\"download-progress\" hidden>Download progress</button> "
        body += "<label id=\"import-label\" hidden>Import progress <input type=\"file\" id=\"import-progress\" accept=\".json,application/json\"></label></p></section>\n"
        body += "<section aria-labelledby=\"lessons-title\"><h2 id=\"lessons-title\">Lessons</h2>\n<ol class=\"lessons\">\n"
        for lesson in lessons {
            body += "<li><a href=\"lessons/\(HTMLText.escape(lesson.name)).html\">\(HTMLText.escape(lesson.title))</a><p>\(HTMLText.escape(lesson.summary))</p></li>\n"
        }
        body += "</ol></section>\n<section aria-labelledby=\"practice-title\"><h2 id=\"practice-title\">Practice</h2>\n<ul class=\"sets\">\n"
        for set in sets {
            body += "<li><a href=\"practice/\(HTMLText.escape(set.name)).html\">\(HTMLText.escape(set.name))</a> — \(set.count) question\(set.count == 1 ? "" : "s")</li>\n"
        }
        body += "</ul></section>"
        return page(title: "Course", depth: 0, nav: nav, current: "index", body: body)
    }

    /// What a lesson teaches: its first paragraph, at most about 200 characters.
    static func summary(of document: MarkdownDocument) -> String {
        for block in document.blocks {
            if case let .paragraph(content, _) = block {
                let text = Inline.plainText(of: content)
                guard text.count > 200 else { return text }
                let cut = text.prefix(200)
                return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + " …"
            }
        }
        return ""
    }
}
