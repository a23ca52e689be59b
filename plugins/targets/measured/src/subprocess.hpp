// Runs one command without a shell (fork + execvp of an argv vector) in its own process group:
// writes `input` to its stdin, reads stdout and stderr at the same time (poll), hands stderr to
// the caller line by line, and enforces a time limit by signalling the whole group (SIGTERM, then
// SIGKILL). It never leaves a child behind, never blocks past the limit plus the grace period,
// and a child that closes its stdin early cannot kill the host with SIGPIPE.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::measured {

struct ProcessSpec {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH
    std::string input;              // written to stdin, which is then closed
    std::chrono::milliseconds timeout{60000};
    std::chrono::milliseconds kill_grace{2000};  // between SIGTERM and SIGKILL
    size_t max_stdout_bytes = size_t(256) << 20;
    std::function<void(std::string_view line)> on_stderr_line;  // may be empty; may throw
};

struct ProcessOutcome {
    bool timed_out = false;
    bool stdout_overflow = false;  // killed for writing more than max_stdout_bytes
    bool exited = false;           // exited normally (else killed by `signal`)
    int exit_code = -1;
    int signal = 0;
    std::string stdout_data;
    double seconds = 0;
};

// Throws RunnerError(launch) when the command cannot be started; every other outcome is returned.
ProcessOutcome run_process(const ProcessSpec& spec);

// "exit code 3", "signal 9 (Killed)".
std::string describe_status(const ProcessOutcome& outcome);

}  // namespace winglet::measured
