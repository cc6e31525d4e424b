import Testing
@testable import AttentionCore

@Suite("Catalog")
struct CatalogTests {
    @Test("the catalog holds at least 15 models and covers MHA, GQA, MQA and MLA")
    func catalogCoversEveryKind() throws {
        #expect(ModelCatalog.entries.count >= 15)
        let kinds = Set(try ModelCatalog.entries.map { try $0.configuration().kind })
        #expect(kinds == Set(AttentionKind.allCases))
    }

    @Test("every catalog entry reads through ConfigReader and carries a source and a cross-check")
    func everyEntryReadsAndIsSourced() throws {
        for entry in ModelCatalog.entries {
            let config = try entry.configuration()
            #expect(config.name == entry.id)
            #expect(!entry.source.isEmpty, "\(entry.id) has no source")
            #expect(!entry.crossCheck.isEmpty, "\(entry.id) has no cross-check")
            #expect(config.heads % config.kvHeads == 0)
        }
    }

    @Test("catalog ids are lowercase and dashed (dots only in version numbers), and no two entries answer to the same name")
    func idsAreUniqueAndDashed() {
        var seen: [String: String] = [:]
        for entry in ModelCatalog.entries {
            #expect(entry.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }, "\(entry.id)")
            for key in ModelCatalog.keys(of: entry) {
                if let other = seen[key], other != entry.id {
                    Issue.record("\(entry.id) and \(other) both answer to \(key)")
                }
                seen[key] = entry.id
            }
        }
    }

    @Test("the catalog states the published numbers of the models lessons cite", arguments: [
        ("gpt-2-small", 768, 12, 12, 12, 64),
        ("gpt-2-xl", 1600, 25, 25, 48, 64),
        ("bert-base", 768, 12, 12, 12, 64),
        ("bert-large", 1024, 16, 16, 24, 64),
        ("all-minilm-l6-v2", 384, 12, 12, 6, 32),
        ("t5-base", 768, 12, 12, 12, 64),
        ("llama-2-7b", 4096, 32, 32, 32, 128),
        ("llama-2-70b", 8192, 64, 8, 80, 128),
        ("llama-3-8b", 4096, 32, 8, 32, 128),
        ("mistral-7b", 4096, 32, 8, 32, 128),
        ("mixtral-8x7b", 4096, 32, 8, 32, 128),
        ("falcon-7b", 4544, 71, 1, 32, 64),
        ("falcon-40b", 8192, 128, 8, 60, 64),
        ("gemma-2b", 2048, 8, 1, 18, 256),
        ("gemma-7b", 3072, 16, 16, 28, 256),
        ("qwen2-7b", 3584, 28, 4, 28, 128),
        ("qwen3-0.6b", 1024, 16, 8, 28, 128),
    ])
    func publishedNumbers(id: String, dModel: Int, heads: Int, kvHeads: Int, layers: Int, headDim: Int) throws {
        let config = try ModelCatalog.configuration(named: id)
        #expect(config.dModel == dModel)
        #expect(config.heads == heads)
        #expect(config.kvHeads == kvHeads)
        #expect(config.layers == layers)
        #expect(config.headDim == headDim)
    }

    @Test("the DeepSeek entries are MLA with a 512-wide latent and a 64-wide rotary key")
    func deepSeekEntries() throws {
        let v2 = try ModelCatalog.configuration(named: "deepseek-v2")
        #expect(v2.kind == .mla)
        #expect(v2.dModel == 5120 && v2.heads == 128 && v2.layers == 60)
        #expect(v2.latent?.kvLoraRank == 512 && v2.latent?.qkRopeHeadDim == 64 && v2.latent?.qLoraRank == 1536)
        #expect(v2.experts == MixtureOfExperts(experts: 160, expertsPerToken: 6, sharedExperts: 2))
        let v3 = try ModelCatalog.configuration(named: "deepseek-v3")
        #expect(v3.dModel == 7168 && v3.heads == 128 && v3.layers == 61)
        #expect(v3.experts == MixtureOfExperts(experts: 256, expertsPerToken: 8, sharedExperts: 1))
        let lite = try ModelCatalog.configuration(named: "deepseek-v2-lite")
        #expect(lite.latent?.qLoraRank == nil)
    }

    @Test("lookup ignores case, dashes, underscores and accepts Hugging Face repository names", arguments: [
        "llama-2-70b", "Llama-2-70B", "llama2_70b", "LLAMA 2 70B", "meta-llama/Llama-2-70b-hf", "Llama 2 70B",
    ])
    func tolerantLookup(name: String) throws {
        #expect(try ModelCatalog.lookup(name).id == "llama-2-70b")
    }

    @Test("an unknown name suggests the closest id when one is close", arguments: [
        ("llama-70b", "llama-2-70b"),
        ("mixtral", "mixtral-8x7b"),
        ("falcon-7", "falcon-7b"),
        ("deepsek-v3", "deepseek-v3"),
        ("gemma7b-it", "gemma-7b"),
        ("llama2-70", "llama-2-70b"),
        ("falcon-4", "falcon-40b"),
    ])
    func suggestsClosest(name: String, expected: String) throws {
        let error = try #require(throws: UnknownModelError.self) { try ModelCatalog.lookup(name) }
        #expect(error.suggestion == expected)
        #expect(error.description.contains("Did you mean '\(expected)'?"))
    }

    @Test("a name far from every id gets no suggestion")
    func noSuggestionForNonsense() throws {
        let error = try #require(throws: UnknownModelError.self) { try ModelCatalog.lookup("banana-split-sundae") }
        #expect(error.suggestion == nil)
        #expect(!error.description.contains("Did you mean"))
        #expect(ModelCatalog.entry(named: "") == nil)
        #expect(ModelCatalog.suggestion(for: "--") == nil)
    }
}
