// The Goxel front's fast path for goxel.add_voxels (daemon/goxel/add_voxels_fast_reader.hpp): the forms it reads
// itself, the same call the dispatcher's path reads from them, and the forms it must leave to the dispatcher.
#include "add_voxels_fast_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "voxd/jsonrpc/message.hpp"

namespace voxd::goxel {
namespace {

using Voxels = std::vector<std::tuple<int, int, int, std::uint32_t>>;

Voxels flat(const std::vector<protocol::Voxel>& voxels) {
  Voxels out;
  for (const auto& v : voxels) out.emplace_back(v.x(), v.y(), v.z(), v.rgba());
  return out;
}

// What the dispatcher's path reads from the same text.
AddVoxelsCall read_slowly(const std::string& text) {
  const auto parsed = std::get<nlohmann::json>(jsonrpc::parse_json(text, jsonrpc::ParseLimits{}));
  const auto request = std::get<jsonrpc::Request>(jsonrpc::read_request(parsed));
  return read_add_voxels_params(Params(request.params));
}

TEST(AddVoxelsFastReader, ReadsTheNamedFormAsTheDispatcherDoes) {
  const std::string text = R"({"jsonrpc":"2.0","id":7,"method":"goxel.add_voxels","params":{"voxels":[)"
                           R"({"x":1,"y":-2,"z":3,"r":255,"g":0,"b":0,"a":128},)"
                           R"({"z":0,"y":0,"x":-2147483648,"color":[1,2,3]},)"
                           R"({"x":5,"y":5,"z":2147483647},)"
                           R"({"x":6,"y":6,"z":6,"g":9}],"layer_id":2,"project":4294967297}})";
  AddVoxelsFastReader reader;
  const auto fast = reader.read(text);
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->id, nlohmann::json(7));
  EXPECT_EQ(fast->call.layer, 2U);
  EXPECT_EQ(fast->call.project, 4294967297ULL);
  const Voxels expected{{1, -2, 3, 0xff000080U},
                        {-2147483648, 0, 0, 0x010203ffU},
                        {5, 5, 2147483647, 0xffffffffU},
                        {6, 6, 6, 0x000900ffU}};
  EXPECT_EQ(flat(fast->call.voxels), expected);
  const auto slow = read_slowly(text);
  EXPECT_EQ(flat(slow.voxels), expected);
  EXPECT_EQ(slow.layer, fast->call.layer);
  EXPECT_EQ(slow.project, fast->call.project);
}

TEST(AddVoxelsFastReader, ReadsThePositionalFormAndStringIds) {
  const std::string text =
      "{ \"method\" : \"goxel.add_voxels\", \"params\" : [[{\"x\":1,\"y\":2,\"z\":3,\"color\":[9,8,7,6]}], -1],\n"
      " \"id\" : \"bulk-A\", \"jsonrpc\" : \"2.0\" }";
  AddVoxelsFastReader reader;
  const auto fast = reader.read(text);
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->id, nlohmann::json("bulk-A"));
  EXPECT_EQ(fast->call.layer, 0U);  // <= 0: the active layer
  EXPECT_EQ(fast->call.project, 0U);
  EXPECT_EQ(flat(fast->call.voxels), (Voxels{{1, 2, 3, 0x09080706U}}));
  EXPECT_EQ(flat(read_slowly(text).voxels), flat(fast->call.voxels));
}

TEST(AddVoxelsFastReader, ReusesItsBuffersAcrossMessagesOfEverySize) {
  AddVoxelsFastReader reader;
  for (int n : {1000, 1, 300}) {
    std::string text = R"({"jsonrpc":"2.0","id":1,"method":"goxel.add_voxels","params":{"voxels":[)";
    for (int i = 0; i < n; ++i) {
      text += (i == 0 ? "" : ",") + std::string(R"({"x":)") + std::to_string(i) +
              R"(,"y":0,"z":0,"r":1,"g":2,"b":3,"a":4})";
    }
    text += "]}}";
    const auto fast = reader.read(text);
    ASSERT_TRUE(fast.has_value()) << n;
    ASSERT_EQ(fast->call.voxels.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(fast->call.voxels.back().x(), n - 1);
    EXPECT_EQ(fast->call.voxels.back().rgba(), 0x01020304U);
  }
}

// Everything here is valid for the dispatcher, an error it words, or not add_voxels: never the fast reader's.
TEST(AddVoxelsFastReader, LeavesEveryOtherFormToTheDispatcher) {
  const std::string head = R"({"jsonrpc":"2.0","id":1,"method":"goxel.add_voxels","params":)";
  const std::vector<std::string> declined{
      head + R"({"voxels":[{"x":1.0,"y":2,"z":3}]}})",                      // a float coordinate
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"r":"#ff0000"}]}})",          // a hex colour
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"color":"#ff0000"}]}})",      // a hex colour
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"r":256}]}})",                // out of range: the dispatcher's error
      head + R"({"voxels":[{"x":2147483648,"y":2,"z":3}]}})",               // beyond int32
      head + R"({"voxels":[{"x":1,"y":2}]}})",                              // z missing
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"x":4}]}})",                  // a repeated key
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"w":4}]}})",                  // an unknown key
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"r":1,"color":[1,2,3]}]}})",  // both colour forms
      head + R"({"voxels":[{"x":1,"y":2,"z":3,"color":[1,2]}]}})",          // too short a colour
      head + R"({"voxels":[[1,2,3]]}})",                                    // not an object
      head + R"({"voxels":[],"extra":1}})",                                 // an unknown parameter
      head + R"({"layer_id":1}})",                                          // no voxels
      head + R"({"voxels":[],"project":"0x100000001"}})",                   // a handle as a string
      head + R"([[],1,2]})",                                                // too many positions
      head + R"({"voxels":[]}} )" + "{}",                                   // something after the message
      head + R"({"voxels":[]})",                                            // unterminated
      R"({"jsonrpc":"2.0","method":"goxel.add_voxels","params":{"voxels":[]}})",            // a notification
      R"({"jsonrpc":"2.0","id":null,"method":"goxel.add_voxels","params":{"voxels":[]}})",  // a null id
      R"({"jsonrpc":"2.0","id":"a\u0001","method":"goxel.add_voxels","params":{"voxels":[]}})",
      R"({"jsonrpc":"2.0","id":"a\u0041","method":"goxel.add_voxels","params":{"voxels":[]}})",  // an escaped id
      R"({"jsonrpc":"2.0","id":"\udc00","method":"goxel.add_voxels","params":{"voxels":[]}})",   // a lone surrogate
      R"({"jsonrpc":"2.0","\u0069d":1,"method":"goxel.add_voxels","params":{"voxels":[]}})",     // an escaped key
      head + R"({"voxels":[{"\u0078":1,"y":2,"z":3}]}})",                                        // an escaped key
      head + R"({"voxels":[{"x":01,"y":2,"z":3}]}})",                                            // not JSON
      R"({"jsonrpc":"1.0","id":1,"method":"goxel.add_voxels","params":{"voxels":[]}})",
      R"([{"jsonrpc":"2.0","id":1,"method":"goxel.add_voxels","params":{"voxels":[]}}])",  // a batch
      R"({"jsonrpc":"2.0","id":1,"method":"goxel.add_voxel","params":[1,2,3],"note":"goxel.add_voxels"})",
  };
  AddVoxelsFastReader reader;
  for (const auto& text : declined) EXPECT_FALSE(reader.read(text).has_value()) << text;
  // And the reader still reads after declining.
  EXPECT_TRUE(reader.read(head + R"({"voxels":[]}})").has_value());
}

}  // namespace
}  // namespace voxd::goxel
