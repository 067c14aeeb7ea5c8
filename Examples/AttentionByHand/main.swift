// AttentionByHand: attention worked out with every matrix printed, then checked against the
// library. Sections (default: single):
//   single     one head, 4 tokens, d = 4: Q, K, V, QKᵀ, scaled, softmax, output, and the backward
//   masks      padding and causal masks on the same example
//   scaling    why divide by √d: variance of q·k and softmax saturation for d = 4 … 1024
//   heads      multi-head: C = 4 as 2 heads of D = 2, merged and projected
//   positions  sinusoidal positions: shifts are rotations, dot products depend on the offset
//   blocks     pre-LN vs post-LN at initialisation: activation and gradient sizes per layer
//   trace      the names and shapes EncoderTrace records (on the demo model)
//   all        every section above
//   demo-model DIR   write a seeded random model folder for `tinyencoder attention`/`trace`
// Not handled: anything that needs the shipped model (see the SentenceSimilarity example).

import Foundation
import TinyEncoder

let arguments = Array(CommandLine.arguments.dropFirst())
let sections: [String: () throws -> Void] = [
    "single": SingleHead.run, "masks": Masks.run, "scaling": Scaling.run, "heads": MultiHead.run,
    "positions": PositionsByHand.run, "blocks": PreVersusPostLN.run, "trace": DemoModel.listTrace,
]
let order = ["single", "masks", "scaling", "heads", "positions", "blocks", "trace"]
let usage = "usage: swift run -c release AttentionByHand [\(order.joined(separator: "|"))|all] | demo-model DIR"

do {
    switch arguments.first ?? "single" {
    case "all":
        for name in order { try sections[name]!() }
    case "demo-model":
        guard arguments.count == 2 else {
            FileHandle.standardError.write("\(usage)\ndemo-model needs the folder to write, e.g. demo-model /tmp/tinyencoder-demo\n".data(using: .utf8)!)
            exit(2)
        }
        try DemoModel.write(to: arguments[1])
    case "-h", "--help", "help":
        print(usage)
    case let name:
        guard let section = sections[name], arguments.count <= 1 else {
            FileHandle.standardError.write("\(usage)\nunknown section \"\(arguments.joined(separator: " "))\"\n".data(using: .utf8)!)
            exit(2)
        }
        try section()
    }
} catch {
    FileHandle.standardError.write("AttentionByHand: \(error)\n".data(using: .utf8)!)
    exit(1)
}
