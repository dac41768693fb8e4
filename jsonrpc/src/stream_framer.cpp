#include "voxd/jsonrpc/stream_framer.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace voxd::jsonrpc {

namespace {

bool is_json_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A structured message is scanned 64 bytes at a time with SSE2 (x86-64), else 8 at a time (SWAR: plain 64-bit
// arithmetic, the same on every CPU), while those bytes cannot end it; only words with a backslash, or a closing
// bracket that might bring the depth to 0, go byte by byte. Byte by byte, a bulk add_voxels message (a quote
// every four bytes) cost 1.6 ns a byte, a quarter of the front's time; by words, 15% of it.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;

std::uint64_t load_word(const char* p) {
  std::uint64_t word = 0;
  std::memcpy(&word, p, sizeof word);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;  // byte i of the text in bits 8i..8i+7
}

// 0x80 in each byte of `word` equal to `c`, exactly (no borrow from one byte into the next).
std::uint64_t bytes_equal(std::uint64_t word, char c) {
  const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

// The 0x80 marks gathered into bit i for byte i (each mark lands on its own bit: no carries).
unsigned gather(std::uint64_t marks) {
  return static_cast<unsigned>(((marks >> 7U) * 0x0102040810204080ULL) >> 56U);
}

// Bit i: the xor of bits 0..i, so after an opening quote every bit is set up to the closing one.
unsigned prefix_xor(unsigned x) {
  x ^= x << 1U;
  x ^= x << 2U;
  x ^= x << 4U;
  return x & 0xffU;
}

// Set bits of a byte (std::popcount would be a library call without -mpopcnt).
std::size_t count_bits(unsigned x) {
  x = x - ((x >> 1U) & 0x55U);
  x = (x & 0x33U) + ((x >> 2U) & 0x33U);
  return (x + (x >> 4U)) & 0x0fU;
}

#if defined(__SSE2__)
// SSE2 is part of x86-64 itself, so this needs no check of the CPU. 64 bytes as four 16-byte vectors.
struct Block {
  __m128i v[4];  // NOLINT: a C array, as std::array would drop the vector type's alignment attribute
  explicit Block(const char* p) {
    for (std::size_t j = 0; j < 4; ++j) {
      v[j] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));  // NOLINT: the intrinsic's type
    }
  }
  // Bit i set where byte i equals c (after or-ing `fold` into every byte).
  [[nodiscard]] std::uint64_t equal(char c, char fold = 0) const {
    const __m128i want = _mm_set1_epi8(c);
    const __m128i folding = _mm_set1_epi8(fold);
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const auto mask =
          static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v[j], folding), want)));
      bits |= static_cast<std::uint64_t>(mask) << (16U * j);
    }
    return bits;
  }
};

std::uint64_t prefix_xor64(std::uint64_t x) {
  for (unsigned shift = 1; shift < 64; shift <<= 1U) x ^= x << shift;
  return x;
}

std::size_t count_bits64(std::uint64_t x) {
  x = x - ((x >> 1U) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2U) & 0x3333333333333333ULL);
  x = (x + (x >> 4U)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<std::size_t>((x * kOnes) >> 56U);
}
#endif

}  // namespace

bool StreamFramer::scan_block(const char* p) {
#if defined(__SSE2__)
  if (text_.escaped) return false;
  const Block block(p);
  if (block.equal('\\') != 0) return false;
  const std::uint64_t inside = prefix_xor64(block.equal('"')) ^ (text_.in_string ? ~0ULL : 0ULL);
  const std::uint64_t opens = block.equal('{', 0x20) & ~inside;  // '[' | 0x20 == '{', as in scan_word
  const std::uint64_t closes = block.equal('}', 0x20) & ~inside;
  const std::size_t n_closes = count_bits64(closes);
  if (depth_ <= n_closes) return false;  // this block might end the message
  depth_ = depth_ + count_bits64(opens) - n_closes;
  text_.in_string = (inside >> 63U) != 0;
  return true;
#else
  (void)p;
  return false;
#endif
}

bool StreamFramer::scan_word(const char* p) {
  const std::uint64_t word = load_word(p);
  if (text_.escaped || bytes_equal(word, '\\') != 0) return false;
  const unsigned quotes = gather(bytes_equal(word, '"'));
  const unsigned inside = prefix_xor(quotes) ^ (text_.in_string ? 0xffU : 0U);
  // '[' and '{' differ only in bit 5 (0x5b, 0x7b), as do ']' and '}': nothing else sets to them.
  const std::uint64_t folded = word | (kOnes * 0x20U);
  const unsigned opens = gather(bytes_equal(folded, '{')) & ~inside;
  const unsigned closes = gather(bytes_equal(folded, '}')) & ~inside;
  const std::size_t n_closes = count_bits(closes);
  if (depth_ <= n_closes) return false;  // this word might end the message
  depth_ = depth_ + count_bits(opens) - n_closes;
  text_.in_string = (inside & 0x80U) != 0;
  return true;
}

bool StreamFramer::scan_byte(char c) {
  const int change = text_.step(c);
  if (change > 0) ++depth_;
  return change < 0 && --depth_ == 0;
}

void StreamFramer::take(std::string_view run) {
  size_ += run.size();
  if (discarding_) return;
  if (size_ > max_message_bytes_) {
    discarding_ = true;
    message_.clear();
    message_.shrink_to_fit();
    return;
  }
  message_.append(run);
}

void StreamFramer::finish(std::vector<Frame>& out) {
  Frame frame;
  frame.bytes = size_;
  if (discarding_) {
    frame.kind = Frame::Kind::kTooLarge;
  } else {
    frame.text = std::move(message_);
  }
  out.push_back(std::move(frame));
  message_.clear();
  state_ = State::kBetween;
  depth_ = 0;
  text_ = {};
  discarding_ = false;
  size_ = 0;
}

void StreamFramer::feed(std::string_view bytes, std::vector<Frame>& out) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    switch (state_) {
      case State::kBetween: {
        const char c = bytes[at];
        if (!is_json_whitespace(c)) {
          state_ = (c == '{' || c == '[') ? State::kStructured : State::kScalar;
          depth_ = state_ == State::kStructured ? 1 : 0;
          take(bytes.substr(at, 1));
        }
        ++at;
        break;
      }
      case State::kScalar: {
        // A bare value (or garbage) has no closing bracket: the newline ends it, so a parse error can be answered.
        const auto newline = bytes.find('\n', at);
        if (newline == std::string_view::npos) {
          take(bytes.substr(at));
          at = bytes.size();
        } else {
          take(bytes.substr(at, newline - at));
          finish(out);
          at = newline + 1;
        }
        break;
      }
      case State::kStructured: {
        // What was scanned is copied as one run when the message closes or the bytes end. 64 bytes at a time
        // where they cannot end it; after a block that needs care, its 64 bytes go by words (and bytes).
        std::size_t i = at;
        std::size_t words_until = at;
        bool closed = false;
        while (i < bytes.size() && !closed) {
          if (i >= words_until && bytes.size() - i >= 64) {
            if (scan_block(bytes.data() + i)) {
              i += 64;
              continue;
            }
            words_until = i + 64;
          }
          if (bytes.size() - i >= 8 && scan_word(bytes.data() + i)) {
            i += 8;
            continue;
          }
          for (const std::size_t stop = std::min(bytes.size(), i + 8); i < stop && !closed; ++i) {
            closed = scan_byte(bytes[i]);
          }
        }
        take(bytes.substr(at, i - at));
        at = i;
        if (closed) finish(out);
        break;
      }
    }
  }
}

}  // namespace voxd::jsonrpc
