// Unit tests of the daemon's parts that need no sockets: the per-project scheduler, the root-directory
// sandbox (with openat2 and with the O_NOFOLLOW walk, per client), the request-byte bounds, the latency histogram and ReadBox paging.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

#include "held_bytes.hpp"
#include "read_box.hpp"
#include "root_dir.hpp"
#include "scheduler.hpp"
#include "sha256.hpp"
#include "stats.hpp"

namespace voxd::daemon {
namespace {

namespace fs = std::filesystem;

TEST(KeyedScheduler, OneKeyRunsOneJobAtATimeInOrder) {
  KeyedScheduler<int> scheduler(100, 1);
  for (int i = 0; i < 3; ++i) {
    int job = i;
    ASSERT_TRUE(scheduler.push("a", job));
  }
  int other = 10;
  ASSERT_TRUE(scheduler.push("b", other));
  auto first = scheduler.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->first, "a");
  EXPECT_EQ(first->second, 0);
  // "a" is in flight: only "b" may run now.
  auto second = scheduler.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, "b");
  EXPECT_FALSE(scheduler.next());
  scheduler.done("a");
  auto third = scheduler.next();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->second, 1);
  scheduler.done("a");
  EXPECT_EQ(scheduler.next()->second, 2);
  EXPECT_FALSE(scheduler.next());
}

TEST(KeyedScheduler, PipelinesOneKeyUpToItsDepthWhileNoOtherKeyWaits) {
  KeyedScheduler<int> scheduler(100, 3);
  for (int i = 0; i < 5; ++i) {
    int job = i;
    ASSERT_TRUE(scheduler.push("a", job));
  }
  auto first = scheduler.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->second, 0);
  EXPECT_FALSE(scheduler.next_of("b"));  // not in flight
  // Up to 3 of "a" in flight, in order.
  EXPECT_EQ(scheduler.next_of("a"), 1);
  EXPECT_EQ(scheduler.next_of("a"), 2);
  EXPECT_FALSE(scheduler.next_of("a"));
  scheduler.done("a");
  EXPECT_EQ(scheduler.next_of("a"), 3);
  // Another key waiting for a worker stops the pipelining: "a" drains and gets back in line behind it.
  int other = 10;
  ASSERT_TRUE(scheduler.push("b", other));
  scheduler.done("a");
  EXPECT_FALSE(scheduler.next_of("a"));
  EXPECT_FALSE(scheduler.idle("a"));
  scheduler.done("a");
  scheduler.done("a");
  auto second = scheduler.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, "b");
  auto third = scheduler.next();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->first, "a");
  EXPECT_EQ(third->second, 4);
  scheduler.done("a");
  scheduler.done("b");
  EXPECT_TRUE(scheduler.idle("a"));
  EXPECT_TRUE(scheduler.idle("b"));
  EXPECT_EQ(scheduler.queued(), 0U);
}

TEST(KeyedScheduler, RefusesBeyondItsCapacityAndDrains) {
  KeyedScheduler<int> scheduler(2, 1);
  int a = 1;
  int b = 2;
  int c = 3;
  EXPECT_TRUE(scheduler.push("x", a));
  EXPECT_TRUE(scheduler.push("y", b));
  EXPECT_FALSE(scheduler.push("z", c));
  EXPECT_EQ(c, 3);
  auto running = scheduler.next();
  ASSERT_TRUE(running);
  auto waiting = scheduler.take_all_waiting();
  EXPECT_EQ(waiting.size(), 1U);
  EXPECT_EQ(scheduler.queued(), 0U);
  scheduler.done(running->first);
  EXPECT_EQ(scheduler.active_keys(), 0U);
}

TEST(HeldBytes, BoundsEachClientAndTheTotalAndReleasesExactly) {
  HeldBytes held(100, 60);
  EXPECT_FALSE(held.hold("a", 60));
  auto over_client = held.hold("a", 1);
  ASSERT_TRUE(over_client);
  EXPECT_NE(over_client->find("max_queued_bytes_per_client (60)"), std::string::npos);
  EXPECT_FALSE(held.hold("b", 40));
  auto over_total = held.hold("c", 1);
  ASSERT_TRUE(over_total);
  EXPECT_NE(over_total->find("max_queued_bytes (100)"), std::string::npos);
  EXPECT_EQ(held.of("c"), 0U);  // a refusal holds nothing
  EXPECT_EQ(held.total(), 100U);
  held.release("a", 60);
  EXPECT_EQ(held.total(), 40U);
  EXPECT_FALSE(held.hold("c", 60));
  held.release("zzz", 10);  // unknown client: nothing changes
  held.release("b", 1000);  // never below zero
  EXPECT_EQ(held.total(), 60U);
  EXPECT_EQ(held.of("b"), 0U);
}

TEST(LatencyHistogram, PercentilesFollowTheSamples) {
  LatencyHistogram histogram;
  for (std::uint64_t us = 1; us <= 1000; ++us) {
    histogram.record(us);
  }
  EXPECT_EQ(histogram.count(), 1000U);
  EXPECT_EQ(histogram.max(), 1000U);
  // Buckets are 1/8 of a power of two wide: within 12.5% of the exact percentile.
  EXPECT_NEAR(histogram.percentile(0.5), 500.0, 500.0 * 0.125);
  EXPECT_NEAR(histogram.percentile(0.99), 990.0, 990.0 * 0.125);
  EXPECT_LE(histogram.percentile(1.0), 1000.0);
}

// Every case runs twice: with openat2 (RESOLVE_BENEATH) and with the O_NOFOLLOW walk of older kernels.
class RootDirTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("voxd-root-test-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "outside");
    auto root = RootDir::open(base_ / "root", {.use_openat2 = GetParam()});
    ASSERT_TRUE(root.ok());
    root_.emplace(std::move(root).value());
    fs::create_symlink(base_ / "outside", base_ / "root" / "escape");
    fs::create_symlink("../../outside", base_ / "root" / "relative-escape");
    fs::create_directories(base_ / "root" / "inner");
    fs::create_symlink("inner", base_ / "root" / "inside-link");
    std::ofstream(base_ / "outside" / "secret.gox") << "s";
    fs::create_symlink(base_ / "outside" / "secret.gox", base_ / "root" / "file-link.gox");
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path base_;
  std::optional<RootDir> root_;
};

TEST_P(RootDirTest, RefusesEveryWayOut) {
  const std::vector<std::uint8_t> bytes{1};
  for (const std::string& path :
       std::vector<std::string>{"../x", "inner/../../x", "/etc/passwd", (base_ / "outside" / "x").string(),
                                "escape/x", "escape", "relative-escape/secret.gox", "file-link.gox",
                                "escape/secret.gox", "/", "."}) {
    auto resolved = root_->resolve(path);
    ASSERT_FALSE(resolved.ok()) << path;
    EXPECT_EQ(resolved.code(), core::ErrorCode::permission_denied) << path << ": " << resolved.error().message;
    EXPECT_EQ(root_->read_file(path, 100).code(), core::ErrorCode::permission_denied) << path;
    EXPECT_EQ(root_->write_file(path, bytes).code(), core::ErrorCode::permission_denied) << path;
    EXPECT_EQ(root_->remove_file(path).code(), core::ErrorCode::permission_denied) << path;
  }
  EXPECT_EQ(root_->resolve("").code(), core::ErrorCode::invalid_argument);
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(base_ / "outside"), fs::directory_iterator()),
            std::vector<fs::path>{base_ / "outside" / "secret.gox"});
}

TEST_P(RootDirTest, AcceptsPathsInsideAndWritesAtomically) {
  auto resolved = root_->resolve("inner/model.gox");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(*resolved, fs::canonical(base_ / "root") / "inner" / "model.gox");
  const std::vector<std::uint8_t> bytes{1, 2, 3};
  ASSERT_TRUE(root_->write_file("inner/model.gox", bytes).ok());
  auto read = root_->read_file((base_ / "root" / "inner" / "model.gox").string(), 100);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, bytes);
  EXPECT_EQ(root_->read_file("./inner//model.gox", 100).code(), core::ErrorCode::ok);
  EXPECT_EQ(root_->read_file("inner/model.gox", 2).code(), core::ErrorCode::limit_exceeded);
  EXPECT_EQ(root_->read_file("missing.gox", 100).code(), core::ErrorCode::not_found);
  EXPECT_EQ(root_->read_file("missing-dir/x.gox", 100).code(), core::ErrorCode::not_found);
  // Writing below a regular file fails cleanly; into a missing directory is not_found, as for reads.
  EXPECT_EQ(root_->write_file("inner/model.gox/x", bytes).code(), core::ErrorCode::io);
  EXPECT_EQ(root_->write_file("missing-dir/x.gox", bytes).code(), core::ErrorCode::not_found);
  // A symlink that stays below the root is followed with openat2; the walk follows none.
  auto through_link = root_->read_file("inside-link/model.gox", 100);
  if (GetParam()) {
    EXPECT_TRUE(through_link.ok()) << through_link.error().message;
  } else {
    EXPECT_EQ(through_link.code(), core::ErrorCode::permission_denied);
  }
}

TEST_P(RootDirTest, RemovesOnlyRegularFilesBelowTheRoot) {
  ASSERT_TRUE(root_->write_file("inner/model.gox", std::vector<std::uint8_t>{1}).ok());
  auto removed = root_->remove_file("inner/model.gox");
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, fs::canonical(base_ / "root") / "inner" / "model.gox");
  EXPECT_FALSE(fs::exists(base_ / "root" / "inner" / "model.gox"));
  auto again = root_->remove_file("inner/model.gox");
  EXPECT_EQ(again.code(), core::ErrorCode::not_found);
  EXPECT_NE(again.error().message.find("inner/model.gox"), std::string::npos) << again.error().message;
  EXPECT_EQ(root_->remove_file("missing-dir/x.gox").code(), core::ErrorCode::not_found);
  auto directory = root_->remove_file("inner");
  EXPECT_EQ(directory.code(), core::ErrorCode::invalid_argument);
  EXPECT_NE(directory.error().message.find("a directory"), std::string::npos) << directory.error().message;
  EXPECT_TRUE(fs::is_directory(base_ / "root" / "inner"));
}

TEST(Sha256, IsTheStandardDigestInLowercaseHex) {
  const std::string abc = "abc";  // FIPS 180-2, appendix B.1
  EXPECT_EQ(sha256_hex({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_P(RootDirTest, EachClientGetsItsOwnFolderWithRootPerClient) {
  auto shared = RootDir::open(base_ / "per-client", {.per_client = true, .use_openat2 = GetParam()});
  ASSERT_TRUE(shared.ok());
  const std::vector<std::uint8_t> alice{1};
  const std::vector<std::uint8_t> bob{2};
  const std::string key = "curve:abc/def";  // '/' is a Z85 character
  ASSERT_TRUE(shared->write_file("m.gox", alice, key).ok());
  ASSERT_TRUE(shared->write_file("m.gox", bob, "uid:1000").ok());
  EXPECT_EQ(*shared->read_file("m.gox", 10, key), alice);
  EXPECT_EQ(*shared->read_file("m.gox", 10, "uid:1000"), bob);
  EXPECT_EQ(shared->read_file("m.gox", 10, "").code(), core::ErrorCode::not_found);
  EXPECT_TRUE(fs::is_regular_file(base_ / "per-client" / "curve-abc_def" / "m.gox"));
  EXPECT_TRUE(fs::is_regular_file(base_ / "per-client" / "uid-1000" / "m.gox"));
  EXPECT_TRUE(fs::is_directory(base_ / "per-client" / "anonymous"));
  // One client cannot name another's folder: absolute paths are taken inside its own, '..' never.
  EXPECT_EQ(shared->read_file((base_ / "per-client" / "uid-1000" / "m.gox").string(), 10, key).code(),
            core::ErrorCode::permission_denied);
  EXPECT_EQ(shared->read_file("../uid-1000/m.gox", 10, key).code(), core::ErrorCode::permission_denied);
  EXPECT_EQ(RootDir::client_folder(""), "anonymous");
  EXPECT_EQ(RootDir::client_folder(".x"), "_x");
  EXPECT_EQ(RootDir::client_folder("curve:a:b/c"), "curve-a:b_c");
}

INSTANTIATE_TEST_SUITE_P(Openat2AndWalk, RootDirTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param) { return param.param ? "openat2" : "walk"; });

TEST(ReadBoxPaging, SparsePagesCoverEveryVoxelOnce) {
  core::Volume volume;
  for (int x = -20; x < 40; ++x) {
    for (int y = 0; y < 30; ++y) {
      for (int z = 0; z < 10; ++z) {
        volume.set({x, y, z}, core::Color{1, 2, 3, 255});
      }
    }
  }
  const core::Box box{{-10, 0, 0}, {35, 25, 7}};
  std::set<std::tuple<int, int, int>> seen;
  std::vector<std::uint8_t> cursor;
  int pages = 0;
  while (true) {
    auto page = read_box_page(volume, box, protocol::ReadBoxMode::sparse, cursor, 4096);
    ASSERT_TRUE(page.ok());
    ++pages;
    for (const auto& v : page->voxels) {
      EXPECT_TRUE(box.contains({v.x(), v.y(), v.z()}));
      EXPECT_TRUE(seen.insert({v.x(), v.y(), v.z()}).second);
    }
    if (page->done) {
      break;
    }
    cursor = page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 46U * 26U * 8U);
  EXPECT_GT(pages, 1);
}

TEST(ReadBoxPaging, DensePagesAreWholeSlicesAndBadCursorsAreRefused) {
  core::Volume volume;
  volume.set({1, 1, 1}, core::Color{9, 9, 9, 255});
  const core::Box box{{0, 0, 0}, {99, 99, 9}};
  auto page = read_box_page(volume, box, protocol::ReadBoxMode::dense, {}, 25000);
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->done);
  EXPECT_EQ(page->dense_box.max.z, 1);
  EXPECT_EQ(page->dense.size(), 20000U);
  EXPECT_EQ(page->dense[1 + 100 + 10000], (core::Color{9, 9, 9, 255}.packed()));
  const std::vector<std::uint8_t> bad{1, 2, 3};
  EXPECT_EQ(read_box_page(volume, box, protocol::ReadBoxMode::dense, bad, 25000).code(),
            core::ErrorCode::invalid_argument);
  EXPECT_EQ(read_box_page(volume, {{0, 0, 0}, {999, 999, 0}}, protocol::ReadBoxMode::dense, {}, 25000).code(),
            core::ErrorCode::limit_exceeded);
}

}  // namespace
}  // namespace voxd::daemon
