// The format registry: look-up by extension and by magic, and dispatch of read_bytes / write_bytes.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "formats_test_support.hpp"
#include "voxd/core/formats/format.hpp"

namespace voxd::test {
namespace {

using core::ErrorCode;
using namespace core::formats;

TEST(Registry, ListsGoxAndTxtWithUniqueNamesAndExtensions) {
  std::set<std::string> names;
  std::set<std::string> extensions;
  for (const FileFormat& format : all_formats()) {
    EXPECT_TRUE(names.insert(std::string(format.name)).second) << format.name;
    EXPECT_TRUE(extensions.insert(std::string(format.extension)).second) << format.extension;
    EXPECT_TRUE(format.extension.starts_with('.')) << format.extension;
    EXPECT_TRUE(format.read != nullptr || format.write != nullptr) << format.name;
  }
  EXPECT_EQ(names.count("gox"), 1U);
  EXPECT_EQ(names.count("txt"), 1U);
}

TEST(Registry, FindsFormatsByExtensionIgnoringCase) {
  for (const char* path : {"a/b.gox", "B.GOX", ".gox", "gox", "dir.txt/x.Gox", "C:\\m\\x.gOx"}) {
    const FileFormat* format = format_for_path(path);
    ASSERT_NE(format, nullptr) << path;
    EXPECT_EQ(format->name, "gox") << path;
  }
  ASSERT_NE(format_for_path("notes.TXT"), nullptr);
  EXPECT_EQ(format_for_path("notes.TXT")->name, "txt");
  EXPECT_EQ(format_for_path("model.gox.bak"), nullptr);
  EXPECT_EQ(format_for_path("model."), nullptr);
  EXPECT_EQ(format_for_path(""), nullptr);
  EXPECT_EQ(format_for_path("dir.gox/model"), nullptr);
}

TEST(Registry, FindsFormatsByMagic) {
  const Bytes gox{'G', 'O', 'X', ' ', 2, 0, 0, 0};
  ASSERT_NE(format_for_content(gox), nullptr);
  EXPECT_EQ(format_for_content(gox)->name, "gox");
  const Bytes text{'1', ' ', '2'};
  EXPECT_EQ(format_for_content(text), nullptr);
  EXPECT_EQ(format_for_content({}), nullptr);
}

TEST(Registry, ReadBytesPrefersTheMagicOverTheName) {
  core::ProjectState state;
  core::Layer layer;
  layer.id = 1;
  layer.volume.set({1, 2, 3}, Color{4, 5, 6, 255});
  state.layers.push_back(layer);
  Bytes gox;
  ASSERT_TRUE(write_bytes(state, "x.gox", gox, WriteOptions{.thumbnail = false}).ok());
  const auto read = read_bytes(gox, "misnamed.txt", {});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->layers[0].volume.get({1, 2, 3}), (Color{4, 5, 6, 255}));
}

TEST(Registry, UnknownFormatsAreUnsupported) {
  const Bytes bytes{'?', '?'};
  const auto read = read_bytes(bytes, "model.xyz", {});
  EXPECT_EQ(read.code(), ErrorCode::unsupported);
  Bytes out;
  const auto written = write_bytes(core::ProjectState{}, "model.xyz", out);
  EXPECT_EQ(written.code(), ErrorCode::unsupported);
  EXPECT_NE(written.error().message.find("model.xyz"), std::string::npos);
}

TEST(Registry, FileSizeLimitComesFirst) {
  core::ReadLimits limits;
  limits.max_file_bytes = 2;
  const Bytes bytes{'1', ' ', '2', ' ', '3'};
  const auto read = read_bytes(bytes, "a.txt", limits);
  EXPECT_EQ(read.code(), ErrorCode::limit_exceeded);
  EXPECT_NE(read.error().message.find("max_file_bytes"), std::string::npos);
}

}  // namespace
}  // namespace voxd::test
