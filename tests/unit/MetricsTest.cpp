//===- MetricsTest.cpp - Accuracy, precision/recall/F1, running means -----===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace kiln;
using kiln::testing::expectError;

namespace {

TEST(Metrics, AccuracyCountsTopkHits) {
  auto logits = tensor({{0.1, 0.7, 0.2},   // predicts 1, target 1
                        {0.5, 0.1, 0.4},   // predicts 0, target 2 (second)
                        {0.3, 0.3, 0.4},   // predicts 2, target 1 (third)
                        {0.6, 0.6, 0.1}}); // tie: 0 ranks first, target 1
  auto targets = tensor({1, 2, 1, 1});
  EXPECT_DOUBLE_EQ(metrics::accuracy(logits, targets), 0.25);
  EXPECT_DOUBLE_EQ(metrics::accuracy(logits, targets, 2), 0.75);
  EXPECT_DOUBLE_EQ(metrics::accuracy(logits, targets, 3), 1.0);
  // The same from class indices, as argmax gives them.
  EXPECT_DOUBLE_EQ(metrics::accuracy(logits.argmax(1), targets), 0.25);
  EXPECT_DOUBLE_EQ(metrics::accuracy(tensor({1, 2, 1, 0}), targets), 0.75);

  expectError([&] { metrics::accuracy(logits, targets, 4); },
              {"topk 4 exceeds the 3 classes"});
  expectError([&] { metrics::accuracy(tensor({1, 2}), targets); },
              {"2 samples, targets 4"});
  expectError([&] { metrics::accuracy(tensor({1, 2, 1, 1}), targets, 2); },
              {"scores [N, C]"});
  expectError([&] { metrics::accuracy(logits, tensor({1, 2, 3, 1})); },
              {"target 3 at index 2 is outside [0, 3)"});
  expectError([&] { metrics::accuracy(logits, tensor({1.0, 2.0, 1.0, 1.0})); },
              {"integer"});
}

// Targets and predictions of six samples over three classes:
//   (target, predicted) = (0,0) (1,2) (1,1) (2,2) (0,2) (0,0)
Tensor targets() { return tensor({0, 1, 1, 2, 0, 0}); }
Tensor predictions() { return tensor({0, 2, 1, 2, 2, 0}); }

TEST(Metrics, ConfusionMatrixHasTargetsInRows) {
  Tensor cm = metrics::confusion_matrix(predictions(), targets(), 3);
  EXPECT_EQ(cm.dtype(), kInt64);
  EXPECT_EQ(cm.sizes(), (Shape{3, 3}));
  EXPECT_EQ(cm.to_vector<int64_t>(), (std::vector<int64_t>{2, 0, 1, //
                                                           0, 1, 1, //
                                                           0, 0, 1}));
  // Scores reduce to their argmax.
  auto scores = tensor({{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}});
  EXPECT_EQ(metrics::confusion_matrix(scores, tensor({0, 1, 1}), 2)
                .to_vector<int64_t>(),
            (std::vector<int64_t>{1, 0, 1, 1}));
  expectError(
      [&] { metrics::confusion_matrix(tensor({0, 3}), tensor({0, 1}), 3); },
      {"prediction 3 at index 1 is outside [0, 3)"});
  expectError([&] { metrics::confusion_matrix(scores, tensor({0, 1, 1}), 3); },
              {"num_classes = 3"});
}

TEST(Metrics, PrecisionRecallAndF1AverageMacroOrMicro) {
  // Per class: tp = (2, 1, 1), fp = (0, 0, 2), fn = (1, 1, 0).
  Tensor p = predictions(), t = targets();
  EXPECT_DOUBLE_EQ(metrics::precision(p, t, 3), (1.0 + 1.0 + 1.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(metrics::recall(p, t, 3), (2.0 / 3 + 1.0 / 2 + 1.0) / 3);
  EXPECT_DOUBLE_EQ(metrics::f1_score(p, t, 3),
                   (4.0 / 5 + 2.0 / 3 + 2.0 / 4) / 3);
  // Micro-averaging pools the counts: each is the accuracy, 4 / 6.
  for (auto metric : {metrics::precision, metrics::recall, metrics::f1_score})
    EXPECT_DOUBLE_EQ(metric(p, t, 3, "micro"), 4.0 / 6);
  // A class that never occurs is left out of the macro average...
  EXPECT_DOUBLE_EQ(metrics::precision(p, t, 5), (1.0 + 1.0 + 1.0 / 3) / 3);
  // ...but a class that is only predicted counts, with recall 0/0 = 0.
  auto q = tensor({0, 2, 1, 2, 2, 3});
  EXPECT_DOUBLE_EQ(metrics::recall(q, t, 4),
                   (1.0 / 3 + 1.0 / 2 + 1.0 + 0.0) / 4);
  EXPECT_DOUBLE_EQ(metrics::precision(q, t, 4), (1.0 + 1.0 + 1.0 / 3) / 4);
  expectError([&] { metrics::precision(p, t, 3, "weighted"); },
              {"\"macro\" or \"micro\""});
  expectError([&] { metrics::recall(p, t, 0); }, {"num_classes"});
}

TEST(Metrics, RunningMeanWeightsBySampleCount) {
  metrics::RunningMean loss;
  EXPECT_TRUE(std::isnan(loss.mean()));
  loss.update(2.0);
  loss.update(4.0, 3); // a batch of three with mean 4
  EXPECT_DOUBLE_EQ(loss.mean(), (2.0 + 3 * 4.0) / 4);
  EXPECT_EQ(loss.count(), 4);
  loss.reset();
  EXPECT_EQ(loss.count(), 0);
  loss.update(1.5, 2);
  EXPECT_DOUBLE_EQ(loss.mean(), 1.5);
  expectError([&] { loss.update(1.0, -1); }, {"n must be >= 0"});
}

} // namespace

TEST(Metrics, SavesCurvesAsAnSvgChart) {
  auto file = std::filesystem::temp_directory_path() /
              ("kiln-curves-" + std::to_string(::getpid()) + ".svg");
  metrics::save_curves_svg(file.string(),
                           {{"train loss", {2.0, 1.0, NAN, 0.5}},
                            {"test <accuracy>", {0.5, 0.75, 0.9, 0.95}}});
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string svg = text.str();
  std::filesystem::remove(file);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("train loss (last 0.5)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("test &lt;accuracy&gt; (last 0.95)"), std::string::npos);
  // Two lines: the loss has three finite points, the accuracy four; the
  // loss's highest value sits on the top edge of its panel, its lowest on
  // the bottom edge.
  size_t first = svg.find("points=\""),
         second = svg.find("points=\"", first + 1);
  ASSERT_NE(second, std::string::npos);
  std::string loss =
      svg.substr(first + 8, svg.find('"', first + 8) - first - 8);
  EXPECT_EQ(std::count(loss.begin(), loss.end(), ','), 3) << loss;
  EXPECT_EQ(loss.substr(0, loss.find(' ')), "70,30");
  EXPECT_NE(loss.find("620,160"), std::string::npos) << loss;
  expectError(
      [] { metrics::save_curves_svg("/nonexistent/x.svg", {{"a", {1}}}); },
      {"save_curves_svg", "/nonexistent"});
  expectError([] { metrics::save_curves_svg("x.svg", {}); }, {"no curves"});
}
