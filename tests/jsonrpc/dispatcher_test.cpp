// The message model and dispatch table: requests, notifications, batches, the standard errors, params by
// position and by name, and handlers that answer later.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "voxd/jsonrpc/dispatcher.hpp"
#include "voxd/jsonrpc/params.hpp"

namespace voxd::jsonrpc {
namespace {

using nlohmann::json;

struct Session {
  int calls = 0;
  std::vector<std::function<void()>> later;  // answers held back, to test asynchronous handlers
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_(MessageLimits{3, "--max-batch", ParseLimits{8}}) {
    dispatcher_.add_sync("add", [](Session& s, const Request& r) {
      ++s.calls;
      const Params p(r.params);
      return json(p.integer(0, "a") + p.integer_or(1, "b", 10));
    });
    dispatcher_.add_sync("fail", [](Session&, const Request&) -> json {
      throw RpcError(Error{-1001, "application failure", json{{"why", "test"}}});
    });
    dispatcher_.add_sync("crash", [](Session&, const Request&) -> json { throw std::runtime_error("boom"); });
    dispatcher_.add("later", [](Session& s, const Request& r, const Dispatcher<Session>::Respond& respond) {
      s.later.push_back([respond, v = r.params]() { respond(Outcome{std::in_place_index<0>, v}); });
    });
  }

  // The reply to `text`, or nullopt for no reply; fails the test when the reply did not come synchronously.
  std::optional<json> call(const std::string& text) {
    bool replied = false;
    std::optional<std::string> out;
    dispatcher_.handle(session_, text, [&](std::optional<std::string> reply) {
      replied = true;
      out = std::move(reply);
    });
    EXPECT_TRUE(replied);
    if (!out) return std::nullopt;
    return json::parse(*out);
  }

  Dispatcher<Session> dispatcher_;
  Session session_;
};

TEST_F(DispatcherTest, NamedAndPositionalParams) {
  EXPECT_EQ(*call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})"),
            json::parse(R"({"jsonrpc":"2.0","id":1,"result":3})"));
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":"x","method":"add","params":{"a":5}})"))["result"], 15);
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":2,"method":"add","params":{"a":5.0,"b":null}})"))["result"], 15);
}

TEST_F(DispatcherTest, InvalidParamsNamesTheParameter) {
  const auto reply = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":{"a":"one"}})");
  EXPECT_EQ(reply["error"]["code"], code::kInvalidParams);
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("'a'"), std::string::npos);
  const auto missing = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[]})");
  EXPECT_EQ(missing["error"]["code"], code::kInvalidParams);
  const auto fraction = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1.5]})");
  EXPECT_EQ(fraction["error"]["code"], code::kInvalidParams);
  const auto range = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[4294967296]})");
  EXPECT_EQ(range["error"]["code"], code::kInvalidParams);
}

TEST_F(DispatcherTest, StandardErrors) {
  const auto parse = *call(R"({"jsonrpc":"2.0",)");
  EXPECT_EQ(parse["error"]["code"], code::kParseError);
  EXPECT_TRUE(parse["id"].is_null());
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":7,"method":"nope"})"))["error"]["code"], code::kMethodNotFound);
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":7,"method":"nope"})"))["id"], 7);
  EXPECT_EQ((*call(R"({"jsonrpc":"1.0","id":7,"method":"add"})"))["error"]["code"], code::kInvalidRequest);
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":7,"method":3})"))["error"]["code"], code::kInvalidRequest);
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":[1],"method":"add"})"))["error"]["code"], code::kInvalidRequest);
  EXPECT_EQ((*call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":3})"))["error"]["code"], code::kInvalidRequest);
  EXPECT_EQ((*call("42"))["error"]["code"], code::kInvalidRequest);
  const auto internal = *call(R"({"jsonrpc":"2.0","id":1,"method":"crash"})");
  EXPECT_EQ(internal["error"]["code"], code::kInternalError);
  EXPECT_NE(internal["error"]["message"].get<std::string>().find("boom"), std::string::npos);
  const auto app = *call(R"({"jsonrpc":"2.0","id":1,"method":"fail"})");
  EXPECT_EQ(app["error"], json::parse(R"({"code":-1001,"message":"application failure","data":{"why":"test"}})"));
}

TEST_F(DispatcherTest, TooDeepIsAParseErrorNamingTheLimit) {
  const auto reply = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[[[[[[[[[1]]]]]]]]]})");
  EXPECT_EQ(reply["error"]["code"], code::kParseError);
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("max_json_depth"), std::string::npos);
}

TEST_F(DispatcherTest, NumberBeyondADoubleIsAParseError) {
  const auto reply = *call(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1e400]})");
  EXPECT_EQ(reply["error"]["code"], code::kParseError);
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("1e400"), std::string::npos);
}

TEST_F(DispatcherTest, NotificationsGetNoReplyButRun) {
  EXPECT_FALSE(call(R"({"jsonrpc":"2.0","method":"add","params":[1]})").has_value());
  EXPECT_FALSE(call(R"({"jsonrpc":"2.0","method":"nope"})").has_value());
  EXPECT_EQ(session_.calls, 1);
}

TEST_F(DispatcherTest, BatchRepliesInOrderWithoutNotifications) {
  const auto reply =
      *call(R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[1]},{"jsonrpc":"2.0","method":"add","params":[2]},)"
            R"(5])");
  ASSERT_TRUE(reply.is_array());
  ASSERT_EQ(reply.size(), 2U);
  EXPECT_EQ(reply[0]["result"], 11);
  EXPECT_EQ(reply[1]["error"]["code"], code::kInvalidRequest);
  EXPECT_EQ(session_.calls, 2);
}

TEST_F(DispatcherTest, BatchOfOnlyNotificationsGetsNoReply) {
  EXPECT_FALSE(call(R"([{"jsonrpc":"2.0","method":"add","params":[1]}])").has_value());
}

TEST_F(DispatcherTest, EmptyAndOversizedBatches) {
  const auto empty = *call("[]");
  EXPECT_TRUE(empty.is_object());
  EXPECT_EQ(empty["error"]["code"], code::kInvalidRequest);
  const auto big = *call(R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[1]},)"
                         R"({"jsonrpc":"2.0","id":2,"method":"add","params":[1]},)"
                         R"({"jsonrpc":"2.0","id":3,"method":"add","params":[1]},)"
                         R"({"jsonrpc":"2.0","id":4,"method":"add","params":[1]}])");
  EXPECT_EQ(big["error"]["code"], code::kInvalidRequest);
  EXPECT_NE(big["error"]["message"].get<std::string>().find("--max-batch"), std::string::npos);
  EXPECT_EQ(session_.calls, 0);
}

TEST_F(DispatcherTest, AsynchronousHandlersKeepBatchOrder) {
  std::optional<std::string> out;
  bool replied = false;
  dispatcher_.handle(session_,
                     R"([{"jsonrpc":"2.0","id":1,"method":"later","params":["first"]},)"
                     R"({"jsonrpc":"2.0","id":2,"method":"add","params":[1]},)"
                     R"({"jsonrpc":"2.0","id":3,"method":"later","params":["third"]}])",
                     [&](std::optional<std::string> reply) {
                       replied = true;
                       out = std::move(reply);
                     });
  // The batch runs in order: the second element waits for the first.
  EXPECT_FALSE(replied);
  ASSERT_EQ(session_.later.size(), 1U);
  EXPECT_EQ(session_.calls, 0);
  session_.later[0]();
  EXPECT_EQ(session_.calls, 1);
  ASSERT_EQ(session_.later.size(), 2U);
  EXPECT_FALSE(replied);
  session_.later[1]();
  session_.later[0]();  // a second answer to the same call is ignored
  ASSERT_TRUE(replied);
  const auto reply = json::parse(*out);
  ASSERT_EQ(reply.size(), 3U);
  EXPECT_EQ(reply[0]["result"], json::array({"first"}));
  EXPECT_EQ(reply[1]["result"], 11);
  EXPECT_EQ(reply[2]["result"], json::array({"third"}));
}

TEST_F(DispatcherTest, LongBatchOfSynchronousAnswersDoesNotRecurse) {
  Dispatcher<Session> wide(MessageLimits{100000, "max", ParseLimits{8}});
  wide.add_sync("one", [](Session&, const Request&) { return json(1); });
  std::string text = "[";
  for (int i = 0; i < 3000; ++i) text += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"one"})";
  text += "]";
  std::size_t count = 0;
  wide.handle(session_, text, [&](std::optional<std::string> reply) { count = json::parse(*reply).size(); });
  EXPECT_EQ(count, 3000U);
}

// A request read by a front's own reader runs through the handler it brings, answered as handle() answers:
// once (a second answer is ignored), a thrown RpcError or exception worded the same, with the request's id.
TEST_F(DispatcherTest, ARequestAlreadyReadIsAnsweredAsHandleAnswersIt) {
  const auto run = [&](const Dispatcher<Session>::Handler& handler) {
    std::vector<json> replies;
    dispatcher_.handle_read(session_, Request{json("r1"), "not-in-the-table", nullptr}, handler,
                            [&](std::optional<std::string> reply) { replies.push_back(json::parse(*reply)); });
    return replies;
  };
  std::function<void()> second;
  auto replies = run([&](Session&, const Request& r, const Dispatcher<Session>::Respond& respond) {
    EXPECT_EQ(r.method, "not-in-the-table");
    respond(Outcome{std::in_place_index<0>, json(7)});
    second = [respond] { respond(Outcome{std::in_place_index<0>, json(8)}); };
  });
  second();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(replies[0], json::parse(R"({"jsonrpc":"2.0","id":"r1","result":7})"));
  replies = run([](Session&, const Request&, const Dispatcher<Session>::Respond&) {
    throw RpcError(Error{-1004, "no such layer", nullptr});
  });
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(replies[0]["error"]["code"], -1004);
  EXPECT_EQ(replies[0]["id"], "r1");
  const auto slow = *call(R"({"jsonrpc":"2.0","id":"r1","method":"crash"})");
  replies =
      run([](Session&, const Request&, const Dispatcher<Session>::Respond&) { throw std::runtime_error("boom"); });
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(replies[0], slow);  // the same words as the table's handler that throws the same
}

TEST(Message, TooLargeNamesTheLimitAndInvalidUtf8IsReplaced) {
  const auto response = message_too_large(5000, 4096, "--goxel-max-message-bytes");
  const auto wire = json::parse(to_wire(response.to_json()));
  EXPECT_EQ(wire["error"]["code"], code::kInvalidRequest);
  EXPECT_NE(wire["error"]["message"].get<std::string>().find("--goxel-max-message-bytes (4096 bytes)"),
            std::string::npos);
  EXPECT_NO_THROW((void)to_wire(json("bad \xff utf8")));
}

TEST(Message, NestingDepthCountsOutsideStrings) {
  EXPECT_EQ(nesting_depth(R"([{"a":"[[[["}])", 100), 2U);
  EXPECT_EQ(nesting_depth(R"("\"[[")", 100), 0U);
  EXPECT_EQ(nesting_depth("[[[[[[", 3), 4U);
}

}  // namespace
}  // namespace voxd::jsonrpc
