import Foundation
import Exercises
import GRDB
import ZIPFoundation

/// Writes questions as an Anki deck: a `.apkg` (a zip of the SQLite collection `collection.anki2`
/// in the schema Anki 2.1 and genanki write, and an empty media map) with one note per variant
/// (the question in front; the answer and the explanation on the back), and the same notes as
/// Anki's tab-separated import file.
public enum AnkiWriter {
    /// One card's two sides, as HTML, and its tags.
    public struct Note: Sendable, Equatable {
        public var front: String
        public var back: String
        public var tags: [String]
        /// A stable id: the exercise id and the variant's values.
        public var guid: String
    }

    /// The notes of `set`: every exercise kind can be a card, since the learner grades themself.
    public static func notes(_ set: ExportSet) -> [Note] {
        set.items.flatMap { item in
            item.variants.map { question in
                var front = Markup.html(question.prompt)
                if !question.options.isEmpty {
                    front += "\n<ol type=\"a\">" + question.options.map { "<li>" + Markup.inline(Markup.oneLine($0.text)) + "</li>" }.joined() + "</ol>"
                }
                var back = "<p><strong>" + Markup.escape(question.answerDescription) + "</strong></p>"
                if let note = question.toleranceNote { back += "\n<p>" + Markup.escape(note) + "</p>" }
                back += "\n" + Markup.html(question.explanation)
                let tags = ([item.exercise.set] + item.exercise.tags + [item.exercise.id]).map { $0.replacingOccurrences(of: " ", with: "_") }
                let guid = StableHash.hex(item.exercise.id + "|" + variantLine(question))
                return Note(front: front, back: back, tags: tags, guid: guid)
            }
        }
    }

    /// The tab-separated import file: Anki's header lines, then `front<TAB>back<TAB>tags` a note.
    public static func tsv(_ notes: [Note]) -> String {
        var text = "#separator:tab\n#html:true\n#tags column:3\n"
        for note in notes {
            let clean = { (field: String) in field.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: "<br>") }
            text += clean(note.front) + "\t" + clean(note.back) + "\t" + note.tags.joined(separator: " ") + "\n"
        }
        return text
    }

    /// The model (note type) id and the deck id: fixed numbers, so importing again updates the
    /// same notes rather than adding copies.
    static let modelID: Int64 = 1_607_392_319
    static func deckID(_ name: String) -> Int64 { Int64(StableHash.value(name) >> 34) + 1 << 30 }

    /// The `.apkg` bytes for `notes` in a deck called `deck`.
    public static func package(_ notes: [Note], deck: String, now: Date = Date()) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mhalearn-anki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("collection.anki2").path
        try collection(notes, deck: deck, now: now, at: path)
        let database = try Data(contentsOf: URL(fileURLWithPath: path))
        return try ZipFile.make([("collection.anki2", database), ("media", Data("{}".utf8))], date: now)
    }

    /// Writes the SQLite collection for `notes` to `path`.
    static func collection(_ notes: [Note], deck: String, now: Date, at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let seconds = Int64(now.timeIntervalSince1970)
        let deckID = deckID(deck)
        try queue.write { db in
            try db.execute(sql: schema)
            let model: [String: Any] = [
                "css": ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\ncode { font-family: monospace; }",
                "did": deckID, "id": String(modelID), "latexPost": "\\end{document}",
                "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
                "latexsvg": false, "mod": seconds, "name": "mhalearn question", "req": [[0, "all", [0]]], "sortf": 0, "tags": [],
                "flds": ["Question", "Answer"].enumerated().map { ["name": $0.element, "ord": $0.offset, "font": "Liberation Sans", "media": [], "rtl": false, "size": 20, "sticky": false] as [String: Any] },
                "tmpls": [["name": "Card 1", "ord": 0, "qfmt": "{{Question}}", "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Answer}}",
                           "bafmt": "", "bqfmt": "", "bfont": "", "bsize": 0, "did": NSNull()] as [String: Any]],
                "type": 0, "usn": -1, "vers": [],
            ]
            func deckJSON(_ id: Int64, _ name: String) -> [String: Any] {
                ["collapsed": false, "conf": 1, "desc": "", "dyn": 0, "extendNew": 10, "extendRev": 50, "id": id, "lrnToday": [0, 0],
                 "mod": seconds, "name": name, "newToday": [0, 0], "revToday": [0, 0], "timeToday": [0, 0], "usn": -1]
            }
            let decks: [String: Any] = ["1": deckJSON(1, "Default"), String(deckID): deckJSON(deckID, deck)]
            try db.execute(sql: "INSERT INTO col VALUES (NULL, 1411124400, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", arguments: [
                seconds * 1000, seconds * 1000, try json(configuration(deckID)), try json([String(modelID): model]), try json(decks), try json(deckConfiguration),
            ])
            var id = seconds * 1000
            for (position, note) in notes.enumerated() {
                id += 1
                let noteID = id
                let sortField = note.front.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                try db.execute(sql: "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')", arguments: [
                    noteID, note.guid, modelID, seconds, " " + note.tags.joined(separator: " ") + " ", note.front + "\u{1F}" + note.back, sortField,
                ])
                id += 1
                try db.execute(sql: "INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')", arguments: [
                    id, noteID, deckID, seconds, position,
                ])
            }
        }
        try queue.close()
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    static func configuration(_ deckID: Int64) -> [String: Any] {
        ["activeDecks": [deckID], "addToCur": true, "collapseTime": 1200, "curDeck": deckID, "curModel": String(modelID), "dueCounts": true,
         "estTimes": true, "newBury": true, "newSpread": 0, "nextPos": 1, "sortBackwards": false, "sortType": "noteFld", "timeLim": 0]
    }

    static var deckConfiguration: [String: Any] { ["1": [
        "autoplay": true, "id": 1, "maxTaken": 60, "mod": 0, "name": "Default", "replayq": true, "timer": 0, "usn": 0,
        "lapse": ["delays": [10], "leechAction": 0, "leechFails": 8, "minInt": 1, "mult": 0] as [String: Any],
        "new": ["bury": true, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 7], "order": 1, "perDay": 20, "separate": true] as [String: Any],
        "rev": ["bury": true, "ease4": 1.3, "fuzz": 0.05, "ivlFct": 1, "maxIvl": 36500, "minSpace": 1, "perDay": 100] as [String: Any],
    ] as [String: Any]] }

    /// The tables and indexes of an Anki 2.1 collection (schema 11), as genanki creates them.
    static let schema = """
    CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null,
        dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null,
        dconf text not null, tags text not null);
    CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null,
        tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
    CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null,
        usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null,
        factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null,
        odid integer not null, flags integer not null, data text not null);
    CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null,
        lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
    CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
    CREATE INDEX ix_notes_usn on notes (usn);
    CREATE INDEX ix_cards_usn on cards (usn);
    CREATE INDEX ix_revlog_usn on revlog (usn);
    CREATE INDEX ix_cards_nid on cards (nid);
    CREATE INDEX ix_cards_sched on cards (did, queue, due);
    CREATE INDEX ix_revlog_cid on revlog (cid);
    CREATE INDEX ix_notes_csum on notes (csum);
    """
}

/// A zip made in memory with ZIPFoundation.
public enum ZipFile {
    /// The bytes of a zip holding `files` (name and contents), deflated.
    public static func make(_ files: [(name: String, data: Data)], date: Date = Date()) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data) in files {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let bytes = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return bytes
    }
}
