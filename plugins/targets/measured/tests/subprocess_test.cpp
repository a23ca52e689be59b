// run_process on its own: output and stderr lines arrive, the time limit holds even for a child
// that ignores SIGTERM, children left in the group are killed, nothing goes through a shell.
#define BOOST_TEST_MODULE measured_subprocess
#include <boost/test/unit_test.hpp>

#include "runner_protocol.hpp"
#include "subprocess.hpp"
#include "test_support.hpp"

#include <signal.h>

#include <chrono>
#include <thread>

namespace wm = winglet::measured;
using namespace measured_test;
using namespace std::chrono_literals;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(stdin_stdout_and_stderr_lines) {
    wm::ProcessSpec spec;
    spec.argv = {"sh", "-c", "tr a-z A-Z; printf 'one\\ntwo' >&2"};
    spec.input = "hello runner\n";
    std::vector<std::string> lines;
    spec.on_stderr_line = [&](std::string_view line) { lines.emplace_back(line); };
    const auto out = wm::run_process(spec);
    BOOST_TEST(out.exited);
    BOOST_TEST(out.exit_code == 0);
    BOOST_TEST(out.stdout_data == "HELLO RUNNER\n");
    BOOST_TEST((lines == std::vector<std::string>{"one", "two"}));
}

BOOST_AUTO_TEST_CASE(arguments_are_not_interpreted_by_a_shell) {
    wm::ProcessSpec spec;
    spec.argv = {"printf", "%s|", "a b", "$HOME", "; rm -rf /"};
    const auto out = wm::run_process(spec);
    BOOST_TEST(out.stdout_data == "a b|$HOME|; rm -rf /|");
}

BOOST_AUTO_TEST_CASE(a_child_that_ignores_sigterm_is_killed_after_the_grace) {
    wm::ProcessSpec spec;
    spec.argv = {"sh", (kTestsDir / "fake_runner.sh").string(), "ignore-term"};
    spec.timeout = 500ms;
    spec.kill_grace = 300ms;
    const auto start = std::chrono::steady_clock::now();
    const auto out = wm::run_process(spec);
    const double took = seconds_since(start);
    BOOST_TEST_MESSAGE("returned after " << took << " s");
    BOOST_TEST(out.timed_out);
    BOOST_TEST(!out.exited);
    BOOST_TEST(out.signal == SIGKILL);
    BOOST_TEST(took < 3.0);
}

BOOST_AUTO_TEST_CASE(a_grandchild_holding_the_pipes_does_not_hold_the_client) {
    // The child exits at once, its background child keeps stdout open for a minute.
    wm::ProcessSpec spec;
    spec.argv = {"sh", "-c", "echo answer; sleep 60 & exit 0"};
    spec.timeout = 10s;
    const auto start = std::chrono::steady_clock::now();
    const auto out = wm::run_process(spec);
    BOOST_TEST(!out.timed_out);
    BOOST_TEST(out.exit_code == 0);
    BOOST_TEST(out.stdout_data == "answer\n");
    BOOST_TEST(seconds_since(start) < 5.0);
}

BOOST_AUTO_TEST_CASE(a_child_that_closes_its_pipes_but_runs_on_is_timed_out) {
    wm::ProcessSpec spec;
    spec.argv = {"sh", "-c", "exec >/dev/null 2>&1; sleep 60"};
    spec.timeout = 500ms;
    spec.kill_grace = 300ms;
    const auto start = std::chrono::steady_clock::now();
    const auto out = wm::run_process(spec);
    BOOST_TEST(out.timed_out);
    BOOST_TEST(seconds_since(start) < 3.0);
}

BOOST_AUTO_TEST_CASE(too_much_output_is_cut_off) {
    wm::ProcessSpec spec;
    spec.argv = {"sh", "-c", "yes"};
    spec.max_stdout_bytes = 1 << 20;
    const auto out = wm::run_process(spec);
    BOOST_TEST(out.stdout_overflow);
    BOOST_TEST(out.stdout_data.size() <= spec.max_stdout_bytes);
}

BOOST_AUTO_TEST_CASE(an_exception_in_the_callback_leaves_no_child) {
    wm::ProcessSpec spec;
    spec.argv = {"sh", "-c", "echo first >&2; exec sleep 60"};
    spec.on_stderr_line = [](std::string_view) { throw std::runtime_error("caller gave up"); };
    const auto start = std::chrono::steady_clock::now();
    BOOST_CHECK_THROW(wm::run_process(spec), std::runtime_error);
    BOOST_TEST(seconds_since(start) < 3.0);
}

BOOST_AUTO_TEST_CASE(a_program_that_does_not_exist) {
    wm::ProcessSpec spec;
    spec.argv = {"winglet-no-such-program-here"};
    try {
        wm::run_process(spec);
        BOOST_FAIL("no error");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST((e.kind() == wm::FailureKind::launch));
        BOOST_TEST(std::string(e.what()).find("No such file or directory") != std::string::npos);
    }
}
