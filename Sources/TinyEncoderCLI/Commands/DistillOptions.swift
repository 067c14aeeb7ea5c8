// The options of `tinyencoder distill`, read and checked in one place, and the student model a new
// run starts from (a preset or config, or --init-from, with --init-static's token table).
// Not handled: students whose tokenizer has no [CLS]/[SEP]/[MASK]/[PAD] tokens.

import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore
import Tokenization

struct DistillOptions {
    let teacher: URL
    let corpus: URL
    let out: URL
    let cache: URL
    /// The cache path is the default one beside --out (a stale cache there is ours to replace).
    let cacheIsDefault: Bool
    let refreshCache: Bool
    let resume: Bool
    let quiet: Bool
    let log: URL?
    let preset: String
    let configPath: String?
    let initFrom: URL?
    let tokenizerPath: String?
    let initStatic: URL?
    /// --student-layers: the teacher's layers the student starts from (DistilBERT-style).
    let studentLayers: [Int]?
    let studentFFN: Int?
    let initSeed: Int
    let dropout: Float?
    let epochs: Double?
    let stopAfter: Int?
    /// --held-out-file: where to write the held-out lines, in pair order.
    let heldOutFile: URL?
    /// --export: the final student as a plain model folder (no optimiser or run state).
    let export: URL?
    let float16: Bool
    var configuration: DistillationConfiguration
    /// tokenizer.json of the student, stored in its folder (set by `studentTokenizer`).
    private(set) var tokenizerJSON: Data?

    init(_ arguments: inout Arguments) throws {
        teacher = URL(fileURLWithPath: try arguments.required("teacher")).standardizedFileURL
        corpus = URL(fileURLWithPath: try arguments.required("corpus")).standardizedFileURL
        resume = arguments.flag("resume")
        let outPath = try arguments.required("out")
        if !resume && !arguments.flag("force") && DistillationCheckpoint.exists(at: URL(fileURLWithPath: outPath)) {
            throw CLIError("distill: \(outPath) already holds a checkpoint; add --resume to continue it, --force to start over, or choose another --out")
        }
        out = try arguments.requiredOutput("out", kind: .folder, continuing: resume)
        let cachePath = arguments.string("teacher-cache")
        cacheIsDefault = cachePath == nil
        cache = cachePath.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? TeacherCache.defaultURL(besides: out)
        refreshCache = arguments.flag("refresh-cache")
        quiet = arguments.flag("quiet")
        log = try arguments.output("log", kind: .file, continuing: resume)
        preset = arguments.string("preset") ?? "small"
        configPath = arguments.string("config")
        initFrom = arguments.string("init-from").map { URL(fileURLWithPath: $0) }
        tokenizerPath = arguments.string("tokenizer")
        initStatic = arguments.string("init-static").map { URL(fileURLWithPath: $0) }
        studentLayers = try arguments.string("student-layers").map { text in
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw CLIError("distill: --student-layers must list teacher layer numbers like 1,5, got \"\(text)\"")
            }
            return parts.map { $0! }
        }
        studentFFN = try arguments.string("student-ffn").map { _ in try arguments.int("student-ffn", default: 1, in: 1...1_048_576) }
        initSeed = try arguments.int("init-seed", default: 0, in: 0...Int.max)
        dropout = try arguments.string("dropout").map { _ in Float(try arguments.double("dropout", default: 0.1, in: 0...0.99)) }
        heldOutFile = try arguments.output("held-out-file", kind: .file, continuing: resume)
        export = try arguments.output("export", kind: .folder, continuing: resume)  // a resumed run redoes its export
        float16 = arguments.flag("float16")
        if float16 && export == nil { throw CLIError("distill: --float16 applies to --export; add --export DIR") }
        stopAfter = try arguments.string("stop-after").map { _ in try arguments.int("stop-after", default: 1, in: 1...100_000_000) }
        epochs = try arguments.string("epochs").map { _ in try arguments.double("epochs", default: 1, in: 0.001...10_000) }

        configuration = resume ? try DistillationCheckpoint.manifest(at: out).configuration : DistillationConfiguration()
        try DistillOptions.apply(&arguments, to: &configuration, newRun: !resume)
        if epochs != nil && arguments.string("steps") != nil { throw CLIError("distill: give --steps or --epochs, not both") }
        guard ["tiny", "small"].contains(preset) else { throw CLIError("distill: --preset must be tiny or small, got \"\(preset)\"") }
        if configPath != nil && initFrom != nil { throw CLIError("distill: give --config or --init-from, not both (the folder has its config.json)") }
        if studentLayers != nil && (initFrom != nil || configPath != nil || initStatic != nil || arguments.string("preset") != nil || tokenizerPath != nil) {
            throw CLIError("distill: --student-layers builds the student from the teacher (its width, tokenizer and embeddings); drop --init-from, --config, --preset, --tokenizer and --init-static")
        }
        if studentFFN != nil && studentLayers == nil { throw CLIError("distill: --student-ffn narrows a student made with --student-layers; add --student-layers") }
        if resume && (initFrom != nil || initStatic != nil || configPath != nil || studentLayers != nil) {
            throw CLIError("distill: --resume continues the checkpoint's own student; drop --init-from, --init-static and --config")
        }
        if let log, log.path.hasPrefix(out.path + "/") { throw CLIError("distill: --log must be outside --out (the folder is replaced at every checkpoint)") }
        if cache.path.hasPrefix(out.path + "/") { throw CLIError("distill: --teacher-cache must be outside --out (the folder is replaced at every checkpoint)") }
    }

    /// Sets each field whose option was given; a new run's warm-up defaults to 5% of the steps.
    static func apply(_ arguments: inout Arguments, to configuration: inout DistillationConfiguration, newRun: Bool) throws {
        func int(_ name: String, _ range: ClosedRange<Int>, _ set: (Int) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.int(name, default: 0, in: range)) }
        }
        func double(_ name: String, _ range: ClosedRange<Double>, _ set: (Double) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.double(name, default: 0, in: range)) }
        }
        if let loss = try arguments.choice("loss", DistillationConfiguration.Loss.self) { configuration.loss = loss }
        try double("mlm-weight", 0...1e6) { configuration.maskedLMWeight = Float($0) }
        try double("mask-prob", 0.001...1) { configuration.masking.probability = $0 }
        try int("max-length", 3...65536) { configuration.maximumLength = $0 }
        try int("eval-lines", 0...10_000_000) { configuration.evaluationLines = $0 }
        try StepTrainingOptions.apply(&arguments, to: &configuration, newRun: newRun)
        do {
            try configuration.validate()
        } catch {
            throw CLIError("distill: \(error)")
        }
    }

    /// --epochs E as steps: E passes over the training lines (and the warm-up's 5% default again).
    mutating func setSteps(trainingLines: Int) {
        guard let epochs, !resume else { return }
        let perStep = configuration.batchSize * configuration.accumulationSteps
        configuration.steps = max(1, Int((epochs * Double(trainingLines / max(perStep, 1))).rounded()))
        configuration.warmupSteps = configuration.steps / 20
    }

    // MARK: - The student

    /// The student's tokenizer: --tokenizer, else the --resume or --init-from folder's, else the teacher's.
    mutating func studentTokenizer(teacher: SentenceEmbedder) throws -> BPECorpusTokenizer {
        let url = tokenizerPath.map { URL(fileURLWithPath: $0) }
            ?? (resume ? out.appendingPathComponent("tokenizer.json") : initFrom.map { $0.appendingPathComponent("tokenizer.json") })
        let tokenizer = try url.map { try Tokenizer(contentsOf: $0) } ?? teacher.tokenizer
        tokenizerJSON = Data(JSONWriter.bytes(tokenizer.json, pretty: true))
        do {
            return try BPECorpusTokenizer(tokenizer, source: url?.path ?? "the teacher's tokenizer", threads: Threads.count)
        } catch {
            throw CLIError("distill: the student's tokenizer cannot be used: \(error)")
        }
    }

    /// Checks what a new student will be made of, before any long work.
    func checkStudent(tokenizer: BPECorpusTokenizer) throws {
        if let initStatic {
            guard StaticEmbedder.isStaticFolder(initStatic) else {
                throw CLIError("distill: --init-static \(initStatic.path) is not a static model folder (make one with `tinyencoder distill-static`)")
            }
            let model = try StaticEmbedder(folder: initStatic)
            guard model.vocabularySize == tokenizer.vocabularySize,
                  (0..<tokenizer.vocabularySize).allSatisfy({ model.tokenizer.token(forID: $0) == tokenizer.tokenText($0) }) else {
                throw CLIError("distill: --init-static \(initStatic.path) was made with another tokenizer (\(model.vocabularySize) tokens) than the student's (\(tokenizer.vocabularySize)); distil it from the same teacher or pass its tokenizer with --tokenizer")
            }
        }
        if let initFrom { _ = try ModelFolder.load(initFrom) }
        if let studentLayers {
            let folder = try ModelFolder.load(teacher)
            _ = try TeacherInitialization.student(from: folder, layers: studentLayers, intermediateSize: studentFFN)
        }
        if let configPath { _ = try EncoderConfig.load(from: URL(fileURLWithPath: configPath)) }
    }

    /// A new run's student: --init-from's model, or a random one of --config / --preset; with
    /// --init-static's table as its token embedding.
    func makeStudent(tokenizer: BPECorpusTokenizer, teacherWidth: Int, progress: ProgressLine) throws -> SentenceStudent {
        if let studentLayers {
            let folder = try ModelFolder.load(teacher)
            let model = try TeacherInitialization.student(from: folder, layers: studentLayers, intermediateSize: studentFFN, dropout: dropout)
            progress.message("student: the teacher's layers \(studentLayers.map(String.init).joined(separator: ", "))"
                             + (studentFFN.map { ", feed-forward blocks narrowed to their \($0) most important units" } ?? ""))
            // A teacher that ends in a Dense module lends it as the student's projection.
            if let projection = SentenceStudent.projection(from: folder.dense, width: model.encoder.config.width) {
                return SentenceStudent(model: model, projection: projection)
            }
            return SentenceStudent(model: model, teacherWidth: teacherWidth, seed: UInt64(initSeed))
        }
        let model = try PretrainOptions.makeModel(configPath: configPath, preset: preset, initFrom: initFrom, initSeed: initSeed, dropout: dropout,
                                                  tokenizer: tokenizer, sequenceLength: configuration.maximumLength, progress: progress)
        let projection = try initFrom.map { SentenceStudent.projection(from: try ModelFolder.load($0).dense, width: model.encoder.config.width) } ?? nil
        let student = projection != nil ? SentenceStudent(model: model, projection: projection)
                                        : SentenceStudent(model: model, teacherWidth: teacherWidth, seed: UInt64(initSeed))
        if let initStatic {
            let table = try StaticEmbedder(folder: initStatic).table
            guard table.shape[1] == model.encoder.config.width else {
                throw CLIError("distill: --init-static \(initStatic.path) has \(table.shape[1])-wide vectors but the student is \(model.encoder.config.width) wide; distil it with --dim \(model.encoder.config.width)")
            }
            model.encoder.embeddings.token.weight.value = SentenceStudent.tokenTable(fromStatic: table, rootMeanSquare: 2.5 * model.encoder.config.initializerRange)
            progress.message("token embedding from the static model \(initStatic.path)")
        }
        return student
    }
}
