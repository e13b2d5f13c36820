//===- CsvTest.cpp - CSV files --------------------------------------------===//
//
// CSVDataset on well-formed and malformed files.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <random>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// CSV files
//===----------------------------------------------------------------------===//

using CSVTest = TempDir;

TEST_F(CSVTest, ReadsFeaturesAndTargets) {
  writeText(path("iris.csv"), "a,b,label,c\n"
                              "1,2.5,0,-3\n"
                              "\n"
                              " 4 , +5e-1 ,2, 6\r\n"
                              "7,8,1.0,9e1\n");
  CSVDataset ds(path("iris.csv"), 2);
  EXPECT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds.features().sizes(), (Shape{3, 3}));
  EXPECT_EQ(ds.features().dtype(), kFloat32);
  EXPECT_EQ(ds.features().to_vector<float>(),
            (std::vector<float>{1, 2.5, -3, 4, 0.5, 6, 7, 8, 90}));
  EXPECT_EQ(ds.targets().dtype(), kInt64);
  EXPECT_EQ(ds.targets().to_vector<int64_t>(), (std::vector<int64_t>{0, 2, 1}));
  EXPECT_EQ(ds.feature_names(), (std::vector<std::string>{"a", "b", "c"}));
  Example<> e = ds.get(1);
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{4, 0.5, 6}));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<int64_t>(), 2);
  expectError([&] { ds.get(3); }, {"CSVDataset", "index 3", "3 samples"});

  // By name, and from the end.
  EXPECT_EQ(CSVDataset(path("iris.csv"), "label").features().to_vector<float>(),
            ds.features().to_vector<float>());
  CSVDataset last(path("iris.csv"), -1, true, ',', kFloat64);
  EXPECT_EQ(last.targets().to_vector<double>(),
            (std::vector<double>{-3, 6, 90}));
  EXPECT_EQ(last.feature_names(),
            (std::vector<std::string>{"a", "b", "label"}));

  // No header, another delimiter, quoted cells, float32 targets.
  writeText(path("plain.tsv"), "0.25\t\"1\"\n-1.5\t2\n");
  CSVDataset plain(path("plain.tsv"), 0, false, '\t', kFloat32);
  EXPECT_EQ(plain.targets().to_vector<float>(),
            (std::vector<float>{0.25, -1.5}));
  EXPECT_EQ(plain.features().to_vector<float>(), (std::vector<float>{1, 2}));
  EXPECT_TRUE(plain.feature_names().empty());

  // A quoted header name may hold the delimiter; a header alone is no rows.
  writeText(path("header.csv"), "\"x, in m\",y\n");
  CSVDataset header(path("header.csv"), "y");
  EXPECT_EQ(header.size(), 0u);
  EXPECT_EQ(header.features().sizes(), (Shape{0, 1}));
  EXPECT_EQ(header.feature_names(), (std::vector<std::string>{"x, in m"}));

  DataLoader loader(ds, {.batch_size = 2});
  Example<> batch = *loader.begin();
  EXPECT_EQ(batch.data.sizes(), (Shape{2, 3}));
  EXPECT_EQ(batch.target.to_vector<int64_t>(), (std::vector<int64_t>{0, 2}));
}

TEST_F(CSVTest, BadFilesAreErrorsNamingFileAndLine) {
  expectError([&] { CSVDataset(path("missing.csv"), 0); },
              {"CSVDataset", "cannot open", "missing.csv",
               "No such file or directory"});
  writeText(path("empty.csv"), "\n\n");
  expectError([&] { CSVDataset(path("empty.csv"), 0); },
              {"empty.csv is empty", "header"});
  writeText(path("ragged.csv"), "a,b,c\n1,2,3\n\n4,5\n");
  expectError([&] { CSVDataset(path("ragged.csv"), 0); },
              {"ragged.csv:4:", "2 cells", "the header has 3"});
  writeText(path("long.csv"), "1,2\n3,4,5\n");
  expectError([&] { CSVDataset(path("long.csv"), 0, false); },
              {"long.csv:2:", "3 cells", "the first row has 2"});
  writeText(path("text.csv"), "a,b,y\n1,2,0\n3,abc,1\n");
  expectError([&] { CSVDataset(path("text.csv"), 2); },
              {"text.csv:3:", "column 1 ('b')", "'abc' is not a number"});
  writeText(path("blank.csv"), "1,,0\n");
  expectError([&] { CSVDataset(path("blank.csv"), 2, false); },
              {"blank.csv:1:", "column 1:", "'' is not a number"});
  writeText(path("real.csv"), "x,y\n1,0\n2,1.5\n");
  expectError([&] { CSVDataset(path("real.csv"), "y"); },
              {"real.csv:3:", "column 1 ('y')", "'1.5' is not a whole number",
               "target_dtype"});
  EXPECT_EQ(CSVDataset(path("real.csv"), "y", ',', kFloat32)
                .targets()
                .to_vector<float>(),
            (std::vector<float>{0, 1.5}));
  expectError([&] { CSVDataset(path("real.csv"), "z"); },
              {"real.csv:1:", "no column is named 'z'", "'x', 'y'"});
  expectError([&] { CSVDataset(path("real.csv"), 2); },
              {"real.csv:1:", "target_column 2", "2 columns"});
  expectError([&] { CSVDataset(path("real.csv"), -3); }, {"target_column -3"});
  writeText(path("quote.csv"), "a,b\n1,\"2\n");
  expectError([&] { CSVDataset(path("quote.csv"), 0); },
              {"quote.csv:2:", "unterminated quote"});
  expectError([&] { CSVDataset(path("real.csv"), 0, true, ',', kInt32); },
              {"target_dtype", "int32"});
  expectError([&] { CSVDataset(path("real.csv"), 0, true, '"'); },
              {"delimiter"});
}

TEST_F(CSVTest, FuzzedFilesLoadOrThrowKilnError) {
  // Mutations of a valid file (bytes changed to characters that matter to
  // the parser, truncations, insertions) either load or are a kiln::Error:
  // never a crash, a hang or another exception.
  const std::string valid = "a,b,\"c\",y\n1,2.5,-3,0\n4e2,5,6,1\n7,8,9,2\n";
  const std::string alphabet = ",\"\n\r0123456789.-+eE x\t;";
  std::mt19937 gen(20261123);
  for (int i = 0; i < 300; ++i) {
    std::string text = valid;
    for (int edits = 1 + gen() % 4; edits > 0 && !text.empty(); --edits) {
      size_t at = gen() % text.size();
      switch (gen() % 3) {
      case 0:
        text[at] = alphabet[gen() % alphabet.size()];
        break;
      case 1:
        text.resize(at);
        break;
      default:
        text.insert(at, 1, alphabet[gen() % alphabet.size()]);
      }
    }
    writeText(path("fuzz.csv"), text);
    for (bool header : {true, false}) {
      try {
        CSVDataset csv(path("fuzz.csv"), -1, header);
        if (csv.size() > 0)
          csv.get(0);
      } catch (const kiln::Error &) {
      } catch (const std::exception &e) {
        ADD_FAILURE() << "not a kiln::Error: " << e.what() << " for:\n" << text;
      }
    }
  }
}

} // namespace
