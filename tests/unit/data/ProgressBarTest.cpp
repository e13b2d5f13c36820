//===- ProgressBarTest.cpp - The terminal progress bar --------------------===//
//
// What ProgressBar renders, and when it draws.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// ProgressBar
//===----------------------------------------------------------------------===//

TEST(ProgressBar, RendersEpochStepsRateEtaAndMetric) {
  std::ostringstream out;
  ProgressBar bar(10, 2, &out, ProgressBar::Mode::On);
  EXPECT_EQ(bar.render(0), "epoch 2  [>                   ]  0/10  0.0 it/s  "
                           "ETA --:--:--");
  bar.update(3, 0.5);
  EXPECT_EQ(bar.render(1.5), "epoch 2  [======>             ]  3/10  2.0 "
                             "it/s  ETA 00:00:04  loss 0.5000");
  bar.set_metric_name("acc");
  bar.update(7);
  EXPECT_EQ(bar.step(), 10u);
  EXPECT_EQ(bar.render(4000),
            "epoch 2  [====================]  10/10  0.0 it/s  ETA 00:00:00  "
            "acc 0.5000");
  ProgressBar slow(100000, 0, &out, ProgressBar::Mode::On);
  slow.update(1);
  EXPECT_NE(slow.render(1).find("ETA 27:46:39"), std::string::npos);
  // Unknown length (a stream): steps and rate only.
  ProgressBar open(0, 1, &out, ProgressBar::Mode::Off);
  open.update(5);
  EXPECT_EQ(open.render(2), "epoch 1  5  2.5 it/s");
}

TEST(ProgressBar, DrawsInPlaceOnlyWhenOn) {
  std::ostringstream out;
  {
    ProgressBar bar(3, 0, &out, ProgressBar::Mode::On, 0);
    EXPECT_TRUE(bar.enabled());
    for (int i = 0; i < 3; ++i)
      bar.update(1, 1.0 / (i + 1));
    bar.close();
    bar.update(1); // after close: nothing
  }
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 4); // 3 + close
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("\repoch 0  [======>             ]  1/3"),
            std::string::npos);
  EXPECT_NE(text.find("3/3"), std::string::npos);
  EXPECT_NE(text.find("loss 0.3333"), std::string::npos);
  // Redraws are rate limited.
  std::ostringstream limited;
  {
    ProgressBar bar(1000, 0, &limited, ProgressBar::Mode::On, 3600);
    for (int i = 0; i < 999; ++i)
      bar.update();
  } // the destructor closes
  text = limited.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 2);
  // Auto draws only to a terminal std::cout; Off never.
  std::ostringstream quiet;
  ProgressBar autoBar(5, 0, &quiet);
  ProgressBar off(5, 0, &quiet, ProgressBar::Mode::Off);
  autoBar.update(5);
  off.update(5);
  autoBar.close();
  off.close();
  EXPECT_EQ(quiet.str(), "");
  EXPECT_FALSE(autoBar.enabled());
  ProgressBar console(5);
  EXPECT_EQ(console.enabled(), ::isatty(STDOUT_FILENO) != 0);
}

} // namespace
