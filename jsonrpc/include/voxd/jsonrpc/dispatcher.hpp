// The dispatch table: method name -> handler. It runs one message (request or batch) against the table and
// produces its reply. Handlers may answer at once or later (a front waiting on the daemon), through Respond;
// Context is whatever a front keeps per connection or session, passed to every handler.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "voxd/jsonrpc/batch.hpp"

namespace voxd::jsonrpc {

template <class Context>
class Dispatcher {
 public:
  // Call exactly once with the result or the error (later calls are ignored).
  using Respond = std::function<void(Outcome)>;
  // May throw RpcError (answered with its error) or any std::exception (answered as -32603).
  using Handler = std::function<void(Context&, const Request&, Respond)>;
  using SyncHandler = std::function<nlohmann::json(Context&, const Request&)>;
  // Receives the reply text, or nullopt when nothing is to be sent (notifications only). Called exactly once.
  using Reply = std::function<void(std::optional<std::string>)>;

  explicit Dispatcher(MessageLimits limits = {}) : limits_(std::move(limits)) {}

  void add(std::string method, Handler handler) { handlers_[std::move(method)] = std::move(handler); }
  void add_sync(std::string method, SyncHandler handler) {
    add(std::move(method), [h = std::move(handler)](Context& context, const Request& request, const Respond& respond) {
      respond(Outcome{std::in_place_index<0>, h(context, request)});
    });
  }
  [[nodiscard]] bool has(std::string_view method) const { return handlers_.find(method) != handlers_.end(); }
  [[nodiscard]] std::vector<std::string> methods() const {
    std::vector<std::string> names;
    names.reserve(handlers_.size());
    for (const auto& entry : handlers_) names.push_back(entry.first);
    return names;
  }
  [[nodiscard]] const MessageLimits& limits() const { return limits_; }

  // Runs the message's requests one after another, in message order (a batch is applied in order, so its
  // replies match what a client sending them one by one would see), then calls `reply`. `context` and this
  // dispatcher must outlive the reply.
  void handle(Context& context, std::string_view text, Reply reply) const {
    auto read = read_message(text, limits_);
    if (auto* whole = std::get_if<Response>(&read)) {
      reply(to_wire(whole->to_json()));
      return;
    }
    auto run = std::make_shared<Run>();
    run->dispatcher = this;
    run->context = &context;
    run->message = std::move(std::get<IncomingMessage>(read));
    run->reply = std::move(reply);
    advance(run);
  }

  // Runs one request that a front's own reader has already read, with `handler` (which holds the arguments it
  // read) in place of the table's, and answers it exactly as handle() would: once, errors worded the same.
  void handle_read(Context& context, Request request, Handler handler, Reply reply) const {
    auto run = std::make_shared<Run>();
    run->dispatcher = this;
    run->context = &context;
    run->message.items.emplace_back(std::move(request));
    run->handler = std::move(handler);
    run->reply = std::move(reply);
    advance(run);
  }

 private:
  struct Run {
    const Dispatcher* dispatcher = nullptr;
    Context* context = nullptr;
    IncomingMessage message;
    Handler handler;  // handle_read's; else each request's is looked up by its method
    std::vector<Response> responses;
    std::size_t next = 0;
    bool looping = false;  // a synchronous answer returns to the loop instead of recursing
    bool waiting = false;
    Reply reply;
  };

  static void record(Run& run, const Request& request, Outcome outcome) {
    if (request.is_notification()) return;
    run.responses.push_back(Response{*request.id, std::move(outcome)});
  }

  static void advance(const std::shared_ptr<Run>& run) {
    if (run->looping) return;
    run->looping = true;
    auto& items = run->message.items;
    while (run->next < items.size()) {
      const std::size_t index = run->next;
      if (auto* known = std::get_if<Response>(&items[index])) {
        run->responses.push_back(std::move(*known));
        ++run->next;
        continue;
      }
      const auto& request = std::get<Request>(items[index]);
      const Handler* handler = &run->handler;
      if (!run->handler) {
        const auto found = run->dispatcher->handlers_.find(request.method);
        if (found == run->dispatcher->handlers_.end()) {
          record(*run, request, Outcome{std::in_place_index<1>, method_not_found(request.method)});
          ++run->next;
          continue;
        }
        handler = &found->second;
      }
      run->waiting = true;
      auto answered = std::make_shared<bool>(false);
      Respond respond = [run, index, answered](Outcome outcome) {
        if (*answered) return;
        *answered = true;
        record(*run, std::get<Request>(run->message.items[index]), std::move(outcome));
        run->waiting = false;
        run->next = index + 1;
        advance(run);
      };
      try {
        (*handler)(*run->context, request, respond);
      } catch (const RpcError& e) {
        respond(Outcome{std::in_place_index<1>, e.error()});
      } catch (const std::exception& e) {
        respond(Outcome{std::in_place_index<1>, internal_error(std::string("Internal error: ") + e.what())});
      }
      if (run->waiting) {  // answered later: that answer resumes the loop
        run->looping = false;
        return;
      }
    }
    run->looping = false;
    auto reply = std::move(run->reply);
    reply(assemble_reply(run->message.is_batch, run->responses));
  }

  MessageLimits limits_;
  std::map<std::string, Handler, std::less<>> handlers_;
};

}  // namespace voxd::jsonrpc
