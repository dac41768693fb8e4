// The shared file I/O library: what it refuses (FIFOs without blocking, devices, directories, files over the
// budget, symlinks when asked), and that writes replace a file whole and leave nothing behind.
#include "voxd/fileio/file_io.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

namespace voxd::fileio {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxd-fileio-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] std::string at(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_F(FileIoTest, ReadsARegularFileWithinItsBudget) {
  write_text(at("a.txt"), "hello");
  auto bytes = read_file(at("a.txt"), "a.txt", {.max_bytes = 5});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "hello");
}

TEST_F(FileIoTest, RefusesAFileOverItsBudgetNamingTheLimit) {
  write_text(at("a.txt"), "hello!");
  auto bytes = read_file(at("a.txt"), "a.txt", {.max_bytes = 5, .limit_name = "max_file_bytes"});
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(bytes.error().message.find("max_file_bytes (5)"), std::string::npos) << bytes.error().message;
}

TEST_F(FileIoTest, RefusesAFifoWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  auto reading = std::async(std::launch::async, [&] { return read_file(at("pipe"), "pipe", {.max_bytes = 1 << 20}); });
  ASSERT_EQ(reading.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "blocked on the FIFO";
  auto bytes = reading.get();
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.code(), ErrorCode::invalid_argument);
  EXPECT_NE(bytes.error().message.find("a FIFO"), std::string::npos) << bytes.error().message;
}

TEST_F(FileIoTest, RefusesDevicesAndDirectories) {
  auto device = read_file("/dev/zero", "/dev/zero", {.max_bytes = 1 << 20});
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.error().message.find("a device"), std::string::npos) << device.error().message;
  auto directory = read_file(dir_.string(), "dir", {.max_bytes = 1 << 20});
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("a directory"), std::string::npos) << directory.error().message;
  auto missing = read_file(at("none"), "none", {.max_bytes = 1});
  EXPECT_EQ(missing.code(), ErrorCode::not_found);
}

TEST_F(FileIoTest, FollowsOrRefusesAFinalSymlinkAsAsked) {
  write_text(at("target"), "x");
  fs::create_symlink(at("target"), at("link"));
  EXPECT_TRUE(read_file(at("link"), "link", {.max_bytes = 1}).ok());
  auto refused = read_file(at("link"), "link", {.max_bytes = 1, .follow_last_symlink = false});
  EXPECT_FALSE(refused.ok());
}

TEST_F(FileIoTest, WriteReplacesTheFileWholeAndLeavesNoTemporaryFile) {
  write_text(at("out.gox"), "old contents, longer than the new");
  const std::vector<std::uint8_t> fresh{'n', 'e', 'w'};
  ASSERT_TRUE(write_file_atomically(at("out.gox"), "out.gox", fresh).ok());
  auto back = read_file(at("out.gox"), "out.gox", {.max_bytes = 100});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, fresh);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"out.gox"});
}

TEST_F(FileIoTest, WriteRefusesToReplaceAFifoOrDirectoryAndFailsCleanlyWhereItCannotWrite) {
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  const std::vector<std::uint8_t> bytes{1, 2, 3};
  auto over_fifo = write_file_atomically(at("pipe"), "pipe", bytes);
  ASSERT_FALSE(over_fifo.ok());
  EXPECT_NE(over_fifo.error().message.find("a FIFO"), std::string::npos);
  EXPECT_FALSE(write_file_atomically(dir_.string(), "dir", bytes).ok());
  auto nowhere = write_file_atomically(at("missing/dir/out.gox"), "missing/dir/out.gox", bytes);
  ASSERT_FALSE(nowhere.ok());
  EXPECT_NE(nowhere.error().message.find("missing/dir/out.gox"), std::string::npos);
}

TEST_F(FileIoTest, DirectoryRelativeVariantsStayInTheirDirectory) {
  fs::create_directories(dir_ / "d");
  fs::create_directories(dir_ / "elsewhere");
  write_text(at("elsewhere/secret"), "s");
  fs::create_symlink(at("elsewhere/secret"), at("d/link"));
  const int directory = ::open(at("d").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // NOLINT
  ASSERT_GE(directory, 0);
  const std::vector<std::uint8_t> bytes{7, 8};
  ASSERT_TRUE(write_file_atomically_at(directory, "f.gox", "d/f.gox", bytes).ok());
  auto back = read_file_at(directory, "f.gox", "d/f.gox", {.max_bytes = 10, .follow_last_symlink = false});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  // A symlink as the name is neither followed when reading (asked not to) nor replaced when writing.
  EXPECT_EQ(read_file_at(directory, "link", "d/link", {.max_bytes = 10, .follow_last_symlink = false}).code(),
            core::ErrorCode::permission_denied);
  auto over_link = write_file_atomically_at(directory, "link", "d/link", bytes);
  ASSERT_FALSE(over_link.ok());
  EXPECT_NE(over_link.error().message.find("a symbolic link"), std::string::npos);
  EXPECT_FALSE(write_file_atomically_at(directory, "a/b", "d/a/b", bytes).ok());
  EXPECT_FALSE(write_file_atomically_at(directory, "..", "d/..", bytes).ok());
  EXPECT_EQ(read_file_at(directory, "missing", "d/missing", {.max_bytes = 10}).code(), core::ErrorCode::not_found);
  ::close(directory);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_ / "d")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"f.gox", "link"}));
}

}  // namespace
}  // namespace voxd::fileio
