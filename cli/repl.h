// The interactive prompt: GNU readline for editing and history, multi-line blocks that end
// on a blank line, and an interpreter that survives errors.
#pragma once

namespace minivm {
class Interpreter;
}

// Runs the REPL until end of input; returns the process exit status.
int run_repl(minivm::Interpreter& vm);
