import ArgumentParser
import AttentionCore
import Foundation
import ExpressionLanguage
import Lessons
import LiveValues
import Reports
import MarkdownTerminal
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mhalearn model NAME|PATH`: explains a published model's attention configuration by building one
/// layer of its exact shape in the attention core and running it.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Explain a published model's attention: heads, K/V heads, head width, KV cache.",
        discussion: """
        NAME is a model from the catalog (`mhalearn model --list`), matched ignoring case and dashes, \
        e.g. llama-2-70b, "Llama 2 70B" or meta-llama/Llama-2-70b-hf. PATH is a Hugging Face \
        config.json, or a folder holding one; an existing file or folder wins over a catalog name.

        The numbers are not typed in: one layer of the model's exact shape (d_model, query heads, K/V \
        heads, head width, MLA latent) is built with seeded weights and run on 4 tokens, and the head \
        counts, head width, attention computations and KV-cache bytes are read from that run and the \
        core's cost model. KV-cache bytes are per token, for all layers, in bf16 unless --dtype says otherwise.

        Exit status: 0 success; 1 when a config.json cannot be resolved or the layer cannot be built; \
        64 for an unknown model name, a missing file, or bad usage.

        Examples:
          mhalearn model --list
          mhalearn model llama-2-70b
          mhalearn model "Mistral 7B" --json
          mhalearn model ~/models/my-model/config.json --dtype int8
        """
    )

    @Argument(help: ArgumentHelp("A catalog model name, or a config.json file or folder.", valueName: "NAME|PATH"))
    var model: String?

    @Flag(help: "Print the numbers as JSON instead of text.")
    var json = false

    @Flag(help: "List the catalog's models and where their numbers come from.")
    var list = false

    @Option(help: ArgumentHelp("Number format of the cached keys and values: fp32, bf16, fp16 or int8.", valueName: "TYPE"))
    var dtype: String = "bf16"

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if list, model != nil {
            throw ValidationError("Give either a model or --list, not both.")
        }
        if !list, model == nil {
            throw ValidationError("Name a model (see `mhalearn model --list`) or give the path of a config.json.")
        }
        if DType(rawValue: dtype.lowercased()) == nil {
            let known = DType.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--dtype \(dtype): use one of \(known).")
        }
    }

    func run() throws {
        let settings = TerminalSettings(options: output)
        let style = TerminalStyle(color: settings.color)
        if list {
            if json {
                TerminalOutput.writeOut(try ModelReport.listJSON())
            } else {
                TerminalOutput.show(text: ModelReport.listText(width: settings.width, style: style), settings: settings)
            }
            return
        }
        guard let model else { throw ValidationError("Name a model or give the path of a config.json.") }
        let (configuration, entry, file) = try ModelCommand.resolve(model)
        let measured: ModelRun
        if isatty(STDERR_FILENO) != 0, let bytes = configuration.attentionConfig.estimatedBytes(tokens: ModelRun.defaultTokens),
           bytes > 256 << 20 {
            Standard.error("building one layer of \(configuration.name)'s shape (about \(formatBytes(bytes)) of weights) and running it…\n")
        }
        do {
            measured = try configuration.run()
        } catch let error as AttentionError {
            Standard.error("error: cannot build \(configuration.name)'s layer: \(error.message)\n")
            throw ExitCode.failure
        }
        let format = DType(rawValue: dtype.lowercased()) ?? .bf16
        let report = ModelReport(measured, entry: entry, file: file, dtype: format)
        TerminalOutput.writeOut(json ? try report.json() : report.text(width: settings.width, style: style))
    }

    /// The configuration named by `argument`: a file or folder if one exists there (returned as its
    /// path), else a catalog entry.
    /// Also what `lesson --model` and `practice --model` read; `command` names the command in usage errors.
    static func resolve(_ argument: String, command: String = "model") throws -> (ModelConfiguration, CatalogEntry?, String?) {
        let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue, !FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
                throw usageFailure("\(argument): this folder holds no config.json; point at a model folder with one, or at the file itself.",
                                   command: command)
            }
            do {
                return (try ConfigReader.read(contentsOf: url), nil, url.path)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        if let entry = ModelCatalog.entry(named: argument) {
            do {
                return (try entry.configuration(), entry, nil)
            } catch let error as ConfigError {
                Standard.error("\(error)")
                throw ExitCode.failure
            }
        }
        var link = stat()
        if lstat(url.path, &link) == 0 {
            // a path that exists but cannot be followed (a symbolic link loop, a dangling link)
            Standard.error("error: \(url.path): " + (stat(url.path, &link) != 0 && errno == ELOOP
                ? "is a symbolic link loop (it points, through other links, back to itself)."
                : "is a symbolic link to nothing (\(String(cString: strerror(errno)))).") + "\n")
            throw ExitCode(64)
        }
        if argument.hasSuffix(".json") || argument.hasPrefix(".") || argument.hasPrefix("/") || argument.hasPrefix("~") {
            Standard.error("error: \(argument): no such file or folder.\n")
            throw ExitCode(64)
        }
        let unknown = UnknownModelError(name: argument, suggestion: ModelCatalog.suggestion(for: argument))
        Standard.error("error: \(unknown)\n")
        throw ExitCode(64)
    }
}
