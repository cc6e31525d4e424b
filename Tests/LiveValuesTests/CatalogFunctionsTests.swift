import Testing
import ExpressionLanguage
@testable import LiveValues

@Suite("Catalog functions and proof helpers") struct CatalogFunctionsTests {
    private let evaluator = Evaluator(live: [:])

    private func value(_ source: String) throws -> Value { try evaluator.evaluate(source) }

    @Test("catalog(member) lists that member of every catalog model, optionally within a d_model range")
    func catalogLists() throws {
        #expect(try value("len(catalog(\"name\"))") == .integer(ModelCatalogCount.count))
        #expect(try value("max(catalog(\"heads\"))") == .integer(128))
        #expect(try value("min(catalog(\"head_dim\"))") == .integer(32))
        #expect(try value("max(catalog(\"heads\", max_d_model: 1024))") == .integer(16))
        #expect(try value("min(catalog(\"heads\", min_d_model: 5120))") == .integer(64))
        #expect(throws: (any Error).self) { try value("catalog(\"colour\")") }
        #expect(throws: (any Error).self) { try value("catalog(\"kv_cache_bytes\")") }
    }

    @Test("catalog_count counts the models whose member is among the values")
    func catalogCount() throws {
        #expect(try value("catalog_count(\"head_dim\", among: [64, 128, 256]) == len(catalog(\"name\")) - 1") == .boolean(true))
        #expect(try value("catalog_count(\"head_dim_is_split\", among: [false])") == .integer(5))  // DeepSeek-V2-Lite: 192-wide query/key heads, though d_model / h = v_head_dim = 128
        #expect(try value("catalog_count(\"kind\", among: \"MLA\")") == .integer(3))
    }

    @Test("catalog_table makes one row per model with the asked columns")
    func catalogTable() throws {
        guard case .object(let object) = try value("catalog_table([\"name\", \"heads\"])"), let table = object as? TableValue else {
            Issue.record("not a table")
            return
        }
        #expect(table.header == ["name", "heads"])
        #expect(table.rows.count == ModelCatalogCount.count)
        #expect(throws: (any Error).self) { try value("catalog_table([])") }
    }

    @Test("a model knows its query/key and value head widths and whether head_dim is the even split")
    func modelWidths() throws {
        #expect(try value("model(\"deepseek-v3\").qk_head_dim") == .integer(192))
        #expect(try value("model(\"deepseek-v3\").v_head_dim") == .integer(128))
        #expect(try value("model(\"gemma-7b\").head_dim_is_split") == .boolean(false))
        #expect(try value("model(\"bert-base\").head_dim_is_split") == .boolean(true))
    }

    @Test("a layer's output is the sum of its heads' contributions through their blocks of W_O, plus the bias")
    func headContributions() throws {
        #expect(try value("max_abs_diff(mha(d_model: 64, heads: 4).output, mha(d_model: 64, heads: 4).sum_of_head_contributions) < 0.0001") == .boolean(true))
        #expect(try value("max_abs_diff(mha(d_model: 64, heads: 4).output, mha(d_model: 64, heads: 4).head_contribution(head: 1)) > 0.01") == .boolean(true))
        #expect(try value("mha(d_model: 64, heads: 4, tokens: 3).head_contribution(head: 4).shape") == .shape([3, 64]))
        #expect(throws: (any Error).self) { try value("max_abs_diff(mha(d_model: 64, heads: 4).output, mha(d_model: 64, heads: 4).q_heads)") }
    }

    @Test("at a fixed d_model the score work and the MHA cache do not depend on the head count; the softmaxes do")
    func costAtFixedWidth() throws {
        #expect(try value("mha(d_model: 768, heads: 8, tokens: 11).score_multiply_adds") == .integer(11 * 11 * 768))
        #expect(try value("mha(d_model: 768, heads: 48, tokens: 11).score_multiply_adds") == .integer(11 * 11 * 768))
        #expect(try value("mha(d_model: 768, heads: 48).kv_cache_values_per_layer") == .integer(2 * 768))
        #expect(try value("mha(d_model: 768, heads: 48, tokens: 11).softmaxes") == .integer(48 * 11))
    }

    @Test("dot products of unit-variance components have variance near d_k, and near 1 once scaled by 1/sqrt(d_k)")
    func dotVariance() throws {
        guard let raw = try value("dot_variance(d_k: 64)").number, let scaled = try value("dot_variance(d_k: 64, scaled: true)").number else {
            Issue.record("not numbers")
            return
        }
        #expect(raw > 55 && raw < 73)
        #expect(scaled > 0.86 && scaled < 1.14)
        #expect(throws: (any Error).self) { try value("dot_variance(d_k: 0)") }
    }

    @Test("output_of gives one token's output row")
    func outputOf() throws {
        #expect(try value("mha(d_model: 16, heads: 2, tokens: 3).output_of(2).shape") == .shape([16]))
        #expect(try value("mha(d_model: 16, heads: 2, tokens: 3).output_of(2)[5] == mha(d_model: 16, heads: 2, tokens: 3).output[2][5]") == .boolean(true))
        #expect(throws: (any Error).self) { try value("mha(d_model: 16, heads: 2, tokens: 3).output_of(3)") }
    }
}

import AttentionCore
enum ModelCatalogCount { static let count = ModelCatalog.entries.count }
