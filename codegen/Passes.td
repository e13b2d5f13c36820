//===- Passes.td - Kiln's code generation passes -----------*- tablegen -*-===//
#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnToLinalg : Pass<"kiln-to-linalg"> {
  let summary = "Lower kiln ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every kiln op becomes ops of the upstream tensor-level dialects: elementwise
    ops, broadcasts, reductions, iota and the counter-based RNG become
    `linalg.generic` loops whose bodies use `arith` and `math`; transposes,
    matmuls and fills become named linalg ops; reshapes, slices, concatenation
    and padding become `tensor` ops. Composite ops must have been decomposed
    first (`kiln-decompose`). The result is ready for one-shot bufferization.

    Integer division by zero (and INT_MIN / -1) yields 0 instead of trapping;
    gather indices outside the table are clamped into it, so no index can read
    outside a buffer.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def KilnLibraryCalls : Pass<"kiln-library-calls", "::mlir::ModuleOp"> {
  let summary = "Call oneDNN for f32 matmuls and convolutions on buffers";
  let description = [{
    After bufferization and before `kiln-plan-memory` (which then counts
    each call as one kernel), rewrites each f32 `linalg.matmul` and
    `linalg.batch_matmul` into a call of the runtime's oneDNN entry points
    (`kiln_matmul_f32`, `kiln_batch_matmul_f32`, through the C interface of
    memref descriptors, so any strides work), and each f32
    `linalg.conv_2d_nchw_fchw` into `kiln_conv2d_f32` with its strides and
    dilations (its input is already padded). Other element types and
    grouped convolutions keep their loops, and so do contractions of fewer
    than `min-work` multiply-adds, which generated loops finish before a
    library call would have dispatched. oneDNN primitives are created once
    per shape and thread by the runtime.

    A matmul operand that is a `linalg.transpose` copy made only for it
    (`x @ w.t()` in nn::Linear, and most operands of the backward matmuls)
    is read through a `memref.transpose` view of the copy's source instead,
    when nothing writes the source in between: the copy and its buffer go.
    A matmul whose output a `linalg.fill` zeroed for it to add to calls the
    epilogue entry point with nothing to apply, which writes the result
    whole, and the fill goes.

    With `epilogues`, the elementwise loop that finishes a contraction's
    result goes into the call as oneDNN's bias and post-ops, so the result
    is written once instead of written, read and written again. That loop
    must be a `linalg.generic` that is the only reader of the result (which
    a `linalg.fill` zeroed before the contraction), and compute from it, in
    order: an optional bias (broadcast along every dimension but the last
    for a matmul, the channels for a convolution), then any of relu, gelu
    (either approximation), tanh, sigmoid and the addition of one buffer of
    the result's shape. The call (`kiln_matmul_epilogue_f32`,
    `kiln_batch_matmul_epilogue_f32`, `kiln_conv2d_epilogue_f32`) takes the
    generic's place and writes its output; the attribute `kiln.epilogue`
    names what it absorbed. A result used elsewhere (a pre-activation that
    the gradient reads) keeps the plain call and the loop.

    ```mlir
    linalg.fill ins(%zero : f32) outs(%c : memref<64x256xf32>)
    linalg.matmul ins(%x, %w : ...) outs(%c : memref<64x256xf32>)
    linalg.generic ins(%c, %bias : memref<64x256xf32>, memref<256xf32>)
                   outs(%y : memref<64x256xf32>) { addf, maximumf }
    // becomes
    call @kiln_matmul_epilogue_f32(%x, %w, %y, %bias, %y, %c1)
        {kiln.epilogue = ["bias", "relu"]}
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Fewest multiply-adds (product of the loop ranges) worth a call">,
    Option<"fuseEpilogues", "epilogues", "bool", /*default=*/"true",
           "Apply the elementwise loop after a contraction in its call">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
  let statistics = [
    Statistic<"numCalls", "calls", "Contractions turned into library calls">,
    Statistic<"numEpilogues", "epilogues",
              "Elementwise loops applied by a library call">
  ];
}

def KilnContractionLoops
    : Pass<"kiln-contraction-loops", "::mlir::func::FuncOp"> {
  let summary = "Order the loops of contractions left to codegen for vectors";
  let description = [{
    Matmuls and convolutions that are not library calls (other element types,
    grouped convolutions, `use_deterministic_algorithms`, AOT objects built
    with `--no-library-calls`) become loops. In their named order the
    reduction is innermost, so the innermost loop reads one operand with a
    stride and sums into one scalar: it does not vectorize without
    reassociating the sum. This pass generalizes each contraction and
    convolution and moves its reduction loops just outside its last
    parallel loop (`(i, j, k)` becomes `(i, k, j)`): the innermost loop then
    runs along the contiguous last dimension of the output and of one input,
    and LLVM vectorizes it. Each output element still sums its terms in the
    same order, so the result is the same and does not depend on the thread
    count.

    ```mlir
    linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>)
                  outs(%c : memref<4x16xf32>)
    // becomes
    linalg.generic {iterator_types = ["parallel", "reduction", "parallel"]}
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
  let statistics = [
    Statistic<"numReordered", "reordered", "Contractions whose loops moved">
  ];
}

def KilnParallelize : Pass<"kiln-parallelize", "::mlir::ModuleOp"> {
  let summary = "Run large parallel loops on the runtime's OpenMP threads";
  let description = [{
    After `convert-linalg-to-parallel-loops`, outlines the body of each
    outermost `scf.parallel` that has enough work (its estimated operation
    count is at least `min-work`) into a private function
    `(!llvm.ptr context, i64 begin, i64 end)` that runs the outer dimension's
    iterations [begin, end). The loop becomes a call of the runtime's
    `kiln_parallel_for`, which splits the iterations over libgomp's threads.
    The values the body uses are passed through the context: buffers as
    their aligned pointers (their static layout is rebuilt in the callee),
    scalars as 64-bit words; constants are cloned.

    Each iteration writes its own elements and reductions stay inside one
    iteration, so results do not depend on the thread count. Loops with
    results, dynamic outer bounds or dynamic layouts stay serial.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Smallest estimated operation count worth running in parallel">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect"
  ];
  let statistics = [
    Statistic<"numLoops", "loops", "Loops handed to kiln_parallel_for">
  ];
}

def KilnPlanMemory : Pass<"kiln-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Place each function's temporary buffers in one arena";
  let description = [{
    After bufferization (results already out-parameters, before the
    deallocation pipeline), gives every public function a last argument
    `%arena: memref<Nxi8>` and turns each statically shaped `memref.alloc`
    of its body into a `memref.view` of the arena at an offset chosen by
    the runtime's planner (`runtime/MemoryPlan.h`): buffers live at the same
    time never overlap, and a buffer's memory is reused once its last use
    has run. An elementwise `linalg.generic` (parallel loops, identity
    maps) writes its output in place of an input of the same type that it
    reads last: the two share one offset. Lifetimes are measured in top-level ops of the body: a buffer
    is live from its allocation to the last op that uses it or a view of
    it. Buffers that escape (returned, yielded from a region) keep their
    allocation.

    The function gets the plan as attributes: `kiln.arena_bytes`,
    `kiln.arena_lower_bound` (the most bytes live at one step),
    `kiln.arena_naive_bytes` (every buffer apart) and `kiln.arena_buffers`
    (per buffer: bytes, first step, last step, offset), which `kiln plan`
    prints, and `kiln.kernels` (the loop nests and library calls it runs). The caller provides the arena, so running a planned function
    allocates nothing.

    Donation: `kiln.donatable` (with `kiln.num_inputs`, which the pipeline
    sets) lists arguments the caller no longer needs, such as an
    optimizer's old parameters and moments. Each becomes the first
    out-parameter of its type that one elementwise `linalg.generic` writes
    while reading the argument at the same element, when nothing reads the
    argument after that loop and nothing touches the out-parameter before
    it. The argument's uses then read the out-parameter, so the loop reads
    and writes one buffer, and the function lists the pairs as
    `kiln.donations = [input, result, ...]`: the caller passes one buffer
    for both, and the update happens in place.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Alignment of every buffer in the arena, in bytes">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"
  ];
  let statistics = [
    Statistic<"numPlanned", "buffers", "Allocations placed in an arena">
  ];
}

def KilnOutlineKernels : Pass<"kiln-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Give each loop nest of a large function a function of its own";
  let description = [{
    After memory planning, a function with more than `min-kernels` loop
    nests (bufferized linalg ops at its top level) gets each of them moved
    into a private function, `@<name>_kernel<k>`, that takes the buffers
    (and the values from above that are not constants) it uses, and is
    marked `noinline`; the loop nest becomes a `func.call`. LLVM's
    optimizations ask questions that walk a whole function (scalar
    evolution's guards, the dominator tree), so a function of a thousand
    sequential loops takes time that grows with the square of their number
    to compile; a thousand functions of one loop each take linear time.
    Smaller functions stay as they are. A program with one output per live
    tensor (a `kiln::sync()` of a thousand pending tensors) is the case.

    ```mlir
    func.func @main(%a: memref<8xf32>, %b: memref<8xf32>) {
      linalg.generic ... ins(%a : memref<8xf32>) outs(%b : memref<8xf32>) {...}
      ...
    }
    // becomes
    func.func private @main_kernel0(%a: memref<8xf32>, %b: memref<8xf32>)
        attributes {passthrough = ["noinline"]} {
      linalg.generic ... ins(%a : memref<8xf32>) outs(%b : memref<8xf32>) {...}
      return
    }
    func.func @main(%a: memref<8xf32>, %b: memref<8xf32>) {
      call @main_kernel0(%a, %b) : (memref<8xf32>, memref<8xf32>) -> ()
      ...
    }
    ```
  }];
  let options = [
    Option<"minKernels", "min-kernels", "unsigned", /*default=*/"32",
           "Outline the loop nests of functions with more than this many">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect"
  ];
  let statistics = [
    Statistic<"numOutlined", "kernels", "Loop nests moved into functions">
  ];
}

def KilnInlineFusions : Pass<"kiln-inline-fusions"> {
  let summary = "Replace each kiln.fusion region by its lowered body";
  let description = [{
    After `kiln-to-linalg` (and linalg's elementwise fusion, which makes the
    region's loops one loop nest), the ops inside each `kiln.fusion` move to
    where the region was: its block arguments become the region's inputs and
    the values of its `kiln.yield` its results. The loops the region fused
    stay one loop nest.
  }];
}

def KilnFoldSplatInputs : Pass<"kiln-fold-splat-inputs"> {
  let summary = "Loops read a splat constant's scalar, not its tensor";
  let description = [{
    A `linalg.generic` input defined by a splat `arith.constant` becomes a
    scalar constant used in the loop body, as linalg's elementwise fusion
    folds them inside fused regions: with fusion off, `x + 1` is still one
    loop reading one array. An input is kept when the other operands would
    not give every loop its bounds (the sum of a constant, say).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def KilnFillSplatConstants : Pass<"kiln-fill-splat-constants"> {
  let summary = "Splat tensor constants become linalg.fill of a new tensor";
  let description = [{
    A splat tensor constant still used as a tensor (by a library call or as
    a result) becomes `linalg.fill` of a `tensor.empty`; unused constants
    are erased. Bufferized as it is, each would be a constant global of its
    full size in the program, and MLIR 19 writes a global of negative zeros
    as zero bits (its LLVM translation tests a splat with isZeroValue(),
    which holds for -0.0 too).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def KilnCopyReturnedArguments : Pass<"kiln-copy-returned-arguments"> {
  let summary = "Every returned value is a distinct value the function computes";
  let description = [{
    Results become caller-provided out-parameters, and MLIR 19's
    `buffer-results-to-out-params` crashes on a result that is an argument
    (`x * 1` folds to `x`; the gradient of `x * y` with respect to `y` is
    `x`) or that is returned twice (two handles on tensors that fold to one
    value): such results are returned as `linalg.copy`s into new tensors.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def KilnCountInputs : Pass<"kiln-count-inputs", "::mlir::ModuleOp"> {
  let summary = "Record the input count of functions that donate inputs";
  let description = [{
    Before results become out-parameters after the inputs, a function with
    `kiln.donatable` inputs gets `kiln.num_inputs`, its argument count:
    `kiln-plan-memory` counts the outputs it pairs with donated inputs from
    there.
  }];
}

def KilnBarePointers : Pass<"kiln-bare-pointers", "::mlir::ModuleOp"> {
  let summary = "Functions take each buffer as one pointer to its data";
  let description = [{
    Marks every defined function whose buffers all have static shapes and
    layouts `llvm.bareptr`: lowered to LLVM, it takes each buffer as one
    pointer, its shape, strides and offset being in its type, instead of a
    memref descriptor of five or more words. A program with a thousand
    outputs would otherwise take thousands of arguments, and LLVM's
    interprocedural passes grow with the square of a call's arguments. A
    private function with a dynamic buffer keeps its descriptors; a public
    one (an entry point the runtime calls with pointers) is an error.
  }];
}

#endif // KILN_CODEGEN_PASSES_TD
