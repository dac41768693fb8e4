// The Goxel front's link to the broker (daemon/goxel/voxd_link.hpp): a call the daemon never answers gets an
// error reply once its deadline passes, answered calls are untouched, and a reply arriving too late is ignored.
// Time is passed in, so nothing here waits.
#include "voxd_link.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "envelope.hpp"

namespace voxd::goxel {
namespace {

namespace pr = protocol;
using namespace std::chrono_literals;

struct Answer {
  pr::Status status = pr::Status::ok;
  std::string message;
};

class VoxdLinkTest : public ::testing::Test {
 protected:
  VoxdLinkTest() : broker_(context_, zmq::socket_type::router) {
    broker_.set(zmq::sockopt::linger, 0);
    broker_.bind("inproc://voxd-link-test");
  }

  // Sends a Ping whose answer (if any) lands in answers[index].
  void ping(VoxdLink& link, std::size_t index) {
    auto& b = link.builder();
    const auto body = pr::CreatePing(b);
    link.send("uid:0", 7, pr::RequestBody::Ping, body.Union(), [this, index](const pr::Response& r) {
      answers_.resize(std::max(answers_.size(), index + 1));
      answers_[index].push_back(Answer{r.status(), r.message() != nullptr ? r.message()->str() : ""});
    });
  }

  // The broker's side: takes one request and returns (routing id, request id).
  std::pair<zmq::message_t, std::uint64_t> take_request() {
    zmq::message_t routing;
    zmq::message_t identity;
    zmq::message_t request;
    EXPECT_TRUE(broker_.recv(routing));
    EXPECT_TRUE(broker_.recv(identity));
    EXPECT_TRUE(broker_.recv(request));
    return {std::move(routing), pr::GetRequest(request.data())->id()};
  }

  void answer(zmq::message_t& routing, std::uint64_t id) {
    flatbuffers::FlatBufferBuilder b;
    daemon::finish_response(b, id, 7, core::ErrorCode::ok, "", pr::ResultBody::NONE, 0);
    zmq::message_t to(routing.data(), routing.size());
    broker_.send(to, zmq::send_flags::sndmore);
    broker_.send(zmq::const_buffer(b.GetBufferPointer(), b.GetSize()));
  }

  // Lets the inproc reply arrive, then reads it.
  static void drain_after_delivery(VoxdLink& link) {
    zmq::pollitem_t item{link.socket().handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, 5000ms);  // bounded; the reply is already queued in-process
    link.drain();
  }

  zmq::context_t context_;
  zmq::socket_t broker_;
  std::vector<std::vector<Answer>> answers_;
};

TEST_F(VoxdLinkTest, AnUnansweredCallGetsAnErrorNamingTheOptionAndALateReplyIsIgnored) {
  VoxdLink link(context_, "inproc://voxd-link-test", 1000ms);
  const auto sent = VoxdLink::Clock::now();
  EXPECT_EQ(link.next_expiry_ms(sent), -1);
  ping(link, 0);
  auto [routing, id] = take_request();
  const long wait = link.next_expiry_ms(sent);
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 1001);
  link.expire(sent + 500ms);
  EXPECT_TRUE(answers_.empty());
  link.expire(sent + 1001ms + 1ms);
  ASSERT_EQ(answers_.size(), 1U);
  ASSERT_EQ(answers_[0].size(), 1U);
  EXPECT_EQ(answers_[0][0].status, pr::Status::busy);
  EXPECT_NE(answers_[0][0].message.find("--goxel-reply-timeout-ms (1000 ms)"), std::string::npos)
      << answers_[0][0].message;
  EXPECT_EQ(link.in_flight(), 0U);
  EXPECT_EQ(link.next_expiry_ms(sent), -1);
  answer(routing, id);  // the daemon answers after all: nobody is waiting for it any more
  drain_after_delivery(link);
  EXPECT_EQ(answers_[0].size(), 1U);
}

TEST_F(VoxdLinkTest, AnAnsweredCallIsNotExpiredAndLaterCallsKeepTheirOwnDeadlines) {
  VoxdLink link(context_, "inproc://voxd-link-test", 1000ms);
  const auto start = VoxdLink::Clock::now();
  ping(link, 0);
  ping(link, 1);
  auto first = take_request();
  auto second = take_request();
  answer(first.first, first.second);
  drain_after_delivery(link);
  ASSERT_EQ(answers_.size(), 1U);
  EXPECT_EQ(answers_[0][0].status, pr::Status::ok);
  link.expire(start + 2000ms);  // past both deadlines: only the unanswered second call expires
  ASSERT_EQ(answers_.size(), 2U);
  EXPECT_EQ(answers_[0].size(), 1U);
  ASSERT_EQ(answers_[1].size(), 1U);
  EXPECT_EQ(answers_[1][0].status, pr::Status::busy);
  (void)second;
}

}  // namespace
}  // namespace voxd::goxel
