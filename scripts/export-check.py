#!/usr/bin/env python3
"""Reads what `mhalearn export` wrote, as the importing system would, and prints its questions.

    export-check.py gift FILE       a reference GIFT parser (Moodle's GIFT format)
    export-check.py moodle FILE     Moodle XML, checked for each question type's required elements
    export-check.py qti FILE.zip    an IMS QTI 1.2 package: manifest, assessment, items
    export-check.py anki FILE.apkg  an Anki package, against the schema genanki writes

Prints one JSON object: {"questions": [{"title", "type", "key", "tolerance", "wrong", "category"}]},
where "key" is the right answer as the file states it (a number, or a list of texts), so a test can
compare it with `mhalearn check --sheet --json`. Any departure from the format is an error: the
message goes to standard error and the exit status is 1.
"""
import json
import math
import re
import sqlite3
import sys
import tempfile
import os
import zipfile
import xml.etree.ElementTree as ET


class Invalid(Exception):
    pass


def need(condition, message):
    if not condition:
        raise Invalid(message)


# ---------------------------------------------------------------- GIFT

def gift_split(text, separators):
    """Splits `text` at unescaped characters in `separators`, keeping each separator."""
    parts, current, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current += text[i:i + 2]
            i += 2
            continue
        if c in separators:
            parts.append(current)
            current = c
        else:
            current += c
        i += 1
    parts.append(current)
    return parts


def gift_unescape(text):
    out, i = "", 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out += "\n" if text[i + 1] == "n" else text[i + 1]
            i += 2
        else:
            out += text[i]
            i += 1
    return out.strip()


def gift_find(text, char, start=0):
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def gift(path):
    text = open(path, encoding="utf-8").read()
    questions, category = [], None
    for block in re.split(r"\n\s*\n", text):
        lines = [l for l in block.split("\n") if not l.strip().startswith("//")]
        body = "\n".join(lines).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            category = body[len("$CATEGORY:"):].strip()
            continue
        need(body.startswith("::"), "a question must start with ::title:: here: " + body[:60])
        end = body.find("::", 2)
        need(end > 0, "unterminated title")
        title = gift_unescape(body[2:end])
        rest = body[end + 2:]
        if rest.startswith("[markdown]"):
            rest = rest[len("[markdown]"):]
        open_ = gift_find(rest, "{")
        need(open_ >= 0, title + ": no answer block")
        close = gift_find(rest, "}", open_)
        need(close > open_, title + ": unterminated answer block")
        need(rest[close + 1:].strip() == "", title + ": text after the answer block")
        prompt = gift_unescape(rest[:open_])
        need(prompt, title + ": empty question text")
        inner = rest[open_ + 1:close]
        general = None
        marker = inner.find("####")
        if marker >= 0:
            general = gift_unescape(inner[marker + 4:])
            inner = inner[:marker]
        numeric = inner.lstrip().startswith("#")
        if numeric:
            inner = inner.lstrip()[1:]
        answers = []
        for part in gift_split(inner, "=~"):
            part = part.strip()
            if not part:
                continue
            need(part[0] in "=~", title + ": an answer must start with = or ~: " + part[:30])
            sign, part = part[0], part[1:]
            fraction = 100.0 if sign == "=" else 0.0
            m = re.match(r"%(-?[0-9.]+)%", part)
            if m:
                fraction = float(m.group(1))
                part = part[m.end():]
            hash_ = gift_find(part, "#")
            feedback = gift_unescape(part[hash_ + 1:]) if hash_ >= 0 else None
            value = part[:hash_] if hash_ >= 0 else part
            answers.append({"fraction": fraction, "text": gift_unescape(value), "feedback": feedback})
        need(answers, title + ": no answers")
        if numeric:
            kind = "numerical"
            for a in answers:
                m = re.fullmatch(r"(-?[0-9.eE+-]+):([0-9.eE+-]+)", a["text"].replace("\\", ""))
                need(m, title + ": a numeric answer is value:tolerance, not " + a["text"])
                a["value"], a["tolerance"] = float(m.group(1)), float(m.group(2))
            right = [a for a in answers if a["fraction"] == 100]
            need(len(right) == 1, title + ": one right numeric answer")
            key, tolerance = right[0]["value"], right[0]["tolerance"]
            wrong = [a["value"] for a in answers if a["fraction"] == 0]
        else:
            weighted = any(a["fraction"] not in (0.0, 100.0) for a in answers)
            tildes = all(True for a in answers)
            right = [a for a in answers if a["fraction"] > 0]
            need(right, title + ": no right answer")
            if weighted:
                kind = "multichoice-multi"
                need(abs(sum(a["fraction"] for a in right) - 100) < 0.01, title + ": right weights must add up to 100%")
            elif any(a["feedback"] is not None or True for a in answers) and "~" in inner.replace("\\~", ""):
                kind = "multichoice"
                need(len(right) == 1, title + ": one right option")
            else:
                kind = "shortanswer"
            key = [a["text"] for a in right]
            tolerance = None
            wrong = [a["text"] for a in answers if a["fraction"] <= 0]
        questions.append({"title": title, "type": kind, "key": key, "tolerance": tolerance, "wrong": wrong,
                          "category": category, "prompt": prompt, "general": general})
    need(questions, "no questions")
    return questions


# ---------------------------------------------------------------- Moodle XML

def text_of(node, path, what):
    found = node.find(path)
    need(found is not None and found.text is not None, what + ": missing " + path)
    return found.text


MOODLE_FRACTIONS = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5,
                    11.11111, 10, 5, 0]


def moodle_fraction(value, what):
    need(any(abs(abs(value) - f) < 0.0001 for f in MOODLE_FRACTIONS), what + ": fraction %s is not one Moodle accepts" % value)
    return value


def evaluate_formula(formula, values):
    expression = re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: repr(float(values[m.group(1)])), formula)
    need(re.fullmatch(r"[0-9eE.+\-*/(), a-z]*", expression) is not None, "formula with unexpected characters: " + formula)
    allowed = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "abs": abs, "min": min, "max": max, "pow": math.pow,
               "floor": math.floor, "ceil": math.ceil, "round": round, "fmod": math.fmod}
    return float(eval(expression, {"__builtins__": {}}, allowed))


def moodle(path):
    root = ET.parse(path).getroot()
    need(root.tag == "quiz", "the root element must be <quiz>")
    questions, category = [], None
    for q in root.findall("question"):
        kind = q.get("type")
        need(kind, "a question without a type")
        if kind == "category":
            category = text_of(q, "category/text", "category")
            continue
        title = text_of(q, "name/text", "question")
        need(q.find("questiontext").get("format") in ("html", "markdown", "plain_text", "moodle_auto_format"), title + ": questiontext format")
        prompt = text_of(q, "questiontext/text", title)
        answers = q.findall("answer")
        need(answers, title + ": no answers")
        fractions = [moodle_fraction(float(a.get("fraction")), title) for a in answers]
        texts = [text_of(a, "text", title) for a in answers]
        entry = {"title": title, "type": kind, "category": category, "prompt": prompt, "tolerance": None}
        if kind == "numerical":
            for a in answers:
                text_of(a, "tolerance", title)
            right = [i for i, f in enumerate(fractions) if f == 100]
            need(len(right) == 1, title + ": one right answer")
            entry["key"] = float(texts[right[0]])
            entry["tolerance"] = float(answers[right[0]].find("tolerance").text)
            entry["wrong"] = [float(t) for t, f in zip(texts, fractions) if f == 0]
        elif kind == "multichoice":
            single = text_of(q, "single", title)
            need(single in ("true", "false"), title + ": <single> is true or false")
            right = [t for t, f in zip(texts, fractions) if f > 0]
            need(right, title + ": no right option")
            if single == "true":
                need(len(right) == 1 and max(fractions) == 100, title + ": one option worth 100%")
            else:
                need(abs(sum(f for f in fractions if f > 0) - 100) < 0.01, title + ": right options must add up to 100%")
            entry["key"], entry["wrong"] = right, [t for t, f in zip(texts, fractions) if f <= 0]
            entry["type"] = "multichoice" if single == "true" else "multichoice-multi"
        elif kind == "shortanswer":
            entry["key"] = [t for t, f in zip(texts, fractions) if f == 100]
            need(entry["key"], title + ": no right answer")
            entry["wrong"] = [t for t, f in zip(texts, fractions) if f == 0]
        elif kind == "calculated":
            definitions = q.findall("dataset_definitions/dataset_definition")
            need(definitions, title + ": a calculated question needs dataset definitions")
            items = {}
            count = None
            for d in definitions:
                name = text_of(d, "name/text", title)
                values = {int(i.find("number").text): i.find("value").text for i in d.findall("dataset_items/dataset_item")}
                need(int(d.find("itemcount").text) == len(values), title + ": itemcount differs from the items of " + name)
                need(count is None or count == len(values), title + ": datasets of different sizes")
                count = len(values)
                for number, value in values.items():
                    items.setdefault(number, {})[name] = value
            right = [i for i, f in enumerate(fractions) if f == 100]
            need(len(right) == 1, title + ": one right formula")
            tolerance = float(text_of(answers[right[0]], "tolerance", title))
            for number in sorted(items):
                questions.append({"title": title + " item %d" % number, "type": "calculated", "category": category, "prompt": prompt,
                                  "key": evaluate_formula(texts[right[0]], items[number]), "tolerance": tolerance,
                                  "given": items[number],
                                  "wrong": [evaluate_formula(t, items[number]) for t, f in zip(texts, fractions) if f == 0]})
            continue
        else:
            raise Invalid(title + ": unexpected question type " + kind)
        questions.append(entry)
    need(questions, "no questions")
    return questions


# ---------------------------------------------------------------- QTI 1.2

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def qti(path):
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    need("imsmanifest.xml" in names, "no imsmanifest.xml in the zip")
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    need(manifest.tag == CP + "manifest", "the manifest's root must be an IMS CP <manifest>")
    resources = manifest.findall(CP + "resources/" + CP + "resource")
    need(resources, "the manifest lists no resources")
    questions = []
    for resource in resources:
        need(resource.get("type") == "imsqti_xmlv1p2", "a resource of type " + str(resource.get("type")))
        href = resource.get("href")
        need(href in names, "the manifest names " + str(href) + ", which is not in the zip")
        root = ET.fromstring(archive.read(href))
        need(root.tag == QTI + "questestinterop", "the assessment's root must be <questestinterop>")
        assessment = root.find(QTI + "assessment")
        need(assessment is not None and assessment.get("ident") and assessment.get("title"), "<assessment> with ident and title")
        for item in assessment.iter(QTI + "item"):
            title = item.get("title")
            need(item.get("ident") and title, "an <item> needs ident and title")
            fields = {f.find(QTI + "fieldlabel").text: f.find(QTI + "fieldentry").text
                      for f in item.iter(QTI + "qtimetadatafield")}
            kind = fields.get("question_type")
            need(kind, title + ": no question_type")
            presentation = item.find(QTI + "presentation")
            need(presentation is not None, title + ": no <presentation>")
            prompt = presentation.find(QTI + "material/" + QTI + "mattext")
            need(prompt is not None and prompt.text, title + ": no question text")
            labels = {}
            for label in presentation.iter(QTI + "response_label"):
                mattext = label.find(QTI + "material/" + QTI + "mattext")
                labels[label.get("ident")] = re.sub(r"<[^>]+>", "", mattext.text) if mattext is not None else None
            processing = item.find(QTI + "resprocessing")
            need(processing is not None and processing.find(QTI + "outcomes/" + QTI + "decvar") is not None, title + ": <resprocessing> with outcomes")
            right = [c for c in processing.findall(QTI + "respcondition")
                     if any(s.get("varname") == "SCORE" and s.text == "100" for s in c.findall(QTI + "setvar"))]
            need(len(right) == 1, title + ": one condition setting SCORE to 100")
            condition = right[0].find(QTI + "conditionvar")
            entry = {"title": title, "type": kind, "prompt": prompt.text, "tolerance": None}
            if kind == "numerical_question":
                equal = condition.find(".//" + QTI + "varequal")
                entry["key"] = float(equal.text)
                low, high = condition.find(".//" + QTI + "vargte"), condition.find(".//" + QTI + "varlte")
                entry["tolerance"] = (float(high.text) - float(low.text)) / 2 if low is not None else 0.0
            elif kind in ("multiple_choice_question", "multiple_answers_question"):
                picked = [e.text for e in condition.iter(QTI + "varequal")]
                negated = [e.text for n in condition.iter(QTI + "not") for e in n.iter(QTI + "varequal")]
                chosen = [p for p in picked if p not in negated]
                need(all(p in labels for p in chosen), title + ": the key names an option that is not there")
                entry["key"] = [labels[p] for p in chosen]
            elif kind == "short_answer_question":
                entry["key"] = [e.text for e in condition.iter(QTI + "varequal")]
            else:
                raise Invalid(title + ": unexpected question_type " + kind)
            for feedback in item.findall(QTI + "itemfeedback"):
                need(feedback.get("ident"), title + ": itemfeedback without ident")
            links = [d.get("linkrefid") for d in item.iter(QTI + "displayfeedback")]
            idents = {f.get("ident") for f in item.findall(QTI + "itemfeedback")}
            need(all(l in idents for l in links), title + ": feedback linked but not given")
            questions.append(entry)
    need(questions, "no questions")
    return questions


# ---------------------------------------------------------------- Anki

def anki(path):
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    need("collection.anki2" in names, "no collection.anki2 in the package")
    need("media" in names, "no media map in the package")
    media = json.loads(archive.read("media"))
    need(isinstance(media, dict), "the media map is a JSON object")
    for index, name in media.items():
        need(str(index) in names, "media " + str(index) + " (" + name + ") is not in the package")
    folder = tempfile.mkdtemp()
    database = os.path.join(folder, "collection.anki2")
    with open(database, "wb") as out:
        out.write(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        from genanki.apkg_schema import APKG_SCHEMA
        reference = sqlite3.connect(":memory:")
        reference.executescript(APKG_SCHEMA)
        for (table,) in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            want = [tuple(r[1:4]) for r in reference.execute("PRAGMA table_info(%s)" % table)]
            got = [tuple(r[1:4]) for r in connection.execute("PRAGMA table_info(%s)" % table)]
            need(want == got, "table %s differs from genanki's: %s, not %s" % (table, got, want))
        want = sorted(r[0] for r in reference.execute("SELECT name FROM sqlite_master WHERE type = 'index'"))
        got = sorted(r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"))
        need(want == got, "indexes differ from genanki's: %s, not %s" % (got, want))
        schema = "genanki"
    except ImportError:
        schema = "genanki not installed; tables read by name only"
    rows = connection.execute("SELECT ver, conf, models, decks, dconf FROM col").fetchall()
    need(len(rows) == 1, "col has one row")
    ver, conf, models, decks, dconf = rows[0]
    need(ver == 11, "collection version 11")
    conf, models, decks, dconf = json.loads(conf), json.loads(models), json.loads(decks), json.loads(dconf)
    for key in ("curModel", "activeDecks", "curDeck"):
        need(key in conf, "conf lacks " + key)
    for mid, model in models.items():
        for key in ("css", "did", "flds", "id", "name", "req", "sortf", "tmpls", "type", "usn", "vers", "mod"):
            need(key in model, "model %s lacks %s" % (mid, key))
        need(str(model["id"]) == mid, "model id matches its key")
        for template in model["tmpls"]:
            need("qfmt" in template and "afmt" in template and "ord" in template, "a template needs qfmt, afmt and ord")
    for did, deck in decks.items():
        for key in ("name", "id", "conf", "dyn", "usn"):
            need(key in deck, "deck %s lacks %s" % (did, key))
        need(str(deck["conf"]) in dconf, "deck %s uses a missing options group" % did)
    questions = []
    for nid, guid, mid, flds, sfld, tags in connection.execute("SELECT id, guid, mid, flds, sfld, tags FROM notes"):
        need(str(mid) in models, "note %d has an unknown note type" % nid)
        fields = flds.split("\x1f")
        need(len(fields) == len(models[str(mid)]["flds"]), "note %d has %d fields, its type %d" % (nid, len(fields), len(models[str(mid)]["flds"])))
        cards = connection.execute("SELECT did, ord FROM cards WHERE nid = ?", (nid,)).fetchall()
        need(cards, "note %d has no card" % nid)
        for did, ord_ in cards:
            need(str(did) in decks, "a card of note %d is in a missing deck" % nid)
            need(ord_ < len(models[str(mid)]["tmpls"]), "a card of note %d has no template" % nid)
        questions.append({"title": guid, "front": fields[0], "back": fields[1], "tags": tags.split(), "deck": [decks[str(d)]["name"] for d, _ in cards][0]})
    orphans = connection.execute("SELECT COUNT(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)").fetchone()[0]
    need(orphans == 0, "cards without a note")
    need(questions, "no notes")
    return questions, schema


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("gift", "moodle", "qti", "anki"):
        sys.stderr.write(__doc__)
        return 64
    try:
        if sys.argv[1] == "anki":
            questions, schema = anki(sys.argv[2])
            print(json.dumps({"questions": questions, "schema": schema}))
        else:
            print(json.dumps({"questions": {"gift": gift, "moodle": moodle, "qti": qti}[sys.argv[1]](sys.argv[2])}))
    except (Invalid, ET.ParseError, zipfile.BadZipFile, sqlite3.Error, ValueError, KeyError) as error:
        sys.stderr.write("%s: %s\n" % (sys.argv[2], error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
