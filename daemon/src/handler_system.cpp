// RequestHandler, system requests: hello, health, stats, the project list.
#include "handler.hpp"

#include "durability.hpp"

#include <string>
#include <vector>

#include "envelope.hpp"

namespace voxd::daemon {

using core::ErrorCode;
using core::make_error;
using core::Result;
using protocol::RequestBody;
using protocol::ResultBody;

RequestHandler::Reply RequestHandler::hello(Fb& fb) const {
  const DaemonLimits& limits = services_.config.limits;
  const auto version = fb.CreateString(VOXD_VERSION);
  const auto identity = fb.CreateString(identity_.data(), identity_.size());  // what others share with
  const auto offset =
      protocol::CreateHelloResult(fb, kProtocolVersion, kMinProtocolVersion, version, limits.max_message_bytes,
                                  limits.max_reply_bytes, limits.max_voxels_per_request, identity);
  return {ResultBody::HelloResult, offset.Union(), {}};
}

RequestHandler::Reply RequestHandler::health(Fb& fb) const {
  const auto offset = protocol::CreateHealthResult(
      fb, services_.stats.accepting.load(), services_.stats.uptime_seconds(), services_.workspace.project_count());
  return {ResultBody::HealthResult, offset.Union(), {}};
}

RequestHandler::Reply RequestHandler::stats(Fb& fb) const {
  const StatsSnapshot snapshot = services_.stats.snapshot();
  std::vector<flatbuffers::Offset<protocol::RequestTypeStats>> per_type;
  for (std::size_t i = 1; i <= static_cast<std::size_t>(RequestBody::MAX); ++i) {
    const TypeCounters& counters = snapshot.per_type.at(i);
    if (counters.requests > 0) {
      const char* name = protocol::EnumNameRequestBody(static_cast<RequestBody>(i));
      per_type.push_back(
          protocol::CreateRequestTypeStats(fb, fb.CreateString(name), counters.requests, counters.errors));
    }
  }
  if (snapshot.malformed > 0) {
    per_type.push_back(
        protocol::CreateRequestTypeStats(fb, fb.CreateString("malformed"), snapshot.malformed, snapshot.malformed));
  }
  std::size_t project_memory = 0;
  std::size_t history_memory = 0;
  for (const core::ProjectSummary& summary : services_.workspace.list()) {
    project_memory += summary.memory_bytes;
    history_memory += summary.history_bytes;
  }
  const auto per_type_offset = fb.CreateVector(per_type);
  protocol::StatsResultBuilder result(fb);
  result.add_uptime_seconds(services_.stats.uptime_seconds());
  result.add_projects(services_.workspace.project_count());
  result.add_voxels(services_.budget.used());
  result.add_project_memory_bytes(project_memory);
  result.add_resident_memory_bytes(resident_memory_bytes());
  result.add_requests(snapshot.requests);
  result.add_errors(snapshot.errors);
  result.add_malformed(snapshot.malformed);
  result.add_busy(snapshot.busy);
  result.add_queued(services_.stats.queued.load());
  result.add_per_type(per_type_offset);
  result.add_latency_p50_us(snapshot.latency.percentile(0.50));
  result.add_latency_p90_us(snapshot.latency.percentile(0.90));
  result.add_latency_p99_us(snapshot.latency.percentile(0.99));
  result.add_latency_max_us(static_cast<double>(snapshot.latency.max()));
  const DaemonLimits& limits = services_.config.limits;
  result.add_history_bytes(history_memory);
  result.add_accounted_bytes(services_.memory.used());
  result.add_max_memory_bytes(limits.max_memory_bytes);
  result.add_max_project_bytes(limits.max_project_bytes);
  result.add_max_history_bytes(limits.max_history_bytes);
  result.add_held_request_bytes(services_.stats.held_request_bytes.load());
  result.add_max_queued_bytes(limits.max_queued_bytes);
  result.add_max_queued_bytes_per_client(limits.max_queued_bytes_per_client);
  result.add_dropped_replies(snapshot.dropped_replies);
  result.add_auth_refused(services_.stats.auth_refused.load(std::memory_order_relaxed));
  result.add_access_refused(services_.stats.access_refused.load(std::memory_order_relaxed));
  result.add_resident_projects(services_.workspace.list().size());
  if (services_.durability != nullptr) {
    const StoreStats store = services_.durability->stats();
    result.add_stored_projects(store.stored_projects);
    result.add_store_bytes(store.store_bytes);
  }
  return {ResultBody::StatsResult, result.Finish().Union(), {}};
}

RequestHandler::Reply RequestHandler::list_projects(Fb& fb) {
  std::vector<flatbuffers::Offset<protocol::ProjectSummary>> projects;
  const bool all = services_.owners.is_admin(identity_);
  for (const core::ProjectSummary& summary : services_.workspace.list()) {
    if (!all && !services_.owners.may_use(summary.handle, identity_)) {
      continue;  // another identity's, not shared with the caller
    }
    projects.push_back(protocol::CreateProjectSummary(fb, summary.handle.value, fb.CreateString(summary.name),
                                                      summary.voxels, static_cast<std::uint32_t>(summary.layers),
                                                      summary.memory_bytes, summary.history_bytes));
  }
  if (services_.durability != nullptr) {
    for (const EvictedProject& evicted : services_.durability->evicted()) {  // in the store only, for now
      if (!all && !services_.owners.may_use(evicted.handle, identity_)) {
        continue;
      }
      projects.push_back(protocol::CreateProjectSummary(fb, evicted.handle.value, fb.CreateString(evicted.name),
                                                        evicted.voxels, evicted.layers, 0, 0));
    }
  }
  return {ResultBody::ProjectList, protocol::CreateProjectList(fb, fb.CreateVector(projects)).Union(), {}};
}

}  // namespace voxd::daemon
