import Testing
@testable import AttentionCore

@Suite("Trace")
struct TraceTests {
    @Test("an MHA run records the dimension flow in order with the shapes it produced")
    func mhaFlow() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 768, heads: 12), tokens: 11, seed: 0)
        #expect(run.trace.names == ["input", "q", "k", "v", "q_heads", "k_heads", "v_heads", "scores", "weights", "head_outputs", "concat", "output"])
        let shapes = run.trace.steps.map(\.shape)
        #expect(shapes == [[11, 768], [11, 768], [11, 768], [11, 768], [12, 11, 64], [12, 11, 64], [12, 11, 64],
                           [12, 11, 11], [12, 11, 11], [12, 11, 64], [11, 768], [11, 768]])
        #expect(run.trace["q_heads"]?.symbols == "[h, T, d_k]")
    }

    @Test("every traced shape equals the shape of the tensor the run kept under that name")
    func traceMatchesTensors() throws {
        for (config, source) in [(AttentionConfig(dModel: 64, heads: 8, kvHeads: 2), nil as Int?),
                                 (AttentionConfig(dModel: 64, heads: 8), 5),
                                 (AttentionConfig(dModel: 64, heads: 8, kvLoraRank: 16, ropeDim: 4), nil)] {
            let run = try MultiHeadAttention.seededRun(config: config, tokens: 3, sourceTokens: source, seed: 0)
            for step in run.trace.steps {
                #expect(run.tensor(named: step.name)?.shape == step.shape, "\(config) \(step.name)")
            }
            #expect(run.trace.steps.count == run.tensors.count)
        }
    }

    @Test("GQA traces K/V heads as [kv, S, d_k] and cross-attention traces the source and [h, T, S] scores")
    func variantsFlow() throws {
        let gqa = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 64, heads: 8, kvHeads: 2), tokens: 4, seed: 0)
        #expect(gqa.trace["k_heads"]?.shape == [2, 4, 8])
        #expect(gqa.trace["k"]?.symbols == "[S, kv·d_k]")
        let cross = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 64, heads: 8), tokens: 4, sourceTokens: 9, seed: 0)
        #expect(cross.trace.names.prefix(2) == ["input", "source"])
        #expect(cross.trace["scores"]?.shape == [8, 4, 9])
        let mla = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 64, heads: 8, kvLoraRank: 16), tokens: 4, seed: 0)
        #expect(mla.trace.names.prefix(5) == ["input", "q", "latent", "k", "v"])
        #expect(mla.trace["latent"]?.shape == [4, 16])
    }

    @Test("a run's tensors carry the trace's dimension names as axis names")
    func tensorsNamed() throws {
        let run = try MultiHeadAttention.seededRun(config: AttentionConfig(dModel: 64, heads: 8, kvHeads: 2), tokens: 3, seed: 0)
        #expect(run.qHeads.axes == ["h", "T", "d_k"])
        #expect(run.kHeads.axes == ["kv", "S", "d_k"])
        #expect(run.weights.axes == ["h", "T", "S"])
        #expect(run.output.axes == ["T", "d_model"])
        #expect(run.trace["concat"]?.axes == ["T", "h·d_k"])
    }
}
