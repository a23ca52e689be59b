// Error categories the engine distinguishes; each maps to one CLI exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace winglet {

// The user asked for something malformed (bad flag value, unknown format).
struct UsageError : std::runtime_error { using std::runtime_error::runtime_error; };
// A model or data file is malformed, hostile or unsupported.
struct InputError : std::runtime_error { using std::runtime_error::runtime_error; };
// No usable plugin, or a plugin failed.
struct PluginError : std::runtime_error { using std::runtime_error::runtime_error; };
// Writing results failed.
struct OutputError : std::runtime_error { using std::runtime_error::runtime_error; };

// CLI exit codes (documented in README.md and `winglet --help`).
enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 1,
    kExitInput = 2,
    kExitPlugin = 3,
    kExitOutput = 4,
    kExitInternal = 70,
};

}  // namespace winglet
