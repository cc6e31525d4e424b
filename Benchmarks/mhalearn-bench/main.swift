// mhalearn-bench: throughput of the attention core's forward pass, beside numpy doing the same
// computation and beside one plain sgemm of the projection's size; `--dump DIR` writes every
// variant's weights, inputs and tensors as JSON for scripts/reference_attention.py.
import AttentionCore
import Foundation
import Support

/// One benchmark size: T tokens, d_model, h heads.
struct Case {
    let tokens: Int
    let dModel: Int
    let heads: Int

    var config: AttentionConfig { AttentionConfig(dModel: dModel, heads: heads) }
    var label: String { "T=\(tokens) d_model=\(dModel) h=\(heads)" }
}

/// Command-line options.
struct Options {
    var cases = [Case(tokens: 512, dModel: 768, heads: 12), Case(tokens: 2048, dModel: 768, heads: 12), Case(tokens: 512, dModel: 4096, heads: 32)]
    var numpy = true
    var seconds = 0.5
    var rounds = 3
    var dump: String?
    var help = false
    var threads: Int?
    var decodeOnly = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--no-numpy": numpy = false
            case "--decode-only": decodeOnly = true
            case "--quick": seconds = 0.2; rounds = 1
            case "--rounds":
                guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { throw usage("--rounds needs a positive number") }
                rounds = value
            case "--seconds":
                guard let value = rest.popFirst().flatMap(Double.init), value > 0 else { throw usage("--seconds needs a positive number") }
                seconds = value
            case "--case":
                let parts = (rest.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
                guard parts.count == 3, parts.allSatisfy({ $0 > 0 }), parts[1] % parts[2] == 0 else {
                    throw usage("--case needs T,d_model,heads with heads dividing d_model, e.g. --case 512,768,12")
                }
                if cases.count == 3 && !customCases { cases = [] }
                customCases = true
                cases.append(Case(tokens: parts[0], dModel: parts[1], heads: parts[2]))
            case "--threads":
                guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { throw usage("--threads needs a positive number") }
                threads = value
            case "--dump":
                guard let folder = rest.popFirst() else { throw usage("--dump needs a folder") }
                dump = folder
            case "-h", "--help": help = true
            default: throw usage("unknown argument \(argument)")
            }
        }
    }

    private var customCases = false
}

struct UsageError: Error { let message: String }

func usage(_ message: String) -> UsageError { UsageError(message: message) }

let helpText = """
USAGE: mhalearn-bench [--quick | --seconds S --rounds N] [--case T,d_model,heads]... [--threads N] [--no-numpy]
       mhalearn-bench --decode-only [--quick | --seconds S --rounds N]
       mhalearn-bench --dump DIR

Times the forward pass of one multi-head attention layer (with biases) at each size and prints
GFLOP/s: 2 × multiply-adds from the cost model / best wall time over N rounds (default 3) of
S seconds (default 0.5) per measurement. Rounds interleave the core, the sgemm baseline and numpy,
so all three see the same machine load. Beside the core: numpy doing the same computation
(scripts/bench_numpy.py, run with python3 or $PYTHON) and one plain sgemm
[T, d_model]·[d_model, d_model] through the same BLAS. --threads N limits the core
(MHALEARN_THREADS), numpy (OPENBLAS_NUM_THREADS) and the sgemm baseline to N threads.
Build and run it in release:
    swift run -c release --scratch-path .build-release mhalearn-bench

--decode-only times only the decode step against the triad bandwidth.

--dump DIR writes every variant's configuration, weights, inputs and recorded tensors as JSON
files for scripts/reference_attention.py (the independent numpy check).
"""

/// Best and median wall time of `body`, repeated for about `seconds` (at least 3 times).
func time(seconds: Double, _ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
    try body()  // warm-up
    var samples: [Double] = []
    let clock = ContinuousClock()
    let start = clock.now
    while samples.count < 3 || (clock.now - start) < .milliseconds(Int64(seconds * 1000)) && samples.count < 200 {
        let t0 = clock.now
        try body()
        let elapsed = clock.now - t0
        samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    samples.sort()
    return (samples[0], samples[samples.count / 2])
}

/// The package root, found from this source file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs scripts/bench_numpy.py on the cases; returns GFLOP/s per case label, or a reason it could not.
func numpyRates(_ cases: [Case], seconds: Double, options: Options, script name: String = "bench_numpy.py") -> Result<[String: (Double, Double)], UsageError> {
    let script = packageRoot.appendingPathComponent("scripts/" + name)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let python = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
    if let threads = options.threads {
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = String(threads)
        process.environment = env
    }
    process.arguments = [python, script.path, "--json", "--seconds", String(seconds)] + cases.flatMap { ["--case", "\($0.tokens),\($0.dModel),\($0.heads)"] }
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch { return .failure(usage("cannot start \(python): \(error)")) }
    let data = output.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    if let skipped = parsed?["skipped"] as? String { return .failure(usage(skipped)) }
    guard process.terminationStatus == 0, let object = parsed, let results = object["results"] as? [[String: Any]] else {
        return .failure(usage("scripts/\(name) failed (exit \(process.terminationStatus))"))
    }
    var rates: [String: (Double, Double)] = [:]
    for r in results {
        if let t = r["tokens"] as? Int, let d = r["d_model"] as? Int, let h = r["heads"] as? Int,
           let best = r["gflops"] as? Double, let median = r["gflops_median"] as? Double {
            rates[Case(tokens: t, dModel: d, heads: h).label] = (best, median)
        }
    }
    if let info = object["blas"] as? String {
        switch name {
        case "bench_numpy.py": numpyBLAS = info
        case "bench_torch.py": torchInfo = info
        default: jaxInfo = info
        }
    }
    return .success(rates)
}

nonisolated(unsafe) var numpyBLAS = "numpy"
nonisolated(unsafe) var jaxInfo = "jax"
nonisolated(unsafe) var jaxNote: String?
nonisolated(unsafe) var torchInfo = "torch"
nonisolated(unsafe) var torchNote: String?

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// The best rate seen for one case, over all rounds.
struct Rates {
    var core = 0.0, recorded = 0.0, sgemm = 0.0, numpy: Double?, jax: Double?, torch: Double?
    var coreMilliseconds = Double.infinity
}

func benchmark(_ options: Options) throws {
    print("mhalearn-bench: forward pass of one attention layer (float32, biases on)")
    print("core BLAS: \(BLASInfo.description); core threads: \(Parallel.threadCount)")
    var best = [String: Rates]()
    let layers = try options.cases.map { try MultiHeadAttention(config: $0.config, seed: 1) }
    for round in 1...options.rounds {
        for (c, layer) in zip(options.cases, layers) {
            let x = Tensor.seededInput(tokens: c.tokens, width: c.dModel, seed: 1)
            let flops = Double(AttentionCost(config: c.config, tokens: c.tokens).flops)
            let forward = try time(seconds: options.seconds) { _ = try layer.forward(input: x) }
            let recorded = try time(seconds: options.seconds) { _ = try layer.run(input: x) }
            let w = Tensor.seededWeight(fanIn: c.dModel, fanOut: c.dModel, seed: 1, name: "W")
            // the baseline is the faster of: one sgemm call threaded by BLAS itself, and the core's row split
            BLASThreads.count = Parallel.threadCount
            let blasThreaded = try time(seconds: options.seconds) { _ = try matmul(x, w) }
            BLASThreads.count = 1
            let rowSplit = try time(seconds: options.seconds) { _ = try matmul(x, w) }
            let gemmFlops = 2 * Double(c.tokens * c.dModel * c.dModel)
            var r = best[c.label] ?? Rates()
            r.core = max(r.core, flops / forward.best / 1e9)
            r.coreMilliseconds = min(r.coreMilliseconds, forward.best * 1e3)
            r.recorded = max(r.recorded, flops / recorded.best / 1e9)
            r.sgemm = max(r.sgemm, gemmFlops / min(blasThreaded.best, rowSplit.best) / 1e9)
            best[c.label] = r
        }
        if options.numpy {
            switch numpyRates(options.cases, seconds: options.seconds, options: options) {
            case .success(let rates):
                for (label, rate) in rates { best[label, default: Rates()].numpy = max(best[label]?.numpy ?? 0, rate.0) }
            case .failure(let error): print("numpy: not run (\(error.message))")
            }
            switch numpyRates(options.cases, seconds: options.seconds, options: options, script: "bench_jax.py") {
            case .success(let rates):
                for (label, rate) in rates { best[label, default: Rates()].jax = max(best[label]?.jax ?? 0, rate.0) }
            case .failure(let error): jaxNote = error.message
            }
            switch numpyRates(options.cases, seconds: options.seconds, options: options, script: "bench_torch.py") {
            case .success(let rates):
                for (label, rate) in rates { best[label, default: Rates()].torch = max(best[label]?.torch ?? 0, rate.0) }
            case .failure(let error): torchNote = error.message
            }
        }
        FileHandle.standardError.write(Data("round \(round) of \(options.rounds) done\n".utf8))
    }
    if options.numpy {
        print("numpy BLAS: \(numpyBLAS)")
        print(jaxNote.map { "JAX: not run (\($0))" } ?? "JAX: \(jaxInfo)")
        print(torchNote.map { "PyTorch: not run (\($0))" } ?? "PyTorch: \(torchInfo)")
    }
    print("")
    print("\(pad("case", 26)) \(pad("core ms", 8)) \(pad("core", 8)) \(pad("run()", 8)) \(pad("numpy", 8)) \(pad("jax", 8)) \(pad("torch", 8)) \(pad("sgemm", 8)) \(pad("core/numpy", 11)) \(pad("core/jax", 9)) \(pad("core/torch", 11)) \(pad("core/sgemm", 11))")
    for c in options.cases {
        guard let r = best[c.label] else { continue }
        let npText = r.numpy.map { String(format: "%.1f", $0) } ?? "-"
        let ratio = r.numpy.map { String(format: "%.2fx", r.core / $0) } ?? "-"
        let jaxText = r.jax.map { String(format: "%.1f", $0) } ?? "-"
        let jaxRatio = r.jax.map { String(format: "%.2fx", r.core / $0) } ?? "-"
        let torchText = r.torch.map { String(format: "%.1f", $0) } ?? "-"
        let torchRatio = r.torch.map { String(format: "%.2fx", r.core / $0) } ?? "-"
        print("\(pad(c.label, 26)) \(pad(String(format: "%.2f", r.coreMilliseconds), 8)) \(pad(String(format: "%.1f", r.core), 8)) \(pad(String(format: "%.1f", r.recorded), 8)) \(pad(npText, 8)) \(pad(jaxText, 8)) \(pad(torchText, 8)) \(pad(String(format: "%.1f", r.sgemm), 8)) \(pad(ratio, 11)) \(pad(jaxRatio, 9)) \(pad(torchRatio, 11)) \(pad(String(format: "%.0f%%", 100 * r.core / r.sgemm), 11))")
    }
    print("")
    print("GFLOP/s = 2 × multiply-adds of the cost model / best wall time over \(options.rounds) rounds of about")
    print("\(options.seconds) s per measurement. core = forward(); run() also records every intermediate tensor;")
    print("sgemm = one [T, d_model]·[d_model, d_model] product through the same BLAS, the faster of BLAS's own")
    print("threading and the core's row split over \(Parallel.threadCount) threads. Load average at the end: \(loadAverage()).")
    try decodeBenchmark(options)
}

/// One decode step of one layer over 8,192 cached tokens for MHA, GQA, MQA and MLA at Llama 3 8B's
/// and Llama 2 7B's widths, each placed on the roofline measured in the same run: the triad's
/// bandwidth and the sgemm rate. Every step cycles through enough layers' caches to cover 8 × the
/// last-level cache, so its bytes come from memory.
func decodeBenchmark(_ options: Options) throws {
    let context = 8192
    print("")
    print("decode: one step of one layer over \(context) cached tokens, fp32; kernels: \(KernelInfo.levelName)")
    let roofline = Roofline.measure()
    let bw = roofline.bandwidth, gemm = roofline.compute
    print(String(format: "memory bandwidth: %.1f GB/s (STREAM-style triad, 3 × 128 MiB, median of %d passes; fastest %.1f GB/s; spread %.0f%%)",
                 bw.gigabytesPerSecond, bw.passes, bw.bestBytesPerSecond / 1e9, 100 * bw.spread))
    print(String(format: "compute rate: %.1f GFLOP/s (sgemm %d³ over %d threads, median of %d passes; spread %.0f%%); balance %.1f FLOPs per byte",
                 gemm.gigaflopsPerSecond, gemm.size, Parallel.threadCount, gemm.passes, 100 * gemm.spread, roofline.balance))
    if !roofline.isSteady {
        print(String(format: "the machine's load changed while the roofline was measured (spread above %.0f%%): no shares are given; rerun when it is quieter (uptime)", 100 * Roofline.steadySpread))
    }
    print("last-level cache \(DecodeProbe.lastLevelCacheBytes >> 20) MiB; each variant cycles through layers covering at least \(DecodeProbe.defaultFootprint >> 20) MiB")
    print("")
    print("\(pad("model, variant", 24)) \(pad("read MiB", 9)) \(pad("MFLOP", 8)) \(pad("FLOP/B", 7)) \(pad("bound", 8)) \(pad("layers", 6)) \(pad("roofline ms", 11)) \(pad("ms", 8)) \(pad("share", 6))")
    for model in ["llama-3-8b", "llama-2-7b"] {
        let config = try ModelCatalog.configuration(named: model).attentionConfig
        var times: [AttentionKind: Double] = [:]
        for (variant, own) in CostLab.variants(for: config) {
            var best: DecodeStepMeasurement?
            for _ in 0..<options.rounds {
                let m = try DecodeProbe.measure(config: variant, context: context, minimumSeconds: options.seconds, memoryLimit: CostLab.memoryLimit)
                if best == nil || m.seconds < best!.seconds { best = m }
            }
            guard let m = best else { continue }
            let row = CostLabResult.Row(own: own, step: m, roofline: roofline)
            let label = "\(model) " + (variant.isLatent ? "MLA r=\(variant.kvLoraRank)" : "\(variant.kind) kv=\(variant.kvHeads)") + (own ? "*" : "")
            times[variant.kind] = m.seconds
            print("\(pad(label, 24)) \(pad(String(format: "%.1f", Double(m.bytesRead) / 1048576), 9)) \(pad(String(format: "%.0f", Double(m.flops) / 1e6), 8)) \(pad(String(format: "%.1f", m.opsPerByte), 7)) \(pad(row.regime == .memory ? "memory" : "compute", 8)) \(pad(String(m.layers), 6)) \(pad(String(format: "%.3f", row.rooflineSeconds * 1e3), 11)) \(pad(String(format: "%.3f", m.seconds * 1e3), 8)) \(pad(row.shareOfRoofline.map { String(format: "%.0f%%", 100 * $0) } ?? "-", 6))")
        }
        if let gqa = times[.gqa], let mha = times[.mha] {
            print(String(format: "  %@: GQA takes %.2f× the MHA time", model, gqa / mha))
        }
    }
    print("")
    print("roofline ms = max(bytes read / triad bandwidth, FLOPs / sgemm rate); share = roofline ms / measured ms")
    print("(best of \(options.rounds) rounds, each the median step over about \(options.seconds) s). * the model's own variant.")
    print("Load average at the end: \(loadAverage()).")
}

/// The 1-minute load average, which says how much other work shared the cores.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "unknown"
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    if let threads = options.threads { setenv("MHALEARN_THREADS", String(threads), 1) }
    if options.help {
        print(helpText)
    } else if let folder = options.dump {
        try ReferenceDump.write(to: URL(fileURLWithPath: folder))
        print("wrote \(ReferenceDump.variants.count) variants to \(folder)")
    } else if options.decodeOnly {
        try decodeBenchmark(options)
    } else {
        try benchmark(options)
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("mhalearn-bench: \(error.message)\n\n\(helpText)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("mhalearn-bench: \(error)\n".utf8))
    exit(1)
}
