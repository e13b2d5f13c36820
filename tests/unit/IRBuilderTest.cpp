//===- IRBuilderTest.cpp - Building kiln IR from C++ ----------------------===//
//
// Builds functions with the C++ builder API the way the frontend will,
// checks the inferred result types, and checks that shape errors are caught
// with messages that name the shapes.
//
//===----------------------------------------------------------------------===//
#include "kiln/ir/KilnDialect.h"
#include "kiln/ir/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace mlir;
using namespace kiln::ir;

namespace {

class IRBuilderTest : public ::testing::Test {
protected:
  IRBuilderTest() : builder(&context) {
    context.loadDialect<KilnDialect, func::FuncDialect>();
    // Collect diagnostics instead of printing them.
    handler.emplace(&context, [this](Diagnostic &diag) {
      messages += diag.str() + "\n";
      for (Diagnostic &note : diag.getNotes())
        messages += note.str() + "\n";
      return success();
    });
    module = ModuleOp::create(loc());
  }

  Location loc() { return FileLineColLoc::get(&context, "model.cpp", 12, 3); }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  /// Starts `func.func @name(args)` and returns its arguments.
  Block::BlockArgListType startFunction(StringRef name, TypeRange args) {
    builder.setInsertionPointToEnd(module->getBody());
    auto fn = builder.create<func::FuncOp>(loc(), name,
                                           builder.getFunctionType(args, {}));
    builder.setInsertionPointToEnd(fn.addEntryBlock());
    return fn.getArguments();
  }

  /// Ends the current function returning `results`, fixing its type.
  void finishFunction(ValueRange results) {
    builder.create<func::ReturnOp>(loc(), results);
    auto fn = cast<func::FuncOp>(builder.getInsertionBlock()->getParentOp());
    fn.setType(
        builder.getFunctionType(fn.getArgumentTypes(), TypeRange(results)));
  }

  MLIRContext context;
  OpBuilder builder;
  std::optional<ScopedDiagnosticHandler> handler;
  std::string messages;
  OwningOpRef<ModuleOp> module;
};

TEST_F(IRBuilderTest, MlpForwardInfersEveryType) {
  auto args = startFunction(
      "mlp", {f32({64, 784}), f32({784, 256}), f32({256}), f32({256, 10})});
  Value x = args[0], w1 = args[1], b1 = args[2], w2 = args[3];

  auto h = builder.create<MatmulOp>(loc(), x, w1);
  EXPECT_EQ(h.getType(), f32({64, 256}));
  auto bias =
      builder.create<BroadcastToOp>(loc(), b1, ArrayRef<int64_t>{64, 256});
  auto sum = builder.create<AddOp>(loc(), h, bias);
  auto act = builder.create<ReluOp>(loc(), sum);
  EXPECT_EQ(act.getType(), f32({64, 256}));
  auto logits = builder.create<MatmulOp>(loc(), act, w2);
  auto logp = builder.create<LogSoftmaxOp>(loc(), logits, 1);
  EXPECT_EQ(logp.getType(), f32({64, 10}));
  auto rowSum = builder.create<ReduceSumOp>(
      loc(), logp, builder.getDenseI64ArrayAttr({1}), /*keepdim=*/false);
  EXPECT_EQ(rowSum.getType(), f32({64}));
  auto kept = builder.create<ReduceMaxOp>(
      loc(), logp, builder.getDenseI64ArrayAttr({1}), /*keepdim=*/true);
  EXPECT_EQ(kept.getType(), f32({64, 1}));
  auto pred = builder.create<ArgmaxOp>(loc(), logits, 1, /*keepdim=*/false);
  EXPECT_EQ(pred.getType(),
            RankedTensorType::get({64}, builder.getIntegerType(64)));
  auto mask =
      builder.create<CompareOp>(loc(), CompareDirection::gt, logits, logp);
  EXPECT_EQ(mask.getType(),
            RankedTensorType::get({64, 10}, builder.getIntegerType(1)));
  auto t = builder.create<TransposeOp>(loc(), logits,
                                       builder.getDenseI64ArrayAttr({1, 0}));
  EXPECT_EQ(t.getType(), f32({10, 64}));
  auto half = builder.create<ConvertOp>(loc(), t, builder.getF16Type());
  EXPECT_EQ(half.getType(),
            RankedTensorType::get({10, 64}, builder.getF16Type()));
  finishFunction({rowSum, pred, half});

  EXPECT_TRUE(succeeded(verify(*module))) << messages;
  EXPECT_EQ(messages, "");
}

TEST_F(IRBuilderTest, ShapeOpsInferTypes) {
  auto args = startFunction(
      "shapes",
      {f32({4, 5}), f32({2, 5}),
       RankedTensorType::get({3}, builder.getIntegerType(64)), f32({})});
  auto slice = builder.create<SliceOp>(loc(), args[0],
                                       builder.getDenseI64ArrayAttr({0, 1}),
                                       builder.getDenseI64ArrayAttr({2, 5}),
                                       builder.getDenseI64ArrayAttr({1, 2}));
  EXPECT_EQ(slice.getType(), f32({2, 2}));
  auto cat = builder.create<ConcatOp>(loc(), ValueRange{args[0], args[1]}, 0);
  EXPECT_EQ(cat.getType(), f32({6, 5}));
  auto rows = builder.create<GatherOp>(loc(), args[0], args[2], 0);
  EXPECT_EQ(rows.getType(), f32({3, 5}));
  auto padded = builder.create<PadOp>(loc(), args[0], args[3],
                                      builder.getDenseI64ArrayAttr({1, 0}),
                                      builder.getDenseI64ArrayAttr({0, 2}));
  EXPECT_EQ(padded.getType(), f32({5, 7}));
  auto flat = builder.create<ReshapeOp>(loc(), args[0], ArrayRef<int64_t>{20});
  EXPECT_EQ(flat.getType(), f32({20}));
  auto batched = builder.create<MatmulOp>(
      loc(),
      builder.create<ReshapeOp>(loc(), flat, ArrayRef<int64_t>{2, 1, 2, 5}),
      builder.create<BroadcastToOp>(
          loc(),
          builder.create<TransposeOp>(loc(), args[1],
                                      builder.getDenseI64ArrayAttr({1, 0})),
          ArrayRef<int64_t>{3, 5, 2}));
  EXPECT_EQ(batched.getType(), f32({2, 3, 2, 2}));
  finishFunction({slice, cat, rows, padded, batched});
  EXPECT_TRUE(succeeded(verify(*module))) << messages;
}

TEST_F(IRBuilderTest, ConvolutionAndPoolingInferTypes) {
  auto args = startFunction("cnn", {f32({8, 3, 32, 32}), f32({16, 3, 3, 3})});
  auto conv = builder.create<Conv2dOp>(loc(), args[0], args[1],
                                       builder.getDenseI64ArrayAttr({2, 2}),
                                       builder.getDenseI64ArrayAttr({1, 1}),
                                       builder.getDenseI64ArrayAttr({1, 1}), 1);
  EXPECT_EQ(conv.getType(), f32({8, 16, 16, 16}));
  auto pool = builder.create<MaxPool2dOp>(loc(), conv,
                                          builder.getDenseI64ArrayAttr({2, 2}),
                                          builder.getDenseI64ArrayAttr({2, 2}),
                                          builder.getDenseI64ArrayAttr({0, 0}));
  EXPECT_EQ(pool.getType(), f32({8, 16, 8, 8}));
  finishFunction({pool});
  EXPECT_TRUE(succeeded(verify(*module))) << messages;
}

TEST_F(IRBuilderTest, BroadcastErrorNamesTheShapes) {
  auto args = startFunction("bad_broadcast", {f32({3, 4})});
  auto op =
      builder.create<BroadcastToOp>(loc(), args[0], ArrayRef<int64_t>{2, 5, 4});
  finishFunction({op});
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(messages.find("cannot broadcast shape [3, 4] to [2, 5, 4]"),
            std::string::npos)
      << messages;
}

TEST_F(IRBuilderTest, ElementwiseOperandsMustMatch) {
  // Broadcasting is the frontend's job: add never broadcasts by itself.
  auto args = startFunction("bad_add", {f32({2, 3}), f32({3})});
  auto op = builder.create<AddOp>(loc(), args[0].getType(), args[0], args[1]);
  finishFunction({op});
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(messages.find("must have the same shape"), std::string::npos)
      << messages;
  // The note shows the offending operation with its types.
  EXPECT_NE(
      messages.find("(tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>"),
      std::string::npos)
      << messages;
}

TEST_F(IRBuilderTest, InferenceFailureReportsShapesAtTheLocation) {
  auto args = startFunction("bad_matmul", {f32({2, 3}), f32({4, 5})});
  SmallVector<Type> types;
  LogicalResult result =
      MatmulOp::inferReturnTypes(&context, loc(), ValueRange{args[0], args[1]},
                                 nullptr, nullptr, {}, types);
  EXPECT_TRUE(failed(result));
  EXPECT_NE(messages.find("matmul inner dimensions differ: [2, 3] @ [4, 5]"),
            std::string::npos)
      << messages;

  messages.clear();
  auto batchArgs = startFunction("bad_batch", {f32({2, 3, 4}), f32({5, 4, 6})});
  types.clear();
  result = MatmulOp::inferReturnTypes(&context, loc(),
                                      ValueRange{batchArgs[0], batchArgs[1]},
                                      nullptr, nullptr, {}, types);
  EXPECT_TRUE(failed(result));
  EXPECT_NE(messages.find("batch dimensions of [2, 3, 4] and [5, 4, 6] do not "
                          "broadcast"),
            std::string::npos)
      << messages;
}

TEST_F(IRBuilderTest, FoldersSimplifyWhileBuilding) {
  auto args = startFunction("fold", {f32({2, 3})});
  Value x = args[0];
  auto zero = builder.create<ConstantOp>(
      loc(),
      DenseElementsAttr::get(f32({2, 3}), builder.getF32FloatAttr(-0.0f)));
  // createOrFold runs the folders: x + (-0.0) is x (exactly, unlike
  // x + 0.0), reshape to the same type is x.
  Value sum = builder.createOrFold<AddOp>(loc(), x, zero);
  EXPECT_EQ(sum, x);
  Value same =
      builder.createOrFold<ReshapeOp>(loc(), x, ArrayRef<int64_t>{2, 3});
  EXPECT_EQ(same, x);
  Value twice = builder.createOrFold<TransposeOp>(
      loc(),
      builder.create<TransposeOp>(loc(), x,
                                  builder.getDenseI64ArrayAttr({1, 0})),
      builder.getDenseI64ArrayAttr({1, 0}));
  EXPECT_EQ(twice, x);
  finishFunction({sum});
  EXPECT_TRUE(succeeded(verify(*module))) << messages;
}

} // namespace

namespace {

// The frontend records ops by name ("kiln.add"): every name it spells is an
// op the dialect registers, so that no recording can build IR that does not
// parse. The names are read from the frontend's sources (Types.h and
// Types.cpp spell dtype names, "kiln.float32", which are not ops).
TEST(FrontendOpNames, AreRegisteredKilnOps) {
  MLIRContext context;
  context.loadDialect<KilnDialect, func::FuncDialect>();
  std::regex literal(R"re("(kiln\.[a-z0-9_]+)")re");
  std::set<std::string> names;
  size_t files = 0;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(KILN_SOURCE_DIR) / "frontend")) {
    std::string ext = entry.path().extension().string();
    std::string file = entry.path().filename().string();
    if ((ext != ".cpp" && ext != ".h") || file == "Types.cpp" ||
        file == "Types.h")
      continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), literal), end;
         it != end; ++it)
      names.insert((*it)[1]);
  }
  ASSERT_GT(files, 10u);
  ASSERT_GT(names.size(), 40u) << "the scan found too few op names";
  for (const std::string &name : names)
    EXPECT_TRUE(RegisteredOperationName::lookup(name, &context).has_value())
        << name << " is recorded by the frontend but is not a kiln op";
}

} // namespace
