// Tests of the `kiln` command line: dump (parse, verify, print), info and
// the usage messages.

// dump prints this file back in the custom form, from a path, from standard
// input and into a file.
// RUN: kiln dump %s | FileCheck %s
// RUN: kiln dump - < %s | FileCheck %s
// RUN: kiln dump %s -o %t.dump
// RUN: FileCheck %s < %t.dump
// RUN: kiln dump --generic %s | FileCheck %s --check-prefix=GENERIC
// RUN: kiln dump --debuginfo %s | FileCheck %s --check-prefix=DEBUG

// A file that is missing, that does not parse, or that fails a verifier or
// type inference: an error naming FILE:LINE:COL on stderr, nothing on stdout,
// and a non-zero exit status.
// RUN: not kiln dump %s.missing 2>&1 | FileCheck %s --check-prefix=MISSING -DFILE=%s.missing
// RUN: not kiln dump %S/Inputs/verifier-error.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not kiln dump %S/Inputs/verifier-error.mlir 2>/dev/null | count 0
// RUN: not kiln dump %S/Inputs/parse-error.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not kiln dump %S/Inputs/parse-error.mlir 2>/dev/null | count 0
// RUN: not kiln dump %S/Inputs/inference-error.mlir 2>&1 | FileCheck %s --check-prefix=INFER
// RUN: not kiln dump - < %S/Inputs/verifier-error.mlir 2>&1 | FileCheck %s --check-prefix=STDIN

// Usage errors.
// RUN: not kiln 2>&1 | FileCheck %s --check-prefix=USAGE
// RUN: not kiln frobnicate 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not kiln dump 2>&1 | FileCheck %s --check-prefix=NO-INPUT
// RUN: not kiln dump %s %s 2>&1 | FileCheck %s --check-prefix=TWO-INPUTS
// RUN: not kiln dump --frobnicate %s 2>&1 | FileCheck %s --check-prefix=DUMP-OPTION
// RUN: not kiln info --frobnicate 2>&1 | FileCheck %s --check-prefix=INFO-OPTION

// Help, on stdout with a zero exit status.
// RUN: kiln --help | FileCheck %s --check-prefix=HELP
// RUN: kiln -h | FileCheck %s --check-prefix=HELP
// RUN: kiln dump --help | FileCheck %s --check-prefix=DUMP-HELP
// RUN: kiln dump -h | FileCheck %s --check-prefix=DUMP-HELP
// RUN: kiln info --help | FileCheck %s --check-prefix=INFO-HELP
// RUN: kiln --version | FileCheck %s --check-prefix=VERSION

// info. lit runs tests with OMP_NUM_THREADS=1.
// RUN: env KILN_CACHE_DIR=%t.cache kiln info | FileCheck %s --check-prefix=INFO -DCACHE=%t.cache
// RUN: env OMP_NUM_THREADS=3 kiln info | FileCheck %s --check-prefix=THREADS
// RUN: env KILN_CACHE_DIR= XDG_CACHE_HOME=/xdg/cache kiln info | FileCheck %s --check-prefix=XDG
// RUN: env -u KILN_CACHE_DIR -u XDG_CACHE_HOME HOME=/home/kiln-user kiln info | FileCheck %s --check-prefix=HOME

// CHECK-LABEL: func.func @model(
// CHECK-SAME: %[[X:[^:]+]]: tensor<64x784xf32>, %[[W:[^:]+]]: tensor<784x10xf32>, %[[B:[^:]+]]: tensor<10xf32>
// CHECK-SAME: -> tensor<64x10xf32>
// CHECK-NEXT: %[[MM:.+]] = kiln.matmul %[[X]], %[[W]] : tensor<64x784xf32>, tensor<784x10xf32>
// CHECK-NEXT: %[[BB:.+]] = kiln.broadcast_to %[[B]] : tensor<10xf32> -> tensor<64x10xf32>
// CHECK-NEXT: %[[SUM:.+]] = kiln.add %[[MM]], %[[BB]] : tensor<64x10xf32>
// CHECK-NEXT: %[[P:.+]] = kiln.softmax %[[SUM]] dim = 1 : tensor<64x10xf32>
// CHECK-NEXT: return %[[P]] : tensor<64x10xf32>

// GENERIC: "builtin.module"() ({
// GENERIC: "func.func"() <{function_type = (tensor<64x784xf32>, tensor<784x10xf32>, tensor<10xf32>) -> tensor<64x10xf32>, sym_name = "model"}> ({
// GENERIC: "kiln.matmul"(%{{.+}}, %{{.+}}) : (tensor<64x784xf32>, tensor<784x10xf32>) -> tensor<64x10xf32>
// GENERIC: "kiln.broadcast_to"(%{{.+}}) : (tensor<10xf32>) -> tensor<64x10xf32>
// GENERIC: "kiln.add"(%{{.+}}, %{{.+}}) : (tensor<64x10xf32>, tensor<64x10xf32>) -> tensor<64x10xf32>
// GENERIC: "kiln.softmax"(%{{.+}}) <{dim = 1 : i64}> : (tensor<64x10xf32>) -> tensor<64x10xf32>
// GENERIC: "func.return"(%{{.+}}) : (tensor<64x10xf32>) -> ()

func.func @model(%x: tensor<64x784xf32>, %w: tensor<784x10xf32>,
                 %b: tensor<10xf32>) -> tensor<64x10xf32> {
  %mm = kiln.matmul %x, %w : tensor<64x784xf32>, tensor<784x10xf32>
  %bb = kiln.broadcast_to %b : tensor<10xf32> -> tensor<64x10xf32>
  // --debuginfo locates the add at its own line and column.
  // DEBUG: kiln.add %{{.+}}, %{{.+}} : tensor<64x10xf32> loc(#[[ADD:loc[0-9]+]])
  // DEBUG: #[[ADD]] = loc("{{.*}}cli.mlir":[[@LINE+1]]:10)
  %sum = kiln.add %mm, %bb : tensor<64x10xf32>
  %p = kiln.softmax %sum dim = 1 : tensor<64x10xf32>
  return %p : tensor<64x10xf32>
}

// MISSING: kiln dump: cannot open input file '[[FILE]]': No such file or directory

// VERIFY: {{^.*}}Inputs{{[/\\]}}verifier-error.mlir:3:8: error: 'kiln.reshape' op cannot reshape [2, 3] (6 elements) to [7] (7 elements)
// VERIFY-NOT: module

// PARSE: {{^.*}}Inputs{{[/\\]}}parse-error.mlir:3:34: error: expected '>' in tensor type
// PARSE-NOT: module

// INFER: {{^.*}}Inputs{{[/\\]}}inference-error.mlir:3:8: error: matmul inner dimensions differ: [2, 3] @ [4, 5] (3 vs 4)
// INFER-NOT: module

// STDIN: {{^}}<stdin>:3:8: error: 'kiln.reshape' op cannot reshape [2, 3] (6 elements) to [7] (7 elements)

// USAGE: {{^}}usage: kiln <command> [options]; run 'kiln --help' for the commands

// UNKNOWN: {{^}}kiln: unknown command 'frobnicate'
// UNKNOWN-NEXT: {{^}}Run 'kiln --help' for the commands.

// NO-INPUT: {{^}}kiln dump: no input file
// NO-INPUT-NEXT: {{^}}Run 'kiln dump --help' for its options.

// TWO-INPUTS: {{^}}kiln dump: more than one input file

// DUMP-OPTION: {{^}}kiln dump: Unknown command line argument '--frobnicate'
// DUMP-OPTION: {{^}}Run 'kiln dump --help' for its options.

// INFO-OPTION: {{^}}kiln info: Unknown command line argument '--frobnicate'
// INFO-OPTION: {{^}}Run 'kiln info --help' for its options.

// HELP: {{^}}OVERVIEW: Kiln's command line
// HELP: {{^}}USAGE{{:}} kiln [subcommand] [options]
// HELP: {{^}}SUBCOMMANDS:
// HELP: bench - Latency and throughput of a model, JIT against AOT
// HELP: compile - Compile an exported model ahead of time
// HELP: dump - Parse and verify kiln IR (a .mlir file or an exported
// HELP: info - Versions, CUDA/NVRTC availability, threads, cache folder
// HELP: run - Run an exported model on .npy inputs
// HELP: Type "kiln <subcommand> --help" to get more help on a specific subcommand

// DUMP-HELP: {{^}}OVERVIEW: Parses FILE
// DUMP-HELP: or "-" for standard input)
// DUMP-HELP: {{^}}USAGE{{:}} kiln dump [options] <FILE>
// DUMP-HELP: {{^}}kiln dump options:
// DUMP-HELP: --debuginfo - print source locations
// DUMP-HELP: --generic - print operations in MLIR's generic form
// DUMP-HELP-NEXT: --no-fusion - compile as kiln::set_fusion_enabled(false)
// DUMP-HELP: -o <FILE> - write to FILE instead of standard output
// DUMP-HELP-NEXT: --stage=<S> - print the IR after a compiler stage

// INFO-HELP: {{^}}OVERVIEW: Prints Kiln
// INFO-HELP: oneDNN
// INFO-HELP: (KILN_CACHE_DIR)
// INFO-HELP: {{^}}USAGE{{:}} kiln info [options]{{$}}

// VERSION: {{^}}kiln {{[0-9]+\.[0-9]+\.[0-9]+}} (LLVM 19.{{[0-9]+\.[0-9]+}}){{$}}

// INFO: {{^}}Kiln {{[0-9]+\.[0-9]+\.[0-9]+$}}
// INFO-NEXT: LLVM/MLIR: 19.{{[0-9]+\.[0-9]+$}}
// INFO-NEXT: oneDNN: {{[0-9]+\.[0-9]+\.[0-9]+}} ({{.+}} CPU runtime){{$}}
// INFO-NEXT: threads: 1{{$}}
// INFO-NEXT: cache directory: [[CACHE]]{{$}}
// INFO-NEXT: CUDA driver: {{([0-9]+\.[0-9]+, [0-9]+ GPU\(s\)|not available \(.+\))$}}
// INFO-NEXT: NVRTC: {{([0-9]+\.[0-9]+|not available)$}}
// INFO-NOT: {{.}}

// THREADS: threads: 3{{$}}

// XDG: cache directory: /xdg/cache/kiln{{$}}

// HOME: cache directory: /home/kiln-user/.cache/kiln{{$}}
