import Foundation
import Exercises

/// Writes questions as IMS QTI 1.2 (the dialect Canvas and Blackboard import): one assessment
/// holding a section per exercise that draws one of its variants for each learner; numbers with
/// their tolerance, choices with per-option feedback, `multi` all or nothing (QTI 1.2 has no
/// partial credit rule that Canvas honours), shapes and one-word phrases as short answers, the
/// explanation as general feedback.
public enum QTIWriter {
    /// The name of the assessment file inside the zip.
    public static let assessmentFile = "mhalearn-assessment.xml"

    /// The files of the QTI package (`imsmanifest.xml` and the assessment), with what was left out.
    public static func write(_ set: ExportSet, title: String) -> (files: [(name: String, contents: String)], result: ExportResult) {
        var skipped = set.skipped
        var sections = ""
        var questions = 0, exercises = 0
        for item in set.items {
            var items: [String] = []
            for (number, question) in item.variants.enumerated() {
                switch self.item(question, ident: "\(item.exercise.id)-\(number + 1)", title: "\(item.exercise.id) \(number + 1)") {
                case .success(let text): items.append(text)
                case .failure(let skip): if !skipped.contains(skip) { skipped.append(skip) }
                }
            }
            guard items.count == item.variants.count else { continue }
            sections += "      <section ident=\"\(Markup.escape(item.exercise.id))\" title=\"\(Markup.escape(item.exercise.id))\">\n"
            sections += "        <selection_ordering><selection><selection_number>1</selection_number><selection_extension><points_per_item>1</points_per_item></selection_extension></selection></selection_ordering>\n"
            sections += items.joined() + "      </section>\n"
            questions += items.count
            exercises += 1
        }
        let assessment = """
        <?xml version="1.0" encoding="UTF-8"?>
        <questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd">
          <assessment ident="mhalearn-assessment" title="\(Markup.escape(title))">
            <qtimetadata><qtimetadatafield><fieldlabel>cc_maxattempts</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield></qtimetadata>
            <section ident="root_section">

        """ + sections + """
            </section>
          </assessment>
        </questestinterop>

        """
        let manifest = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="mhalearn-export" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd">
          <metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>
          <organizations/>
          <resources>
            <resource identifier="mhalearn-assessment" type="imsqti_xmlv1p2" href="\(assessmentFile)">
              <file href="\(assessmentFile)"/>
            </resource>
          </resources>
        </manifest>

        """
        return ([("imsmanifest.xml", manifest), (assessmentFile, assessment)], ExportResult(questions: questions, exercises: exercises, skipped: skipped))
    }

    static func material(_ markdown: String) -> String {
        "<material><mattext texttype=\"text/html\">\(Markup.escape(Markup.html(markdown)))</mattext></material>"
    }

    static func condition(_ test: String, score: Int?, feedback: String? = nil, stop: Bool) -> String {
        var text = "            <respcondition continue=\"\(stop ? "No" : "Yes")\"><conditionvar>\(test)</conditionvar>"
        if let score { text += "<setvar action=\"Set\" varname=\"SCORE\">\(score)</setvar>" }
        if let feedback { text += "<displayfeedback feedbacktype=\"Response\" linkrefid=\"\(feedback)\"/>" }
        return text + "</respcondition>\n"
    }

    /// One variant as a QTI item, or why it cannot be written.
    static func item(_ question: Question, ident: String, title: String) -> Result<String, ExportSkip> {
        var type = ""
        var response = ""
        var conditions = ""
        var feedback: [(String, String)] = [("general_fb", question.explanation)]
        let equal = { (value: String) in "<varequal respident=\"response1\">\(Markup.escape(value))</varequal>" }
        func fib(_ kind: String) -> String {
            "<response_str ident=\"response1\" rcardinality=\"Single\"><render_fib fibtype=\"\(kind)\"><response_label ident=\"answer1\"/></render_fib></response_str>"
        }
        switch question.expected {
        case .number(let key, let tolerance):
            type = "numerical_question"
            response = fib("Decimal")
            let range = tolerance > 0
                ? "<or>\(equal(AnswerForms.number(key)))<and><vargte respident=\"response1\">\(AnswerForms.number(key - tolerance))</vargte><varlte respident=\"response1\">\(AnswerForms.number(key + tolerance))</varlte></and></or>"
                : equal(AnswerForms.number(key))
            conditions += condition(range, score: 100, stop: true)
            for (index, entry) in question.wrong.enumerated() {
                guard case .number(let value) = entry.form else { continue }
                feedback.append(("wrong\(index + 1)_fb", entry.feedback))
                conditions += condition(equal(AnswerForms.number(value)), score: nil, feedback: "wrong\(index + 1)_fb", stop: false)
            }
        case .shape(let dims):
            type = "short_answer_question"
            response = fib("String")
            conditions += condition("<or>" + AnswerForms.shape(dims).map(equal).joined() + "</or>", score: 100, stop: true)
            for (index, entry) in question.wrong.enumerated() {
                guard case .shape(let wrong) = entry.form else { continue }
                feedback.append(("wrong\(index + 1)_fb", entry.feedback))
                conditions += condition(equal(AnswerForms.shape(wrong)[0]), score: nil, feedback: "wrong\(index + 1)_fb", stop: false)
            }
        case .text:
            type = "short_answer_question"
            response = fib("String")
            switch AnswerForms.text(question.exercise) {
            case .failure(let skip): return .failure(skip)
            case .success(let forms): conditions += condition("<or>" + forms.map(equal).joined() + "</or>", score: 100, stop: true)
            }
        case .choice, .multi:
            let single = question.exercise.kind == .choice
            type = single ? "multiple_choice_question" : "multiple_answers_question"
            response = "<response_lid ident=\"response1\" rcardinality=\"\(single ? "Single" : "Multiple")\"><render_choice>"
            for (index, option) in question.options.enumerated() {
                let letter = PresentedOption.letter(index)
                response += "<response_label ident=\"\(letter)\">\(material(option.text))</response_label>"
                if let text = option.feedback {
                    feedback.append(("\(letter)_fb", text))
                    conditions += condition(equal(letter), score: nil, feedback: "\(letter)_fb", stop: false)
                }
            }
            response += "</render_choice></response_lid>"
            let right = question.options.indices.filter { question.options[$0].correct }.map(PresentedOption.letter)
            if single {
                conditions += condition(equal(right.first ?? "a"), score: 100, stop: true)
            } else {
                let wrong = question.options.indices.filter { !question.options[$0].correct }.map(PresentedOption.letter)
                conditions += condition("<and>" + right.map(equal).joined() + wrong.map { "<not>\(equal($0))</not>" }.joined() + "</and>", score: 100, stop: true)
            }
        }
        var text = "        <item ident=\"\(Markup.escape(ident))\" title=\"\(Markup.escape(title))\">\n"
        text += "          <itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>\(type)</fieldentry></qtimetadatafield>"
        text += "<qtimetadatafield><fieldlabel>points_possible</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>\n"
        text += "          <presentation>\(material(question.prompt))\(response)</presentation>\n"
        text += "          <resprocessing>\n            <outcomes><decvar maxvalue=\"100\" minvalue=\"0\" varname=\"SCORE\" vartype=\"Decimal\"/></outcomes>\n"
        text += conditions + "          </resprocessing>\n"
        for (ident, body) in feedback {
            text += "          <itemfeedback ident=\"\(ident)\"><flow_mat>\(material(body))</flow_mat></itemfeedback>\n"
        }
        return .success(text + "        </item>\n")
    }
}
