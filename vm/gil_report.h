// -X gilstats and -X giltrace: what the GIL did, printed or written at interpreter exit.
#pragma once

namespace mvm {

struct Interpreter;

// Prints the per-thread table (-X gilstats), the terminal timeline (-X giltrace) or writes
// Chrome trace-event JSON (-X giltrace=FILE), as configured. Called at shutdown.
void report_gil_activity(Interpreter* interp);

}  // namespace mvm
