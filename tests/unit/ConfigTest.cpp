//===- ConfigTest.cpp - Threads, CUDA detection and the config report -----===//
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cstdlib>

TEST(Config, ThreadCountRoundTrips) {
  int before = kiln::get_num_threads();
  kiln::set_num_threads(2);
  EXPECT_EQ(kiln::get_num_threads(), 2);
  kiln::set_num_threads(before);
  EXPECT_EQ(kiln::get_num_threads(), before);
}

TEST(Config, BadThreadCountIsAnError) {
  try {
    kiln::set_num_threads(0);
    FAIL() << "set_num_threads(0) must throw";
  } catch (const kiln::Error &e) {
    EXPECT_NE(std::string(e.what()).find("got 0"), std::string::npos);
  }
}

TEST(Config, AbsurdThreadCountIsAnErrorNotAnExit) {
  // OpenMP cannot start 20,000 threads, and ends the process when it tries.
  int before = kiln::get_num_threads();
  try {
    kiln::set_num_threads(20000);
    FAIL() << "set_num_threads(20000) must throw";
  } catch (const kiln::Error &e) {
    EXPECT_NE(std::string(e.what()).find("20000 threads is more than"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(kiln::get_num_threads(), before);
  kiln::set_num_threads(4);
  EXPECT_EQ(kiln::get_num_threads(), 4);
  kiln::set_num_threads(before);
}

TEST(Config, ReportNamesEveryComponent) {
  setenv("KILN_CACHE_DIR", "/tmp/kiln-config-test-cache", 1);
  std::string report = kiln::show_config();
  unsetenv("KILN_CACHE_DIR");
  for (const char *part : {"Kiln ", "LLVM/MLIR: 19.",
                           "oneDNN: ", "threads: ", "CUDA driver: ", "NVRTC: "})
    EXPECT_NE(report.find(part), std::string::npos) << part << "\n" << report;
  EXPECT_NE(report.find("cache directory: /tmp/kiln-config-test-cache"),
            std::string::npos)
      << report;
}

TEST(Config, CudaAvailabilityAgreesWithDeviceCount) {
  EXPECT_EQ(kiln::cuda::is_available(), kiln::cuda::device_count() > 0);
}
