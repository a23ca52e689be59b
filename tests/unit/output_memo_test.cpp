// The stored record of a remembered command: round trip, and every damaged form is refused.
#define BOOST_TEST_MODULE output_memo
#include <boost/test/unit_test.hpp>

#include "cache/output_memo.hpp"

using namespace winglet;

namespace {

std::pair<std::vector<FileStamp>, CommandOutputs> sample() {
    FileStamp model;
    model.path = "/models/a b.onnx";
    model.exists = true;
    model.device = 2049;
    model.inode = 123456789;
    model.size = 102486909;
    model.mtime_ns = 1763800000123456789;
    model.ctime_ns = -5;  // any 64-bit value survives
    FileStamp missing;
    missing.path = "/plugins/new.so";
    CommandOutputs outputs;
    outputs.stdout_text = std::string("{\"ops\": []}\n\0binary", 19);
    outputs.file_bytes = "unit,latency_us\r\n";
    outputs.warnings = {"first warning", ""};
    return {{model, missing}, outputs};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_record_round_trips_exactly) {
    const auto [stamps, outputs] = sample();
    const auto [stamps2, outputs2] = decode_memo_record(encode_memo_record(stamps, outputs));
    BOOST_REQUIRE(stamps2.size() == 2u);
    BOOST_TEST((stamps2[0] == stamps[0]));
    BOOST_TEST((stamps2[1] == stamps[1]));
    BOOST_TEST(!stamps2[1].exists);
    BOOST_TEST(outputs2.stdout_text == outputs.stdout_text);
    BOOST_TEST(outputs2.file_bytes.value() == outputs.file_bytes.value());
    BOOST_TEST(outputs2.warnings == outputs.warnings);
}

BOOST_AUTO_TEST_CASE(no_output_file_is_not_an_empty_one) {
    CommandOutputs outputs;
    outputs.stdout_text = "table";
    BOOST_TEST(!decode_memo_record(encode_memo_record({}, outputs)).second.file_bytes.has_value());
    outputs.file_bytes = "";
    BOOST_TEST(decode_memo_record(encode_memo_record({}, outputs)).second.file_bytes.value() == "");
}

BOOST_AUTO_TEST_CASE(every_truncation_and_trailing_bytes_are_refused) {
    const auto [stamps, outputs] = sample();
    const std::string record = encode_memo_record(stamps, outputs);
    for (size_t n = 0; n < record.size(); ++n)
        BOOST_CHECK_THROW(decode_memo_record(std::string_view(record).substr(0, n)), std::runtime_error);
    BOOST_CHECK_THROW(decode_memo_record(record + "x"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(an_absurd_count_is_refused_before_allocating) {
    std::string record(8, '\xff');  // 2^64 - 1 stamps
    BOOST_CHECK_THROW(decode_memo_record(record), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_stamp_sees_size_and_existence) {
    const auto dir = std::filesystem::temp_directory_path();
    const FileStamp there = stamp_file(dir);
    BOOST_TEST(there.exists);
    BOOST_TEST(there.is_directory);
    const FileStamp absent = stamp_file(dir / "winglet-no-such-file-for-sure");
    BOOST_TEST(!absent.exists);
    // A stamp taken now of a file changed now is not settled; one 3 s later is.
    FileStamp fresh = there;
    fresh.mtime_ns = fresh.ctime_ns = now_ns();
    BOOST_TEST(!is_settled(fresh, now_ns()));
    BOOST_TEST(is_settled(fresh, fresh.mtime_ns + 3'000'000'000));
}
