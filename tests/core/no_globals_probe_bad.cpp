// Deliberately breaks the no-writable-globals rule, one way per symbol, so that the check
// (tests/check_no_globals.sh) is shown to catch each kind. Compiled, never linked.
#include <string>

int probe_global_counter;                   // .bss
int probe_initialised_counter = 42;         // .data
thread_local int probe_per_thread_counter;  // .tbss
namespace {
int probe_hidden_counter;  // .bss, internal linkage
}  // namespace

int probe_bump() {
  return ++probe_hidden_counter + ++probe_per_thread_counter;
}

// A function-local static with dynamic initialisation: the object plus its guard variable.
const std::string& probe_cached_name() {
  static const std::string name = std::to_string(probe_global_counter);
  return name;
}
