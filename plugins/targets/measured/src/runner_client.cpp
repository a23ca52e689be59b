#include "runner_client.hpp"

#include "device_discovery.hpp"
#include "subprocess.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <sstream>

namespace winglet::measured {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kTailLines = 20;
constexpr size_t kTailLineBytes = 400;

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [placeholder, value] : values)
        for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    return text;
}

std::string seconds_text(double s) {
    char out[32];
    std::snprintf(out, sizeof out, "%.3g s", s);
    return out;
}

std::string joined(const std::vector<std::string>& argv) {
    std::string out;
    for (const std::string& arg : argv) out += (out.empty() ? "" : " ") + arg;
    return out;
}

// The last lines a command wrote to stderr, progress lines left out, for error messages.
class StderrTail {
public:
    void add(std::string_view line) {
        lines_.emplace_back(line.substr(0, kTailLineBytes));
        if (line.size() > kTailLineBytes) lines_.back() += "...";
        if (lines_.size() > kTailLines) lines_.pop_front();
    }
    std::string appended_to(const std::string& message) const {
        if (lines_.empty()) return message + " (stderr was empty)";
        std::string out = message + "\nstderr (last lines):";
        for (const std::string& line : lines_) out += "\n  " + line;
        return out;
    }

private:
    std::deque<std::string> lines_;
};

class Deadline {
public:
    explicit Deadline(double seconds) : limit_s_(seconds), end_(Clock::now() + to_duration(seconds)) {}
    double limit_s() const { return limit_s_; }
    double left_s() const { return std::max(0.0, std::chrono::duration<double>(end_ - Clock::now()).count()); }
    std::chrono::milliseconds left() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now());
    }

private:
    static Clock::duration to_duration(double s) {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    }
    double limit_s_;
    Clock::time_point end_;
};

ProcessOutcome run_step(ProcessSpec spec, const std::string& what) {
    try {
        return run_process(spec);
    } catch (const RunnerError& e) {
        throw RunnerError(e.kind(), what + ": " + e.what());
    }
}

void copy_model(const MeasuredDevice& device, const fs::path& model, const std::string& remote_model,
                const fs::path& runner_dir, const Deadline& deadline) {
    const std::string label = "device '" + device.id + "': copy step";
    if (deadline.left().count() <= 0) throw RunnerError(FailureKind::timeout, label + ": no time left");
    ProcessSpec spec;
    for (const std::string& arg : device.copy->command)
        spec.argv.push_back(fill(arg, {{"{model}", model.string()},
                                       {"{remote_model}", remote_model},
                                       {"{remote_dir}", device.copy->remote_dir},
                                       {"{runner_dir}", runner_dir.string()}}));
    spec.timeout = deadline.left();
    StderrTail tail;
    spec.on_stderr_line = [&tail](std::string_view line) { tail.add(line); };
    const ProcessOutcome outcome = run_step(spec, label);
    if (outcome.timed_out)
        throw RunnerError(FailureKind::timeout,
                          tail.appended_to(label + " `" + joined(spec.argv) + "` timed out after " +
                                           seconds_text(deadline.limit_s()) + " and was killed"));
    if (!outcome.exited || outcome.exit_code != 0)
        throw RunnerError(FailureKind::copy, tail.appended_to(label + " `" + joined(spec.argv) + "` failed with " +
                                                              describe_status(outcome)));
}

// Turns what the runner did into a result or the one error that explains it best.
RunResult interpret(const ProcessOutcome& outcome, const StderrTail& tail, const std::string& label, double limit_s) {
    if (outcome.timed_out)
        throw RunnerError(FailureKind::timeout, tail.appended_to(label + ": runner timed out after " +
                                                                 seconds_text(limit_s) + " and was killed"));
    if (outcome.stdout_overflow)
        throw RunnerError(FailureKind::output, tail.appended_to(label + ": runner wrote too much to stdout and was killed"));
    const bool success = outcome.exited && outcome.exit_code == 0;
    if (!success && outcome.stdout_data.find_first_not_of(" \t\r\n") == std::string::npos)
        throw RunnerError(FailureKind::exit, tail.appended_to(label + ": runner ended with " + describe_status(outcome) +
                                                              " without an answer"));
    RunResult result;
    try {
        result = parse_response(outcome.stdout_data);
    } catch (const RunnerError& e) {
        if (success || e.kind() == FailureKind::reported)
            throw RunnerError(e.kind(), tail.appended_to(label + ": " + e.what() +
                                                         (success ? "" : " (" + describe_status(outcome) + ")")));
        throw RunnerError(FailureKind::exit, tail.appended_to(label + ": runner ended with " +
                                                              describe_status(outcome) + "; " + e.what()));
    }
    if (!success)
        throw RunnerError(FailureKind::exit, tail.appended_to(label + ": runner answered but ended with " +
                                                              describe_status(outcome)));
    return result;
}

}  // namespace

std::optional<Progress> parse_progress_line(std::string_view line) {
    std::istringstream words{std::string(line)};
    std::string word, phase, counts, extra;
    if (!(words >> word >> phase >> counts) || word != "progress" || (words >> extra)) return std::nullopt;
    Progress p;
    p.phase = phase;
    char slash = 0;
    std::istringstream numbers(counts);
    if (!(numbers >> p.done >> slash >> p.total) || slash != '/' || !numbers.eof() || p.done < 0 || p.total < 0)
        return std::nullopt;
    return p;
}

std::vector<std::string> runner_argv(const MeasuredDevice& device, const fs::path& runner_dir) {
    std::vector<std::string> argv;
    for (const auto* part : {&device.prefix, &device.command})
        for (const std::string& arg : *part) argv.push_back(fill(arg, {{"{runner_dir}", runner_dir.string()}}));
    return argv;
}

std::string model_path_on_device(const MeasuredDevice& device, const fs::path& model) {
    if (!device.copy) return fs::absolute(model).lexically_normal().string();
    std::string dir = device.copy->remote_dir;
    if (!dir.empty() && dir.back() != '/') dir += '/';
    return dir + model.filename().string();
}

RunResult measure(const MeasuredDevice& device, const RunRequest& request, const MeasureOptions& options) {
    const Deadline deadline(options.timeout_s.value_or(device.timeout_s));
    const fs::path runner = options.runner_dir.empty() ? runner_dir() : options.runner_dir;
    const std::string label = "device '" + device.id + "'";
    const fs::path model = fs::absolute(request.model_path).lexically_normal();

    RunRequest sent = request;
    sent.model_path = model_path_on_device(device, model);
    if (device.copy) copy_model(device, model, sent.model_path, runner, deadline);
    if (options.fill_deadline && !sent.deadline_s) sent.deadline_s = std::max(0.001, deadline.left_s());

    ProcessSpec spec;
    spec.argv = runner_argv(device, runner);
    spec.input = request_json(sent);
    spec.timeout = deadline.left();
    StderrTail tail;
    spec.on_stderr_line = [&](std::string_view line) {
        if (auto progress = parse_progress_line(line)) {
            if (options.on_progress) options.on_progress(*progress);
        } else {
            tail.add(line);
        }
    };
    if (spec.timeout.count() <= 0) throw RunnerError(FailureKind::timeout, label + ": no time left to run the runner");
    const ProcessOutcome outcome = run_step(spec, label + ": runner `" + joined(spec.argv) + "`");
    return interpret(outcome, tail, label, deadline.limit_s());
}

}  // namespace winglet::measured
