//===- ExportTest.cpp - export_model, load_model, kiln compile/run/bench --===//
//
// The AOT tests build a C program against the compiled model with the C
// compiler CMake found and compare its outputs with the JIT's.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiln;
namespace fs = std::filesystem;
using kiln::testing::expectError;
using kiln::testing::values;

namespace {

class Export : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kiln-export-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string path(const std::string &name) { return (dir / name).string(); }

  static std::string read(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const fs::path &file, const std::string &text) {
    std::ofstream(file, std::ios::binary) << text;
  }

  /// Runs a shell command; returns its exit status and fills `output` with
  /// its standard output and error.
  static int shell(const std::string &command, std::string *output = nullptr) {
    std::string text;
    FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
      return -1;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
      text.append(buffer, n);
    int status = ::pclose(pipe);
    if (output)
      *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  /// The `kiln` command line, with its output and exit status.
  int kiln(const std::string &args, std::string *output = nullptr) {
    return shell(std::string(KILN_CLI) + " " + args, output);
  }

  /// Builds a C program that reads the model's one input from `in.bin`,
  /// runs the model compiled as `name` into `out`, and writes its one
  /// output to `out.bin`. The harness also checks that a null argument is
  /// an error code. Returns the executable.
  std::string buildHarness(const std::string &out, const std::string &name,
                           bool libraryCalls, bool externalWeights = false) {
    std::string N = name;
    for (char &c : N)
      c = static_cast<char>(std::toupper(c));
    std::ostringstream c;
    c << "#include \"" << name << ".h\"\n"
      << "#include <stdio.h>\n#include <stdlib.h>\n"
      << "int main(int argc, char **argv) {\n"
      << "  static float x[" << N << "_INPUT0_NUMEL], y[" << N
      << "_OUTPUT0_NUMEL];\n"
      << "  FILE *f = fopen(argv[1], \"rb\");\n"
      << "  if (!f || fread(x, sizeof x, 1, f) != 1) return 10;\n"
      << "  fclose(f);\n"
      << "  " << name << "_model *m = NULL;\n"
      << "  int code = " << name << "_create(&m"
      << (externalWeights ? ", argc > 3 ? argv[3] : NULL" : "") << ");\n"
      << "  if (code) { printf(\"create: %s\\n\", " << name
      << "_error_string(code)); return 20 + code; }\n"
      << "  if (" << name << "_run(m, NULL, y) != " << N
      << "_ERROR_ARGUMENT) return 11;\n"
      << "  if (" << name << "_run(m, x, y) != " << N << "_OK) return 12;\n"
      << "  " << name << "_destroy(m);\n";
    if (!externalWeights)
      // The handle-free entry: the same outputs from a workspace of the
      // planned size, and an error for a misaligned one.
      c << "  static float z[" << N << "_OUTPUT0_NUMEL];\n"
        << "  char *w = aligned_alloc(64, " << N << "_WORKSPACE_BYTES + 64);\n"
        << "  if (" << name << "_run_with_workspace(w, x, z) != " << N
        << "_OK) return 14;\n"
        << "  if (" << name << "_run_with_workspace(w + 4, x, z) != " << N
        << "_ERROR_ARGUMENT) return 15;\n"
        << "  for (int i = 0; i < " << N << "_OUTPUT0_NUMEL; ++i)\n"
        << "    if (z[i] != y[i]) return 16;\n"
        << "  free(w);\n";
    c << "  f = fopen(argv[2], \"wb\");\n"
      << "  if (!f || fwrite(y, sizeof y, 1, f) != 1) return 13;\n"
      << "  fclose(f);\n"
      << "  return 0;\n}\n";
    write(fs::path(out) / "harness.c", c.str());
    std::string exe = (fs::path(out) / "harness").string();
    std::string command = std::string(KILN_C_COMPILER) + " " +
                          KILN_SANITIZE_FLAGS + " -I" + out + " " + out +
                          "/harness.c " + out + "/" + name + ".o -o " + exe;
    if (libraryCalls)
      command += std::string(" ") + KILN_RUNTIME_LINK;
    command += " -lm";
    std::string log;
    EXPECT_EQ(shell(command, &log), 0) << command << "\n" << log;
    return exe;
  }

  /// Writes `x` (float32) to `in.bin`, runs `exe`, reads `out.bin`.
  std::vector<float> runHarness(const std::string &exe, const Tensor &x,
                                size_t outputs, const std::string &extra = "",
                                int expectedStatus = 0) {
    std::string in = path("in.bin"), out = path("out.bin");
    write(in, std::string(static_cast<const char *>(x.data_ptr()),
                          x.numel() * sizeof(float)));
    std::string log;
    EXPECT_EQ(shell(exe + " " + in + " " + out + " " + extra, &log),
              expectedStatus)
        << log;
    std::vector<float> y(outputs);
    std::string bytes = read(out);
    if (expectedStatus == 0 && bytes.size() == outputs * sizeof(float))
      std::memcpy(y.data(), bytes.data(), bytes.size());
    return y;
  }

  /// Compiles `model` with `args`, builds the harness, runs it on `x` and
  /// compares with `expected`.
  void expectAotMatches(const std::string &model, const std::string &args,
                        const Tensor &x, const Tensor &expected,
                        double tolerance, bool libraryCalls = true) {
    std::string out = path("aot");
    std::string log;
    ASSERT_EQ(kiln("compile " + model + " -o " + out + " " + args, &log), 0)
        << log;
    std::string exe = buildHarness(out, "model", libraryCalls);
    std::vector<float> got =
        runHarness(exe, x, static_cast<size_t>(expected.numel()));
    kiln::testing::expectAllNear(std::vector<double>(got.begin(), got.end()),
                                 values(expected), tolerance);
  }

  fs::path dir;
};

nn::Sequential mlp() {
  return nn::Sequential(nn::Linear(8, 16), nn::ReLU(), nn::Linear(16, 3));
}

TEST_F(Export, WritesAFolderThatLoadModelRuns) {
  manual_seed(0);
  auto model = mlp();
  auto x = randn({4, 8});
  Tensor expected;
  {
    NoGradGuard noGrad;
    expected = model->forward(x);
  }
  export_model(model, {x}, path("mlp.kiln"));
  for (const char *file : {"graph.mlir", "weights.safetensors", "meta.json"})
    EXPECT_TRUE(fs::exists(dir / "mlp.kiln" / file)) << file;
  std::string graph = read(dir / "mlp.kiln" / "graph.mlir");
  EXPECT_NE(graph.find("func.func @forward("), std::string::npos) << graph;
  EXPECT_NE(graph.find("kiln.input = \"input0\""), std::string::npos);
  EXPECT_NE(graph.find("kiln.weight = \"0.weight\""), std::string::npos);
  EXPECT_NE(graph.find("kiln.output = \"output0\""), std::string::npos);
  EXPECT_NE(graph.find("loc(\""), std::string::npos)
      << "source locations are kept";
  std::string meta = read(dir / "mlp.kiln" / "meta.json");
  EXPECT_NE(meta.find("\"format\": 1"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"shape\": [\n        4,\n        8"), std::string::npos)
      << meta;

  ExportedModel loaded = load_model(path("mlp.kiln"));
  ASSERT_EQ(loaded.inputs().size(), 1u);
  EXPECT_EQ(loaded.inputs()[0].shape, (std::vector<int64_t>{4, 8}));
  EXPECT_EQ(loaded.weights().size(), 4u);
  kiln::testing::expectAllNear(values(loaded.forward(x)), values(expected),
                               1e-6);
  EXPECT_TRUE(model->is_training()) << "the module's mode is restored";

  // Exporting again replaces the folder.
  export_model(model, {randn({2, 8})}, path("mlp.kiln"));
  EXPECT_EQ(load_model(path("mlp.kiln")).inputs()[0].shape,
            (std::vector<int64_t>{2, 8}));
  for (auto &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << entry.path();
}

TEST_F(Export, TracesInEvalMode) {
  manual_seed(1);
  nn::Sequential model(nn::Linear(6, 6), nn::BatchNorm1d(6), nn::Dropout(0.5),
                       nn::Linear(6, 2));
  // Some steps of training give batch norm running statistics.
  for (int i = 0; i < 3; ++i)
    model->forward(randn({16, 6})).sum().item<float>();
  auto x = randn({5, 6});
  model->eval();
  Tensor expected = model->forward(x);
  model->train();
  export_model(model, {x}, path("bn.kiln"));
  EXPECT_TRUE(model->is_training());
  kiln::testing::expectAllNear(values(load_model(path("bn.kiln")).forward(x)),
                               values(expected), 1e-5);
  EXPECT_EQ(read(dir / "bn.kiln" / "graph.mlir").find("num_batches_tracked"),
            std::string::npos)
      << "only the weights the forward reads are exported";
}

TEST_F(Export, FunctionsOfSeveralInputsAndOutputs) {
  manual_seed(2);
  auto w = randn({3, 4});
  auto forward = [&](const std::vector<Tensor> &in) {
    return std::vector<Tensor>{in[0] * in[1] + w, (in[0] - in[1]).sum(1)};
  };
  auto a = randn({3, 4}), b = randn({3, 4});
  export_model(forward, {a, b}, path("f.kiln"), {{"w", w}}, {"a", "b"});
  ExportedModel f = load_model(path("f.kiln"));
  ASSERT_EQ(f.inputs().size(), 2u);
  EXPECT_EQ(f.inputs()[1].name, "b");
  std::vector<Tensor> got = f.forward({a, b});
  ASSERT_EQ(got.size(), 2u);
  kiln::testing::expectAllNear(values(got[0]), values(a * b + w), 1e-6);
  kiln::testing::expectAllNear(values(got[1]), values((a - b).sum(1)), 1e-6);
  // A tensor the function reads that has no name is a constant weight.
  auto c = randn({3, 4});
  export_model(
      [&](const std::vector<Tensor> &in) {
        return std::vector<Tensor>{in[0] + c};
      },
      {a}, path("c.kiln"));
  EXPECT_NE(read(dir / "c.kiln" / "graph.mlir").find("constant.0"),
            std::string::npos);
  kiln::testing::expectAllNear(values(load_model(path("c.kiln")).forward(a)),
                               values(a + c), 1e-6);
}

TEST_F(Export, BadExportsAreErrors) {
  auto model = mlp();
  expectError([&] { export_model(model, {}, path("m.kiln")); },
              {"export_model", "one input", "given 0"});
  auto x = randn({2, 8});
  expectError(
      [&] {
        export_model([](const std::vector<Tensor> &in) { return in; }, {x},
                     path("id.kiln"));
      },
      {"export_model", "output 0", "not computed"});
  write(dir / "notes.txt", "keep me");
  expectError([&] { export_model(model, {x}, path("notes.txt")); },
              {"notes.txt", "not an exported model"});
  EXPECT_EQ(read(dir / "notes.txt"), "keep me");
}

TEST_F(Export, BadModelFilesAreErrors) {
  manual_seed(3);
  auto model = mlp();
  auto x = randn({4, 8});
  std::string m = path("m.kiln");
  export_model(model, {x}, m);
  expectError([&] { load_model(path("missing.kiln")); },
              {"missing.kiln", "no such model"});
  ExportedModel loaded = load_model(m);
  expectError([&] { loaded.forward(randn({2, 8})); },
              {"input 0", "input0", "float32 [4, 8]", "given float32 [2, 8]"});
  expectError([&] { loaded.forward(x.to(kFloat64)); },
              {"input 0", "given float64 [4, 8]"});

  std::string graph = read(dir / "m.kiln" / "graph.mlir");
  write(dir / "m.kiln" / "graph.mlir", graph.substr(0, graph.size() / 2));
  expectError([&] { load_model(m); }, {"graph.mlir", "does not parse"});
  write(dir / "m.kiln" / "graph.mlir", graph);

  std::string weights = read(dir / "m.kiln" / "weights.safetensors");
  save({{"0.weight", randn({16, 8})}},
       (dir / "m.kiln" / "weights.safetensors").string());
  expectError([&] { load_model(m); },
              {"weights.safetensors", "no tensor '0.bias'"});
  save({{"0.weight", randn({8, 16})},
        {"0.bias", randn({16})},
        {"2.weight", randn({3, 16})},
        {"2.bias", randn({3})}},
       (dir / "m.kiln" / "weights.safetensors").string());
  expectError([&] { load_model(m); }, {"'0.weight' is float32 [8, 16]",
                                       "graph.mlir takes float32 [16, 8]"});
  write(dir / "m.kiln" / "weights.safetensors", weights.substr(0, 100));
  expectError([&] { load_model(m); }, {"weights.safetensors"});
  write(dir / "m.kiln" / "weights.safetensors", weights);

  write(dir / "m.kiln" / "meta.json", "{\"format\": 7}");
  expectError([&] { load_model(m); }, {"meta.json", "format 7"});
  write(dir / "m.kiln" / "meta.json", "{");
  expectError([&] { load_model(m); }, {"meta.json", "not JSON"});
}

TEST_F(Export, CliCompilesRunsAndReportsBadInput) {
  manual_seed(4);
  auto model = mlp();
  auto x = randn({4, 8});
  std::string m = path("m.kiln");
  export_model(model, {x}, m);
  std::string out;

  // kiln run: .npy in, .npy out, equal to the model's forward.
  save_npy(x, path("x.npy"));
  ASSERT_EQ(kiln("run " + m + " --input " + path("x.npy") + " --output " +
                     path("y.npy"),
                 &out),
            0)
      << out;
  model->eval();
  kiln::testing::expectAllNear(values(load_npy(path("y.npy"))),
                               values(model->forward(x)), 1e-6);
  save_npy(randn({3, 8}), path("bad.npy"));
  EXPECT_EQ(kiln("run " + m + " --input " + path("bad.npy"), &out), 1);
  EXPECT_NE(out.find("kiln run: forward: input 0 ('input0') must be float32 "
                     "[4, 8], given float32 [3, 8]"),
            std::string::npos)
      << out;
  EXPECT_EQ(kiln("run " + m, &out), 1);
  EXPECT_NE(out.find("takes 1 inputs, given 0"), std::string::npos) << out;
  EXPECT_EQ(kiln("run " + m + " --input " + path("none.npy"), &out), 1);
  EXPECT_NE(out.find("none.npy"), std::string::npos) << out;

  // kiln dump works on the folder, at any stage.
  ASSERT_EQ(kiln("dump " + m + " --stage=fused", &out), 0) << out;
  EXPECT_NE(out.find("kiln.fusion"), std::string::npos) << out;

  // Malformed input to each subcommand: a clear error, a non-zero exit.
  std::map<std::string, std::string> extra = {
      {"compile", " -o " + path("o")},
      {"run", " --input " + path("x.npy")},
      {"bench", " --iterations=5"},
      {"dump", ""},
      {"plan", ""}};
  for (const auto &[command, args] : extra) {
    EXPECT_EQ(kiln(command + " " + path("missing.kiln") + args, &out), 1)
        << command;
    EXPECT_NE(out.find("missing.kiln"), std::string::npos)
        << command << ": " << out;
  }
  std::string graph = read(dir / "m.kiln" / "graph.mlir");
  write(dir / "m.kiln" / "graph.mlir", "func.func @forward(");
  for (const auto &[command, args] : extra) {
    EXPECT_EQ(kiln(command + " " + m + args, &out), 1) << command;
    EXPECT_NE(out.find("graph.mlir:1:"), std::string::npos)
        << command << ": " << out;
  }
  write(dir / "m.kiln" / "graph.mlir", graph);
  std::string weights = read(dir / "m.kiln" / "weights.safetensors");
  save({{"0.weight", randn({16, 4})}},
       (dir / "m.kiln" / "weights.safetensors").string());
  for (const char *command : {"compile", "run", "bench"}) {
    EXPECT_EQ(kiln(command + (" " + m) + extra[command], &out), 1) << command;
    EXPECT_NE(out.find("'0.weight' is float32 [16, 4] but graph.mlir takes "
                       "float32 [16, 8]"),
              std::string::npos)
        << command << ": " << out;
  }
  write(dir / "m.kiln" / "weights.safetensors", weights);
  EXPECT_EQ(kiln("compile " + m, &out), 2);
  EXPECT_NE(out.find("no output folder"), std::string::npos) << out;
  EXPECT_EQ(
      kiln("compile " + m + " -o " + path("o") + " --target=pentium9", &out),
      1);
  EXPECT_NE(out.find("unknown CPU 'pentium9'"), std::string::npos) << out;
  EXPECT_EQ(kiln("compile " + m + " -o " + path("o") + " --name=9lives", &out),
            1);
  EXPECT_NE(out.find("not a C identifier"), std::string::npos) << out;
}

TEST_F(Export, HeaderNamesAreCIdentifiers) {
  auto w = randn({2, 3});
  export_model(
      [&](const std::vector<Tensor> &in) {
        return std::vector<Tensor>{in[0] + in[1] * w};
      },
      {randn({2, 3}), randn({2, 3})}, path("f.kiln"), {{"w", w}},
      {"int", "9 lives"});
  CompiledModel compiled = compile_model(path("f.kiln"), path("out"));
  std::string header = read(compiled.header_path);
  EXPECT_NE(header.find("int model_run(model_model *model, const float *int_, "
                        "const float *_9_lives, float *output0);"),
            std::string::npos)
      << header;
  // The header compiles as C.
  std::string log;
  write(dir / "use.c", "#include \"model.h\"\nint main(void) { return "
                       "MODEL_NUM_INPUTS == 2 ? 0 : 1; }\n");
  EXPECT_EQ(shell(std::string(KILN_C_COMPILER) + " -Wall -Werror -I" +
                      path("out") + " -c " + path("use.c") + " -o " +
                      path("use.o"),
                  &log),
            0)
      << log;
}

TEST_F(Export, BenchPrintsJitAndAotLatency) {
  manual_seed(5);
  auto model = mlp();
  export_model(model, {randn({1, 8})}, path("m.kiln"));
  std::string out;
  ASSERT_EQ(kiln("bench " + path("m.kiln") + " --iterations=50", &out), 0)
      << out;
  EXPECT_NE(out.find("jit   p50"), std::string::npos) << out;
  EXPECT_NE(out.find("aot   p50"), std::string::npos) << out;
  EXPECT_NE(out.find("aot object:"), std::string::npos) << out;
}

TEST_F(Export, AotMlpMatchesTheJit) {
  manual_seed(6);
  auto model = mlp();
  auto x = randn({4, 8});
  export_model(model, {x}, path("m.kiln"));
  Tensor expected = load_model(path("m.kiln")).forward(x);
  expectAotMatches(path("m.kiln"), "", x, expected, 1e-5);
  expectAotMatches(path("m.kiln"), "--no-library-calls", x, expected, 1e-5,
                   /*libraryCalls=*/false);
  expectAotMatches(path("m.kiln"), "--target=x86-64", x, expected, 1e-5);
}

TEST_F(Export, AotCnnMatchesTheJit) {
  manual_seed(7);
  nn::Sequential model(nn::Conv2d(1, 4, 3, /*stride=*/1, /*padding=*/1),
                       nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(4, 8, 3),
                       nn::ReLU(), nn::Flatten(), nn::Linear(8 * 2 * 2, 10));
  auto x = randn({2, 1, 8, 8});
  export_model(model, {x}, path("cnn.kiln"));
  Tensor expected = load_model(path("cnn.kiln")).forward(x);
  expectAotMatches(path("cnn.kiln"), "", x, expected, 1e-4);
  expectAotMatches(path("cnn.kiln"), "--no-library-calls", x, expected, 1e-4,
                   /*libraryCalls=*/false);
}

TEST_F(Export, AotTransformerEncoderLayerMatchesTheJit) {
  manual_seed(8);
  nn::TransformerEncoderLayer layer(16, 4, 32, /*dropout=*/0.1, "gelu", 1e-5,
                                    /*batch_first=*/true);
  auto x = randn({2, 5, 16});
  export_model(layer, {x}, path("enc.kiln"));
  Tensor expected = load_model(path("enc.kiln")).forward(x);
  layer->eval();
  kiln::testing::expectAllNear(values(expected), values(layer->forward(x)),
                               1e-5);
  expectAotMatches(path("enc.kiln"), "", x, expected, 1e-4);
  expectAotMatches(path("enc.kiln"), "--no-library-calls", x, expected, 1e-4,
                   /*libraryCalls=*/false);
}

TEST_F(Export, NoLibraryCallsLinksWithOnlyLibcAndLibm) {
  manual_seed(9);
  nn::Sequential model(nn::Linear(8, 16), nn::Tanh(), nn::Linear(16, 3),
                       nn::Softmax(1));
  auto x = randn({4, 8});
  export_model(model, {x}, path("m.kiln"));
  std::string out = path("aot"), log;
  ASSERT_EQ(
      kiln("compile " + path("m.kiln") + " -o " + out + " --no-library-calls",
           &log),
      0)
      << log;
  // Every undefined symbol of the object is a C library function.
  ASSERT_EQ(shell("nm -u " + out + "/model.o", &log), 0) << log;
  std::set<std::string> allowed = {"_GLOBAL_OFFSET_TABLE_",
                                   "aligned_alloc",
                                   "free",
                                   "expf",
                                   "tanhf",
                                   "memcpy",
                                   "memset",
                                   "memmove",
                                   "fmaxf",
                                   "fminf",
                                   "logf",
                                   "erff",
                                   "log1pf",
                                   "fopen",
                                   "fread",
                                   "fseek",
                                   "fclose",
                                   "malloc",
                                   "memcmp",
                                   "expm1f"};
  std::istringstream symbols(log);
  std::string kind, symbol;
  while (symbols >> kind >> symbol)
    EXPECT_TRUE(allowed.count(symbol)) << "undefined symbol " << symbol;
  std::string exe = buildHarness(out, "model", /*libraryCalls=*/false);
  ASSERT_EQ(shell("ldd " + exe, &log), 0) << log;
  std::istringstream libraries(log);
  for (std::string line; std::getline(libraries, line);) {
    bool system = line.find("linux-vdso") != std::string::npos ||
                  line.find("ld-linux") != std::string::npos ||
                  line.find("libc.so") != std::string::npos ||
                  line.find("libm.so") != std::string::npos ||
                  // The sanitizer build links its runtime too.
                  std::string(KILN_SANITIZE_FLAGS).size() > 0;
    EXPECT_TRUE(system) << "the program needs " << line;
  }
  Tensor expected = load_model(path("m.kiln")).forward(x);
  std::vector<float> got = runHarness(exe, x, 12);
  kiln::testing::expectAllNear(std::vector<double>(got.begin(), got.end()),
                               values(expected), 1e-5);
}

TEST_F(Export, ExternalWeightsAreReadAndChecked) {
  manual_seed(10);
  auto model = mlp();
  auto x = randn({4, 8});
  export_model(model, {x}, path("m.kiln"));
  std::string out = path("aot"), log;
  ASSERT_EQ(kiln("compile " + path("m.kiln") + " -o " + out +
                     " --weights=external --name=ext",
                 &log),
            0)
      << log;
  std::string exe = buildHarness(out, "ext", true, /*externalWeights=*/true);
  std::string weights = out + "/ext.safetensors";
  Tensor expected = load_model(path("m.kiln")).forward(x);
  std::vector<float> got = runHarness(exe, x, 12, weights);
  kiln::testing::expectAllNear(std::vector<double>(got.begin(), got.end()),
                               values(expected), 1e-5);
  EXPECT_LT(fs::file_size(out + "/ext.o"), 16u * 8 * 4 + 4096 * 16)
      << "the weights are not in the object";
  // A missing file, another model's weights, a truncated file.
  runHarness(exe, x, 12, path("none.safetensors"), 23);
  nn::Sequential other(nn::Linear(8, 12), nn::ReLU(), nn::Linear(12, 3));
  export_model(other, {x}, path("other.kiln"));
  runHarness(exe, x, 12, path("other.kiln") + "/weights.safetensors", 24);
  std::string bytes = read(weights);
  write(path("short.safetensors"), bytes.substr(0, bytes.size() - 8));
  runHarness(exe, x, 12, path("short.safetensors"), 24);
}

//===----------------------------------------------------------------------===//
// Hostile model files and folders
//===----------------------------------------------------------------------===//

/// `graph` with `text` inserted before its first `func.func`, and `call`
/// before the `return` of @forward.
std::string tamper(std::string graph, const std::string &text,
                   const std::string &call) {
  graph.insert(graph.find("  func.func @forward"), text);
  graph.insert(graph.rfind("    return"), call);
  return graph;
}

TEST_F(Export, AModelFileCannotCallNativeCode) {
  auto model = mlp();
  std::string m = path("m.kiln");
  export_model(model, {randn({4, 8})}, m);
  save_npy(randn({4, 8}), path("x.npy"));
  std::string graph = read(dir / "m.kiln" / "graph.mlir");
  // abort() stands for any function of the process, such as system(): a
  // model that could call it would end this test.
  write(dir / "m.kiln" / "graph.mlir",
        tamper(graph, "  func.func private @abort()\n",
               "    func.call @abort() : () -> ()\n"));
  expectError([&] { load_model(m); },
              {"graph.mlir", "not a Kiln model",
               "declares the external function @abort"});
  std::string out;
  for (const std::string &command :
       {"run " + m + " --input " + path("x.npy"),
        "compile " + m + " -o " + path("o") + " --no-library-calls",
        "bench " + m, "dump " + m, "plan " + m}) {
    EXPECT_EQ(kiln(command, &out), 1) << command;
    EXPECT_NE(out.find("declares the external function @abort"),
              std::string::npos)
        << command << ": " << out;
  }
  EXPECT_FALSE(fs::exists(path("o") + "/model.o"));

  // A defined function calling another is no better: only kiln ops.
  write(dir / "m.kiln" / "graph.mlir",
        tamper(graph, "  func.func private @f() { return }\n",
               "    func.call @f() : () -> ()\n"));
  expectError([&] { load_model(m); },
              {"'func.call' is not allowed in a model file"});
  // Nor attributes Kiln does not write, which passes would trust.
  std::string donated = graph;
  donated.replace(donated.find("{kiln.weight"), 1, "{kiln.donatable, ");
  write(dir / "m.kiln" / "graph.mlir", donated);
  expectError([&] { load_model(m); },
              {"has an unknown kiln attribute 'kiln.donatable'"});
  std::string planned = graph;
  planned.replace(planned.find("func.func @forward"), 18,
                  "func.func @forward(%a: tensor<1xf32>) attributes "
                  "{kiln.arena_bytes = 1 : i64} { return }\n  func.func @g");
  write(dir / "m.kiln" / "graph.mlir", planned);
  expectError([&] { load_model(m); }, {"kiln.arena_bytes"});
  write(dir / "m.kiln" / "graph.mlir", graph);
  EXPECT_NO_THROW(load_model(m));
}

TEST_F(Export, NamesInTheHeaderCannotInjectCode) {
  auto w = randn({2, 3});
  auto f = [&](const std::vector<Tensor> &in) {
    return std::vector<Tensor>{in[0] * w};
  };
  // Unprintable names are refused when exporting and when loading.
  expectError(
      [&] {
        export_model(f, {randn({2, 3})}, path("bad.kiln"), {{"w", w}},
                     {"x */\n#include \"/etc/passwd\"\n/* "});
      },
      {"export_model", "not a name of 1 to 1024 printable characters"});
  EXPECT_FALSE(fs::exists(path("bad.kiln")));
  export_model(f, {randn({2, 3})}, path("f.kiln"), {{"w", w}}, {"x"});
  std::string graph = read(dir / "f.kiln" / "graph.mlir");
  std::string injected = graph;
  injected.replace(injected.find("\"x\""), 3,
                   "\"x */\\0A#error injected\\0A/* \"");
  write(dir / "f.kiln" / "graph.mlir", injected);
  expectError([&] { compile_model(path("f.kiln"), path("out")); },
              {"not a name of 1 to 1024 printable characters"});
  // A printable name that would close the comment stays inside it.
  injected = graph;
  injected.replace(injected.find("\"x\""), 3, "\"x */ int injected; /* \"");
  write(dir / "f.kiln" / "graph.mlir", injected);
  CompiledModel compiled = compile_model(path("f.kiln"), path("out"));
  std::string header = read(compiled.header_path);
  EXPECT_EQ(header.find("x */"), std::string::npos) << header;
  EXPECT_NE(header.find("x *\\/ int injected; /\\* "), std::string::npos)
      << header;
  std::string log;
  write(dir / "use.c", "#include \"model.h\"\nint injected;\n"
                       "int main(void) { return 0; }\n");
  EXPECT_EQ(shell(std::string(KILN_C_COMPILER) + " -Wall -Werror -I" +
                      path("out") + " -c " + path("use.c") + " -o " +
                      path("use.o"),
                  &log),
            0)
      << log;
}

TEST_F(Export, DeepOrHugeModelFilesAreErrors) {
  std::string m = path("m.kiln");
  auto model = mlp();
  export_model(model, {randn({4, 8})}, m);
  std::string graph = read(dir / "m.kiln" / "graph.mlir");
  // 10,000 nested modules, attributes and types: the parser would recurse
  // once per level.
  std::string deep;
  for (int i = 0; i < 10000; ++i)
    deep += "module {";
  write(dir / "m.kiln" / "graph.mlir", deep + std::string(10000, '}'));
  expectError([&] { load_model(m); },
              {"graph.mlir", "brackets nest deeper than 128 levels at line 1"});
  write(dir / "m.kiln" / "graph.mlir", "#a = " + std::string(10000, '[') +
                                           std::string(10000, ']') + "\n" +
                                           graph);
  expectError([&] { load_model(m); }, {"brackets nest deeper than 128"});
  std::string type = "f32";
  for (int i = 0; i < 10000; ++i)
    type = "tensor<" + type;
  write(dir / "m.kiln" / "graph.mlir",
        "func.func @forward(%x: " + type + std::string(10000, '>') + ")\n");
  expectError([&] { load_model(m); }, {"brackets nest deeper than 128"});

  // A graph whose intermediate (or element count) no machine holds.
  write(dir / "m.kiln" / "graph.mlir", R"mlir(
func.func @forward(%x: tensor<1xf32> {kiln.input = "x"},
                   %w: tensor<16x8xf32> {kiln.weight = "0.weight"},
                   %b: tensor<16xf32> {kiln.weight = "0.bias"},
                   %v: tensor<3x16xf32> {kiln.weight = "2.weight"},
                   %c: tensor<3xf32> {kiln.weight = "2.bias"})
    -> (tensor<f32> {kiln.output = "y"}) {
  %0 = kiln.broadcast_to %x : tensor<1xf32> -> tensor<1099511627776x1099511627776xf32>
  %1 = kiln.reduce_sum %0 dims = [0, 1] : tensor<1099511627776x1099511627776xf32>
  return %1 : tensor<f32>
}
)mlir");
  expectError([&] { load_model(m); },
              {"'kiln.broadcast_to' op result #0",
               "holds more than the 1 TiB a Kiln tensor may have (its "
               "element count overflows)"});
}

TEST_F(Export, NeverReplacesAFolderWithFilesItDidNotWrite) {
  std::string m = path("m.kiln");
  auto x = randn({4, 8});
  auto model = mlp();
  export_model(model, {x}, m);
  write(dir / "m.kiln" / "notes.txt", "keep me");
  expectError([&] { export_model(model, {x}, m); },
              {"m.kiln holds notes.txt, which export_model did not write"});
  EXPECT_EQ(read(dir / "m.kiln" / "notes.txt"), "keep me");
  EXPECT_NO_THROW(load_model(m));
  fs::remove(dir / "m.kiln" / "notes.txt");
  EXPECT_NO_THROW(export_model(model, {x}, m));
  // A folder of the user's that is not a model at all.
  fs::create_directories(dir / "mine");
  write(dir / "mine" / "meta.json", "{}");
  write(dir / "mine" / "data.csv", "1,2");
  expectError([&] { export_model(model, {x}, path("mine")); },
              {"holds data.csv"});
  EXPECT_EQ(read(dir / "mine" / "data.csv"), "1,2");
}

/// The process id of a process that has ended.
pid_t endedProcess() {
  pid_t pid = ::fork();
  if (pid == 0)
    ::_exit(0);
  int status;
  ::waitpid(pid, &status, 0);
  return pid;
}

TEST_F(Export, KilledExportsLeaveTheOldModelAndNoScratch) {
  if (const char *target = std::getenv("KILN_TEST_EXPORT_FOREVER")) {
    // The child of the test below: exports until it is killed.
    nn::Sequential big(nn::Linear(512, 512), nn::ReLU(), nn::Linear(512, 8));
    for (;;)
      export_model(big, {randn({1, 512})}, target);
  }
  std::string m = path("m.kiln");
  nn::Sequential first(nn::Linear(512, 512), nn::ReLU(), nn::Linear(512, 8));
  export_model(first, {randn({1, 512})}, m);
  // Scratch that an export killed long ago left beside the path.
  pid_t ended = endedProcess();
  std::string stale = std::to_string(ended);
  fs::create_directories(path("m.kiln.tmp." + stale + ".0"));
  write(path("m.kiln.tmp." + stale + ".0") + "/weights.safetensors", "x");
  fs::create_directories(path("m.kiln.old." + stale + ".3"));
  write(path("m.kiln.weights." + stale), "x");
  // Kill exports at random moments: a model is always at the path.
  std::string self = fs::read_symlink("/proc/self/exe").string();
  for (int round = 0; round < 8; ++round) {
    pid_t child = ::fork();
    if (child == 0) {
      ::setenv("KILN_TEST_EXPORT_FOREVER", m.c_str(), 1);
      ::execl(self.c_str(), self.c_str(),
              "--gtest_filter=Export.KilledExportsLeaveTheOldModelAndNoScratch",
              static_cast<char *>(nullptr));
      ::_exit(127);
    }
    ::usleep(100000 + 37000 * round);
    ::kill(child, SIGKILL);
    int status;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the exporting child ended by itself";
    fs::remove_all(
        fs::temp_directory_path() /
        ("kiln-export-" + std::to_string(child) +
         "-KilledExportsLeaveTheOldModelAndNoScratch")); // its fixture's
    EXPECT_NO_THROW(load_model(m)) << "round " << round;
  }
  // The next export cleans up what the killed ones left.
  export_model(first, {randn({1, 512})}, m);
  for (const fs::directory_entry &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().rfind("m.kiln.", 0),
              std::string::npos)
        << "left behind: " << entry.path();
}

} // namespace
