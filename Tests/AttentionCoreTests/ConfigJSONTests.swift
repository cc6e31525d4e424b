import Testing
@testable import AttentionCore

@Suite("ConfigJSON")
struct ConfigJSONTests {
    @Test("the JSON reader keeps integers, decimals, booleans, null, strings and nesting")
    func jsonReaderValues() throws {
        let value = try JSONReader.parse(#"{"a": 12, "b": 1e-05, "c": true, "d": null, "e": "x\"y\u00e9", "f": [1, {"g": false}], "h": 64.0}"#)
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object["a"]?.value == .number(12, integer: 12))
        #expect(object["b"]?.value == .number(1e-05, integer: nil))
        #expect(object["c"]?.value == .bool(true))
        #expect(object["d"]?.value == .null)
        #expect(object["e"]?.value == .string("x\"yé"))
        #expect(object["h"]?.value == .number(64, integer: 64))
        guard case .array(let list)? = object["f"]?.value else {
            Issue.record("expected a list")
            return
        }
        #expect(list.count == 2)
    }

    @Test("the JSON reader records the line and column of each key")
    func jsonReaderKeyPositions() throws {
        let value = try JSONReader.parse("{\n  \"a\": 1,\n    \"bé\": 2, \"c\": 3\n}")
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object["a"]?.position == JSONPosition(line: 2, column: 3))
        #expect(object["bé"]?.position == JSONPosition(line: 3, column: 5))
        #expect(object["c"]?.position == JSONPosition(line: 3, column: 14))
    }

    @Test("the JSON reader accepts Python's NaN and Infinity, which some configs contain")
    func jsonReaderPythonSpecials() throws {
        guard case .object(let object) = try JSONReader.parse(#"{"a": NaN, "b": -Infinity}"#) else {
            Issue.record("expected an object")
            return
        }
        #expect(object["b"]?.value == .number(-.infinity, integer: nil))
    }

    @Test("JSON syntax errors name what was expected and where", arguments: [
        ("{\"a\": 1,}", 1, 9, "quoted key"),
        ("{\"a\" 1}", 1, 6, "expected ':'"),
        ("{\"a\": tru}", 1, 7, "expected 'true'"),
        ("{\"a\": \"open", 1, 12, "ends inside a string"),
        ("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'"),
        ("", 1, 1, "ends where a value was expected"),
        ("{} x", 1, 4, "after the end"),
        ("{\"a\": @}", 1, 7, "unexpected character '@'"),
    ])
    func jsonReaderErrors(text: String, line: Int, column: Int, fragment: String) throws {
        let error = try #require(throws: JSONSyntaxError.self) { try JSONReader.parse(text) }
        #expect(error.position == JSONPosition(line: line, column: column))
        #expect(error.message.contains(fragment))
    }

    @Test("deeply nested input is refused instead of exhausting the stack")
    func jsonReaderDepthLimit() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(throws: JSONSyntaxError.self) { try JSONReader.parse(text) }
        #expect(error.message.contains("nested"))
    }
}
