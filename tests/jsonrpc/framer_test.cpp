// The two framers: Goxel's brace/newline stream framing and MCP's newline framing, with split and coalesced
// reads and the byte limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "voxd/jsonrpc/line_framer.hpp"
#include "voxd/jsonrpc/stream_framer.hpp"

namespace voxd::jsonrpc {
namespace {

std::vector<std::string> texts(const std::vector<Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& frame : frames) out.push_back(frame.kind == Frame::Kind::kMessage ? frame.text : "<too large>");
  return out;
}

TEST(StreamFramer, ObjectEndsWhereItCloses) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed(R"({"a":1})", frames);
  EXPECT_EQ(texts(frames), std::vector<std::string>{R"({"a":1})"});
  EXPECT_FALSE(framer.mid_message());
}

TEST(StreamFramer, CoalescedAndNewlineSeparatedMessages) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed("{\"a\":1}{\"b\":[2]}\n  [3,{\"c\":4}]\r\n\n", frames);
  EXPECT_EQ(texts(frames), (std::vector<std::string>{R"({"a":1})", R"({"b":[2]})", R"([3,{"c":4}])"}));
}

TEST(StreamFramer, SplitAtEveryByte) {
  const std::string input = "{\"s\":\"}{]\\\"\\\\\",\"n\":{\"x\":[1,2]}}\n{\"t\":2}";
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  for (const char c : input) framer.feed(std::string_view(&c, 1), frames);
  EXPECT_EQ(texts(frames), (std::vector<std::string>{"{\"s\":\"}{]\\\"\\\\\",\"n\":{\"x\":[1,2]}}", R"({"t":2})"}));
}

// The framer copies runs between the bytes that matter; a split anywhere, even inside an escape, must not
// change what it cuts.
TEST(StreamFramer, EveryTwoPieceSplitCutsTheSameFrames) {
  const std::string input =
      "{\"s\":\"a\\\\\\\"}\",\"v\":[{\"x\":1}]}  \"bare\\\"\n[\"]\"]{\"big\":\"" + std::string(40, 'z') + "\"}";
  StreamFramer whole(30);
  std::vector<Frame> expected;
  whole.feed(input, expected);
  ASSERT_EQ(texts(expected), (std::vector<std::string>{"{\"s\":\"a\\\\\\\"}\",\"v\":[{\"x\":1}]}", "\"bare\\\"",
                                                       "[\"]\"]", "<too large>"}));
  for (std::size_t split = 0; split <= input.size(); ++split) {
    StreamFramer framer(30);
    std::vector<Frame> frames;
    framer.feed(std::string_view(input).substr(0, split), frames);
    framer.feed(std::string_view(input).substr(split), frames);
    ASSERT_EQ(texts(frames), texts(expected)) << "split at " << split;
    EXPECT_EQ(frames.back().bytes, expected.back().bytes) << "split at " << split;
  }
}

// The framing rules byte by byte, written as plainly as possible: what the 64-byte and 8-byte scans must
// agree with, wherever a block or word boundary falls.
std::vector<std::string> reference_frames(const std::string& text) {
  std::vector<std::string> out;
  std::string message;
  enum class State { kBetween, kStructured, kScalar } state = State::kBetween;
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (state == State::kBetween) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      message = std::string(1, c);
      state = c == '{' || c == '[' ? State::kStructured : State::kScalar;
      depth = 1;
    } else if (state == State::kScalar) {
      if (c != '\n') {
        message += c;
        continue;
      }
      out.push_back(message);
      state = State::kBetween;
    } else {
      message += c;
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        out.push_back(message);
        state = State::kBetween;
      }
    }
  }
  return out;
}

// Random texts of the bytes that matter (brackets, quotes, backslashes, newlines) among plain ones, long enough
// for many 64-byte blocks, fed whole and in random pieces: the same frames as the byte-by-byte rules.
TEST(StreamFramer, BlockAndWordScansAgreeWithTheByteRules) {
  std::mt19937 random(20261203);
  const std::string alphabet = "{{{[[}]\"\"\\\n :,ax0";
  for (int round = 0; round < 3000; ++round) {
    // Per round, a bias: from mostly-plain text to dense brackets and quotes.
    const std::size_t plain = random() % 40;
    std::string text;
    const std::size_t length = random() % 3000;
    for (std::size_t i = 0; i < length; ++i) {
      text += random() % 40 < plain ? 'a' : alphabet[random() % alphabet.size()];
    }
    const auto expected = reference_frames(text);
    StreamFramer whole(1U << 20U);
    std::vector<Frame> frames;
    whole.feed(text, frames);
    ASSERT_EQ(texts(frames), expected) << "round " << round << ": " << text;
    StreamFramer pieces(1U << 20U);
    frames.clear();
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t n = std::min<std::size_t>(text.size() - at, 1 + random() % 200);
      pieces.feed(std::string_view(text).substr(at, n), frames);
      at += n;
    }
    ASSERT_EQ(texts(frames), expected) << "round " << round << " in pieces: " << text;
  }
}

TEST(StreamFramer, BracesInsideStringsDoNotCount) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed(R"({"m":"{{[["})", frames);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].text, R"({"m":"{{[["})");
}

TEST(StreamFramer, NewlinesInsideAnObjectAreWhitespace) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed("{\n\"a\":\n1\n}\n", frames);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].text, "{\n\"a\":\n1\n}");
}

TEST(StreamFramer, BareValueOrGarbageEndsAtNewline) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed("not json at all\n42\n", frames);
  EXPECT_EQ(texts(frames), (std::vector<std::string>{"not json at all", "42"}));
}

TEST(StreamFramer, UnfinishedMessageWaits) {
  StreamFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed(R"({"a":[1,)", frames);
  EXPECT_TRUE(frames.empty());
  EXPECT_TRUE(framer.mid_message());
  EXPECT_EQ(framer.buffered(), 8U);
  framer.feed("2]}", frames);
  EXPECT_EQ(texts(frames), std::vector<std::string>{R"({"a":[1,2]})"});
}

TEST(StreamFramer, OversizedMessageIsDroppedAndReportedThenStreamContinues) {
  StreamFramer framer(16);
  std::vector<Frame> frames;
  const std::string big = "{\"a\":\"" + std::string(100, 'x') + "\"}";
  framer.feed(big.substr(0, 50), frames);
  EXPECT_LE(framer.buffered(), 16U);
  framer.feed(big.substr(50) + "{\"ok\":1}", frames);
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[0].kind, Frame::Kind::kTooLarge);
  EXPECT_EQ(frames[0].bytes, big.size());
  EXPECT_EQ(frames[1].text, R"({"ok":1})");
}

TEST(StreamFramer, MessageOfExactlyTheLimitIsKept) {
  const std::string msg = R"({"abc":12345})";
  StreamFramer framer(msg.size());
  std::vector<Frame> frames;
  framer.feed(msg, frames);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].kind, Frame::Kind::kMessage);
}

TEST(LineFramer, LinesWithCrLfAndBlankLines) {
  LineFramer framer(1024);
  std::vector<Frame> frames;
  framer.feed("{\"a\":1}\r\n\n  \n{\"b\":", frames);
  framer.feed("2}\n", frames);
  EXPECT_EQ(texts(frames), (std::vector<std::string>{R"({"a":1})", R"({"b":2})"}));
  EXPECT_FALSE(framer.mid_message());
}

TEST(LineFramer, OversizedLineIsReportedAndNextLineKept) {
  LineFramer framer(8);
  std::vector<Frame> frames;
  framer.feed(std::string(20, 'x'), frames);
  EXPECT_LE(framer.buffered(), 9U);
  framer.feed(std::string(20, 'y') + "\n12345678\r\n123456789\n", frames);
  ASSERT_EQ(frames.size(), 3U);
  EXPECT_EQ(frames[0].kind, Frame::Kind::kTooLarge);
  EXPECT_EQ(frames[0].bytes, 40U);
  EXPECT_EQ(frames[1].text, "12345678");
  EXPECT_EQ(frames[2].kind, Frame::Kind::kTooLarge);
}

}  // namespace
}  // namespace voxd::jsonrpc
