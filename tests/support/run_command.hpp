// Test helper: run a shell command and capture its exit code and output.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <sys/wait.h>

namespace winglet::test {

struct CommandResult {
    int exit_code = -1;   // -1 when killed by a signal
    int signal = 0;
    std::string output;   // stdout and stderr interleaved
};

inline CommandResult run_command(const std::string& command) {
    CommandResult r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("popen failed for: " + command);
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    return r;
}

inline std::string env_or_throw(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) throw std::runtime_error(std::string("environment variable ") + name + " is not set (run through ctest)");
    return v;
}

inline std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The winglet binary under test with the built plugins, then `args` (already quoted as needed).
inline std::string winglet_cmd(const std::string& args) {
    return quoted(env_or_throw("WINGLET_BIN")) + " --plugin-path " + quoted(env_or_throw("WINGLET_PLUGIN_DIR")) + " " + args;
}

// A model made by tests/data/make_test_models.py, quoted for the shell.
inline std::string test_model(const std::string& name) { return quoted(env_or_throw("WINGLET_TEST_MODELS") + "/" + name); }

}  // namespace winglet::test
